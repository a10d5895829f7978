import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, assertError, attempt, codes, list, obj, py, seedServers, type Attempt } from "./common";
import { Wire } from "./wire";

// accsyn-wire.md §5.
describe("query language (wire §5)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let volId: string;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, "qvol", ARGS["server"])
def mk(code, name, path):
    return s.create("Folder", {"parent": v["id"], "path": path, "name": name, "code": code})
mk("alpha1", "Alpha One", "q/alpha1")
a2 = mk("alpha2", "Alpha Two", "q/alpha2")
s.update("Folder", a2["id"], {"status": "disabled"})
mk("beta3", "Beta Three", "q/beta3")
mk("gamma4", "TheProject", "projects/TheProject")
d5 = mk("delta5", "Delta Five", "q/delta5")
s.deactivate_one("Folder", d5["id"])
out({"vol": v["id"]})
`,
        { server: hq.id },
      ),
    );
    volId = String(r.vol);
  });
  after(async () => server?.close());

  const ACTIVE = ["alpha1", "alpha2", "beta3", "gamma4"];
  const table: [string, string[]][] = [
    ["code=alpha1", ["alpha1"]],
    ["code!=alpha1", ["alpha2", "beta3", "gamma4"]],
    ["code<>alpha1", ["alpha2", "beta3", "gamma4"]],
    ["code<beta3", ["alpha1", "alpha2"]],
    ["code>beta3", ["gamma4"]],
    ["code<=alpha2", ["alpha1", "alpha2"]],
    ["code>=gamma4", ["gamma4"]],
    ["code in (alpha1,beta3)", ["alpha1", "beta3"]],
    ["code not in (alpha1,beta3)", ["alpha2", "gamma4"]],
    ["name contains alpha", ["alpha1", "alpha2"]],
    ["name not contains alpha", ["beta3", "gamma4"]],
    ["code matches ^alpha[0-9]$", ["alpha1", "alpha2"]],
    ["code not matches ^alpha", ["beta3", "gamma4"]],
    ["status=disabled", ["alpha2"]],
    ["(code=alpha1 OR code=beta3) AND status=enabled", ["alpha1", "beta3"]],
    ["(code=alpha1 OR code=alpha2) AND status=disabled", ["alpha2"]],
    ["code=beta3 OR (code=alpha1 AND status=disabled)", ["beta3"]],
    ['name="Alpha One"', ["alpha1"]],
    ["name='Beta Three'", ["beta3"]],
    ["code=alpha*", ["alpha1", "alpha2"]],
    ["name=*three", ["beta3"]],
    ["NAME=THEPROJECT", ["gamma4"]],
    ["code=delta5", []],
    ["code=nosuch", []],
  ];

  it("the Python client: comparison, set, text, regex, boolean, quoting, wildcard and case table", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({q: attempt(lambda q=q: [f["code"] for f in s.find("Folder WHERE " + q)]) for q in ARGS["qs"]})`,
        { qs: table.map(([q]) => q) },
      ),
    );
    const failures: string[] = [];
    for (const [q, expected] of table) {
      const a = obj(r[q]) as Attempt;
      if (a.error !== undefined) failures.push(`${q}: error ${a.error}`);
      else if (JSON.stringify((a.ok as string[]).slice().sort()) !== JSON.stringify(expected)) {
        failures.push(`${q}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(a.ok)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it("raw queries compare case-insensitively and trim stray spaces", async () => {
    const w = await Wire.login(server, server.credentials("admin"));
    const cases: [string, string[]][] = [
      ["name=THEPROJECT", ["gamma4"]],
      ['name="ALPHA ONE"', ["alpha1"]],
      ["  code =  alpha1  ", ["alpha1"]],
      ["CODE=Alpha2", ["alpha2"]],
      ["code = alpha1 or code = beta3", ["alpha1", "beta3"]],
    ];
    for (const [q, expected] of cases) {
      const res = list(await w.result("GET", "folder/find", { data: {}, query: q }), q);
      assert.deepEqual(codes(res), expected, `raw query ${JSON.stringify(q)}`);
    }
  });

  it("inactive=True includes deactivated shares", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"one": s.find("Folder WHERE code=delta5", inactive=True), "all": s.find("Folder", inactive=True), "act": s.find("Folder")})`,
      ),
    );
    assert.deepEqual(codes(list(r.one)), ["delta5"]);
    assert.deepEqual(codes(list(r.all)), [...ACTIVE, "delta5"].sort());
    assert.deepEqual(codes(list(r.act)), ACTIVE);
  });

  it("limit and skip page without overlap", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"p1": s.find("Folder", limit=2), "p2": s.find("Folder", limit=2, skip=2), "p3": s.find("Folder", limit=2, skip=4), "l1": s.find("Folder WHERE code contains a", limit=1)})`,
      ),
    );
    const p1 = codes(list(r.p1));
    const p2 = codes(list(r.p2));
    assert.equal(p1.length, 2);
    assert.equal(p2.length, 2);
    assert.deepEqual([...p1, ...p2].sort(), ACTIVE);
    assert.equal(list(r.p3).length, 0);
    assert.equal(list(r.l1).length, 1);
  });

  it("parent restricts to a parent volume; parent=<id> works in the query too", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"p": s.find("Folder", entityid=ARGS["vol"]), "q": s.find("Folder WHERE parent=" + ARGS["vol"]), "none": s.find("Folder", entityid="0123456789abcdef01234567")})`,
        { vol: volId },
      ),
    );
    assert.deepEqual(codes(list(r.p)), ACTIVE);
    assert.deepEqual(codes(list(r.q)), ACTIVE);
    assert.equal(list(r.none).length, 0);
  });

  it("reference values: Transfer WHERE user=<e-mail> (seed 001)", async () => {
    const admin = server.credentials("admin").code;
    const std = server.credentials("standard").code;
    const r = obj(
      await py(
        server,
        "admin",
        `
t = s.create("Transfer", {"source": "share=alpha1/x.mov", "destination": "/tmp/x", "status": "paused"})
out({"t": t["id"], "mine": s.find("Transfer WHERE user=" + ARGS["admin"]), "theirs": s.find("Transfer WHERE user=" + ARGS["std"]), "byid": s.find("Transfer WHERE id=" + t["id"])})
`,
        { admin, std },
      ),
    );
    assert.ok(list(r.mine).some((t) => t.id === r.t));
    assert.ok(!list(r.theirs).some((t) => t.id === r.t));
    assert.equal(list(r.byid).length, 1);
  });

  it("malformed queries fail with a clear error (Python client and raw 400)", async () => {
    const bad = ["code=", "(code=alpha1", "code alpha1 ==", "code=alpha1 AND", "code ~~ alpha1"];
    const r = obj(
      await py(
        server,
        "admin",
        `out({q: attempt(lambda q=q: s.find("Folder WHERE " + q)) for q in ARGS["qs"]})`,
        {
          qs: bad,
        },
      ),
    );
    for (const q of bad)
      assertError(obj(r[q]) as Attempt, `query ${JSON.stringify(q)}`, /query|syntax|invalid|unexpected/i);
    const w = await Wire.login(server, server.credentials("admin"));
    for (const q of bad) {
      const res = await w.send("GET", "folder/find", { data: {}, query: q });
      assert.equal(res.status, 400, `raw malformed query ${JSON.stringify(q)} → ${res.status} ${res.text}`);
    }
  });

  it("a regex that does not compile is a clear error, not a crash", async () => {
    const a = attempt(
      await py(server, "admin", `out(attempt(lambda: s.find("Folder WHERE code matches ([")))`),
    );
    // The Python client keeps "([" inside a parenthesis group; whatever it sends, the server answers a message.
    assertError(a, "invalid regular expression");
    assert.ok(!/caused an exception/.test(a.error ?? ""), `a message, not an exception reply: ${a.error}`);
  });
});

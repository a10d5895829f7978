import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { Wire } from "./wire";
import { PY_MKVOL, attempt, codes, list, obj, py, seedServers, uniq, type SeedServerRef } from "./common";

// Payloads the official client really sends: non-ASCII text, long GET/DELETE
// query strings (data under the 100 KiB gz threshold travels in the URL), and
// concurrent grants on one (user, share).
describe("payloads: unicode, long URLs, concurrent grants", function () {
  this.timeout(120_000);
  let server: TestServer;
  let hq: SeedServerRef;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
  });
  after(async () => server?.close());

  it("non-ASCII names and descriptions round-trip and are found case-insensitively", async () => {
    const code = uniq("uni");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"], name="Pröjekt Ångström ✓", description="Huvudvolym f\\u00f6r projekt.")
out({"v": v, "q": s.find('Volume WHERE name="PRÖJEKT ÅNGSTRÖM ✓"'), "c": s.find("Volume WHERE description contains för")})
`,
        { code, server: hq.id },
      ),
    );
    const v = obj(r.v);
    assert.equal(v.name, "Pröjekt Ångström ✓");
    assert.equal(v.description, "Huvudvolym för projekt.");
    assert.deepEqual(
      codes(list(r.q)),
      [code],
      "the client lower-cases ö/Å; the server compares case-insensitively",
    );
    assert.deepEqual(codes(list(r.c)), [code]);
  });

  it("delete_many of 1000 collection files (a ~45 KB DELETE query string)", async () => {
    const code = uniq("many");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
c = s.create("Collection", {"name": "Many files", "files": ["volume=%s/f/%04d.exr" % (ARGS["code"], i) for i in range(1200)]})
files = s.find("File", entityid=c["id"])
rm = attempt(lambda: s.delete_many("Collection", c["id"], {"files": [f["id"] for f in files[:1000]]}))
out({"n": len(files), "rm": rm, "left": len(s.find("File", entityid=c["id"]))})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(r.n, 1200);
    const rm = attempt(r.rm);
    assert.ok(rm.error === undefined, `long DELETE query string: ${String(rm.error).slice(0, 200)}…`);
    assert.equal(rm.ok, true);
    assert.equal(r.left, 200);
  });

  it("find with a long 'in' list (a ~30 KB GET query string)", async () => {
    const code = uniq("inl");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
names = ["nonexistent_code_number_%05d" % i for i in range(1000)] + [ARGS["code"]]
out(attempt(lambda: s.find("Volume WHERE code in (" + ",".join(names) + ")")))
`,
        { code, server: hq.id },
      ),
    );
    const a = attempt(r);
    const w = await Wire.login(server, server.credentials("admin"));
    const q =
      "code in (" + Array.from({ length: 1000 }, (_, i) => `nonexistent_code_number_${i}`).join(",") + ")";
    const rawReply = await w.send("GET", "volume/find", { data: {}, query: q });
    assert.equal(
      rawReply.status,
      200,
      `raw GET with a ${encodeURIComponent(q).length}-byte query: ${rawReply.status} ${JSON.stringify(rawReply.text)}`,
    );
    assert.ok(a.error === undefined, `long GET query string: ${String(a.error).slice(0, 200)}…`);
    assert.deepEqual(codes(list(a.ok)), [code]);
  });

  it("10 concurrent grants of different paths to one user on one folder → 10 ACLs, one per path", async () => {
    const code = uniq("cg");
    const std = server.credentials("standard").code;
    const f = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
out(s.create("Folder", {"parent": v["id"], "path": "cg", "name": "CG", "code": ARGS["code"] + "f"}))
`,
        { code, server: hq.id },
      ),
    );
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        py(
          server,
          "admin",
          `out(attempt(lambda: s.grant("User", ARGS["std"], "Folder", ARGS["f"], {"path": "p%d" % ARGS["i"], "read": True})))`,
          {
            std,
            f: f.id,
            i,
          },
        ),
      ),
    );
    for (const x of results) assert.equal(attempt(x).error, undefined, String(attempt(x).error));
    const acls = obj(
      await py(
        server,
        "admin",
        `out({"acc": s.access("Folder", ARGS["f"]), "raw": s._event("GET", "acl/find", {}, query="acl WHERE target=share:" + ARGS["f"])["result"]})`,
        { f: f.id },
      ),
    );
    const paths = list(acls.acc)
      .map((x) => String(x.path))
      .sort();
    assert.deepEqual(
      paths,
      Array.from({ length: 10 }, (_, i) => `p${i}`).sort(),
      "wire §6: one ACL per (user, share, path), also under concurrency",
    );
    const ids = new Set(list(acls.raw).map((x) => String(x.id)));
    assert.equal(ids.size, 10, "each path's ACL has its own id");
    const returned = results.map((x) => String(obj(attempt(x).ok, "each grant returns its ACL").id));
    assert.deepEqual(new Set(returned), ids, "each grant returned the ACL it made");
  });
  it("regex metacharacters in = and wildcard values are literal", async () => {
    const code = uniq("meta");
    const names = ["a.bc", "axbc", "a+b", "aab", "x(y)z", "back\\slash", "dollar$", "caret^x", "q?r"];
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
for i, n in enumerate(ARGS["names"]):
    s.create("Folder", {"parent": v["id"], "path": "m%d" % i, "name": n, "code": "%s_%d" % (ARGS["code"], i)})
def names(q):
    return attempt(lambda: sorted(f["name"] for f in s.find("Folder WHERE " + q, entityid=v["id"])))
out({"dotstar": names('name="a.b*"'), "plus": names('name="a+b"'), "paren": names('name="x(y)z"'),
     "paren_contains": names('name contains "(y)"'), "backslash": names('name="back\\\\slash"'),
     "dollar": names('name="dollar$"'), "caret": names('name="caret^x"'), "question": names('name="q?r"'),
     "all": names("code=" + ARGS["code"] + "_*")})
`,
        { code, server: hq.id, names },
      ),
    );
    const got = (k: string): unknown => {
      const a = attempt(r[k]);
      assert.equal(a.error, undefined, `${k}: ${a.error}`);
      return a.ok;
    };
    assert.deepEqual(got("dotstar"), ["a.bc"], "'.' is literal in a wildcard value");
    assert.deepEqual(got("plus"), ["a+b"]);
    assert.deepEqual(got("paren"), ["x(y)z"]);
    assert.deepEqual(got("paren_contains"), ["x(y)z"]);
    assert.deepEqual(got("backslash"), ["back\\slash"]);
    assert.deepEqual(got("dollar"), ["dollar$"]);
    assert.deepEqual(got("caret"), ["caret^x"]);
    assert.deepEqual(got("question"), ["q?r"], "'?' is literal (only '*' is a wildcard)");
    assert.equal((got("all") as string[]).length, names.length);
  });
});

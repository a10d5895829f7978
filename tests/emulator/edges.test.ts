import * as assert from "node:assert/strict";
import { networkInterfaces } from "node:os";
import { DEMO_SEED, type SeedFile } from "accsyn-local";
import { pySession, runPython } from "../helpers/python";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  PY_MKVOL,
  assertError,
  assertOk,
  attempt,
  list,
  obj,
  py,
  seedServers,
  uniq,
  type SeedServerRef,
} from "./common";
import { Wire, authHeaders, messageOf, raw } from "./wire";

// Rules stated in the seed documents and the wire page that the per-entity files
// do not reach: derived statuses, site servers, lookups by code, visibility,
// required parents, concurrency of unique codes, rate limit and control plane.
describe("edges of the documented rules", function () {
  this.timeout(60_000);
  let server: TestServer;
  let servers: SeedServerRef[];
  let hq: SeedServerRef;

  before(async () => {
    server = await startTestServer();
    servers = await seedServers(server);
    hq = servers[0];
  });
  after(async () => server?.close());

  it("derived statuses: a volume with no server is offline, its folders offline, disabled ones disabled-offline", async () => {
    const code = uniq("off");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "a", "name": "A", "code": ARGS["code"] + "a"})
g = s.create("Folder", {"parent": v["id"], "path": "b", "name": "B", "code": ARGS["code"] + "b"})
s.update("Folder", g["id"], {"status": "disabled"})
s.deassign("Volume", "server", {"volume": v["id"], "server": ARGS["server"]})
s1 = {"v": s.get_entity("Volume", v["id"])["status"], "f": s.get_entity("Folder", f["id"])["status"], "g": s.get_entity("Folder", g["id"])["status"]}
q1 = {"v": [x["id"] for x in s.find("Volume WHERE status=offline")], "f": [x["id"] for x in s.find("Folder WHERE status=offline")],
      "g": [x["id"] for x in s.find("Folder WHERE status=disabled-offline")], "ids": [v["id"], f["id"], g["id"]]}
s.update("Volume", v["id"], {"status": "disabled"})
s2 = s.get_entity("Volume", v["id"])["status"]
s.assign("Volume", "server", {"volume": v["id"], "server": ARGS["server"]})
s3 = {"v": s.get_entity("Volume", v["id"])["status"], "f": s.get_entity("Folder", f["id"])["status"]}
out({"s1": s1, "s2": s2, "s3": s3, "q1": q1})
`,
        { code, server: hq.id },
      ),
    );
    assert.deepEqual(r.s1, { v: "offline", f: "offline", g: "disabled-offline" }, "seed 000 status tables");
    const q1 = obj(r.q1);
    const [vid, fid, gid] = q1.ids as string[];
    assert.ok((q1.v as string[]).includes(vid), "status=offline finds the unserved volume");
    assert.ok((q1.f as string[]).includes(fid), "status=offline finds its folder");
    assert.ok((q1.g as string[]).includes(gid), "status=disabled-offline finds the disabled folder");
    assert.equal(r.s2, "disabled-offline", "a disabled volume without a server is disabled-offline");
    assert.deepEqual(r.s3, { v: "disabled", f: "enabled" });
  });

  it("site servers: create with siteservers, assignments name the site and tell site servers apart", async () => {
    const site = servers.find((s) => s.site !== hq.site);
    assert.ok(site, "DEMO_SEED has a server at a second site");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"], siteservers=[ARGS["site"]])
out({"a": s.assignments("Volume", v["id"])})
`,
        { code: uniq("ss"), server: hq.id, site: site.id },
      ),
    );
    const a = list(r.a);
    assert.equal(a.length, 2, `both servers assigned: ${JSON.stringify(a)}`);
    const main = a.find((x) => x.id === hq.id);
    const other = a.find((x) => x.id === site.id);
    assert.ok(main && other, JSON.stringify(a));
    assert.notEqual(JSON.stringify(main.site), JSON.stringify(other.site), "the site differs");
    const flags = Object.keys(main).filter((k) => typeof main[k] === "boolean" && main[k] !== other[k]);
    assert.ok(flags.length > 0, `a boolean tells the site server apart (wire §6): ${JSON.stringify(a)}`);
  });

  it("grant and revoke by codes: user e-mail and share code (the client looks them up with data null)", async () => {
    const code = uniq("bycode");
    const std = server.credentials("standard").code;
    await server.resetCounters();
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "c", "name": "C", "code": ARGS["code"] + "f"})
g = s.grant("User", ARGS["std"], "Folder", ARGS["code"] + "f", {"read": True})
acc = s.access("Folder", f["id"])
rv = s.revoke("User", ARGS["std"], "Folder", f["id"])
out({"g": g, "acc": acc, "rv": rv, "fid": f["id"]})
`,
        { code, server: hq.id, std },
      ),
    );
    assert.equal(obj(r.g).target, `share:${r.fid}`);
    assert.equal(list(r.acc).length, 1);
    assert.ok(
      String(list(r.acc)[0].user_hr).includes(std),
      "access() user_hr comes from entity_hr and names the user",
    );
    assert.equal(r.rv, true);
    const c = await server.counters();
    assert.ok((c.byUri["GET user/find"] ?? 0) >= 1, `user/find lookups: ${JSON.stringify(c.byUri)}`);
    assert.ok(
      (c.byUri["GET folder/find"] ?? 0) >= 1,
      `folder/find lookup by code: ${JSON.stringify(c.byUri)}`,
    );
  });

  it("find with attributes returns only those attributes", async () => {
    const r = list(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `mkvol(s, ARGS["code"], ARGS["server"])\nout(s.find("Volume", attributes=["code", "name"]))`,
        { code: uniq("attrs"), server: hq.id },
      ),
    );
    assert.ok(r.length > 0);
    for (const v of r) {
      assert.ok("code" in v && "name" in v, JSON.stringify(v));
      assert.ok(
        !("paths" in v) && !("metadata" in v),
        `only the asked attributes (and perhaps id): ${JSON.stringify(v)}`,
      );
    }
  });

  it("get_entity returns an inactive share", async () => {
    const code = uniq("ge");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "ge", "name": "GE", "code": ARGS["code"] + "f"})
s.deactivate_one("Folder", f["id"])
out({"e": s.get_entity("Folder", f["id"]), "one": s.find_one("Folder WHERE code=" + ARGS["code"] + "f")})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(obj(r.e).inactive, true, "seed docstring: get_entity regardless if it is inactive");
  });

  it("get_entity of an unknown id is None; find_one of several returns one (client docstrings)", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
mkvol(s, ARGS["a"], ARGS["server"])
mkvol(s, ARGS["b"], ARGS["server"])
out({"none": s.get_entity("Volume", "0123456789abcdef01234567"), "one": s.find_one("Volume"), "n": len(s.find("Volume"))})`,
        { a: uniq("ga"), b: uniq("gb"), server: hq.id },
      ),
    );
    assert.equal(r.none, null);
    assert.ok(Number(r.n) >= 2);
    assert.ok(r.one !== null && typeof obj(r.one).id === "string");
  });

  it("Task finds require the parent id; File finds without one list every collection's files (Decision 17)", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"t": attempt(lambda: s.find("Task")), "f": attempt(lambda: s.find("File"))})`,
      ),
    );
    assertError(attempt(r.t), "find('Task') without entityid", /parent|job|entityid/i);
    const files = list(assertOk(attempt(r.f), "find('File') without entityid"));
    for (const f of files) assert.match(String(f.parent), /^[0-9a-f]{24}$/, "each file names its collection");
  });

  it("several tasks at once return a list; a standard user does not see the admin's transfers", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/x.mov", "destination": "/tmp/x", "status": "paused"})
many = s.create("Task", {"tasks": [{"source": "m1.mov", "destination": "/tmp/m1.mov"}, {"source": "m2.mov", "destination": "/tmp/m2.mov"}]}, entityid=t["id"])
out({"t": t["id"], "many": many})
`,
        { code: uniq("tk"), server: hq.id },
      ),
    );
    assert.equal(list(r.many, "seed 001: adding multiple tasks returns a list").length, 2);
    const std = list(await py(server, "standard", `out(s.find("Transfer"))`));
    assert.ok(!std.some((t) => t.id === r.t), "find('Transfer') returns only jobs the session may read");
  });

  it("a volume code change to a taken code fails; the old code stays", async () => {
    const a = uniq("ca");
    const b = uniq("cb");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
va = mkvol(s, ARGS["a"], ARGS["server"])
vb = mkvol(s, ARGS["b"], ARGS["server"])
out({"r": attempt(lambda: s.update("Volume", vb["id"], {"code": ARGS["a"]})), "b": s.get_entity("Volume", vb["id"])["code"]})
`,
        { a, b, server: hq.id },
      ),
    );
    assertError(attempt(r.r), "rename a code onto a taken code", a);
    assert.equal(r.b, b);
  });

  it("concurrent creates of one code: exactly one succeeds, the rest are 409", async () => {
    const w = await Wire.login(server, server.credentials("admin"));
    const code = uniq("race");
    const data = {
      name: code,
      code,
      paths: { linux: `/${code}`, windows: "R:", mac: `/Volumes/${code}` },
      server: hq.id,
    };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => w.send("POST", "volume/create", { data })),
    );
    const statuses = replies.map((x) => x.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses ${statuses}`);
    assert.equal(statuses.filter((s) => s === 409).length, 19, `statuses ${statuses}`);
  });

  it("bad gz_data is a 400 with a message", async () => {
    const w = await Wire.login(server, server.credentials("admin"));
    const r = await w.send("PUT", "volume/edit", { id: hq.id, gz_data: "!!!not-base64-gzip!!!" });
    assert.equal(r.status, 400, r.text);
    assert.ok(messageOf(r).length > 0);
  });

  it("an unsupported HTTP method on /api/v3/event answers JSON", async () => {
    const r = await raw(server, "PATCH", "/api/v3/event", authHeaders(server.credentials("admin")), "{}");
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
    assert.ok(r.json !== undefined, `JSON body: ${r.text}`);
  });

  it("reset with a custom seed replaces users and servers", async () => {
    const own = await startTestServer();
    try {
      const seed: SeedFile = {
        workspace: "demo",
        users: [{ code: "solo@example.com", role: "admin", apiKey: "solo-key" }],
        servers: [{ code: "solo-server", site: "hq", os: "linux" }],
      };
      await own.reset(seed);
      const r = obj(
        await runPython(
          `s = Session()\nout({"role": s._role, "servers": [x["code"] for x in s.find("Server")]})`,
          pySession(own, { code: "solo@example.com", apiKey: "solo-key" }),
        ),
      );
      assert.equal(r.role, "admin");
      assert.deepEqual(r.servers, ["solo-server"]);
      const old = DEMO_SEED.users.find((u) => u.role === "admin");
      assert.ok(old?.apiKey);
      await assert.rejects(
        runPython(`s = Session()\nout(True)`, pySession(own, { code: old.code, apiKey: old.apiKey })),
      );
    } finally {
      await own.close();
    }
  });

  it("rate limit (when on) answers 429 with Retry-After and a JSON message", async () => {
    const limited = await startTestServer({ rateLimit: { perSecond: 5, burst: 5 } });
    try {
      const w = await Wire.login(limited, limited.credentials("admin"));
      const replies = await Promise.all(
        Array.from({ length: 30 }, () => w.send("GET", "volume/find", { data: {} })),
      );
      const throttled = replies.filter((x) => x.status === 429);
      assert.ok(
        throttled.length > 0,
        `some of 30 requests against burst 5 are throttled: ${replies.map((x) => x.status)}`,
      );
      assert.ok(Number(throttled[0].headers["retry-after"]) > 0, "Retry-After");
      assert.ok(messageOf(throttled[0]).length > 0, throttled[0].text);
      await new Promise((resolve) => setTimeout(resolve, 1500)); // let the bucket refill for the Python login
      const a = attempt(
        await py(limited, "admin", `out(attempt(lambda: [s.find("Volume") for i in range(40)]))`),
      );
      assert.ok(a.error, "the official client raises when throttled (it has no retries)");
    } finally {
      await limited.close();
    }
  });

  it("the rate limit is per IP: two users from one address share one bucket", async () => {
    // accsyn-wire.md §3 "Rate limits published for the service: 30 requests/s sustained, burst 60,
    // 100 connections per IP"; the official client's Session docstring: "Workspace backends apply
    // per-IP rate limits on REST traffic".
    const limited = await startTestServer({ rateLimit: { perSecond: 1, burst: 10 } });
    try {
      const a = await Wire.login(limited, limited.credentials("admin"));
      const e = await Wire.login(limited, limited.credentials("employee"));
      const replies = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 ? a : e).send("GET", "volume/find", { data: {} })),
      );
      const throttled = replies.filter((x) => x.status === 429).length;
      assert.ok(
        throttled >= 4,
        `18 requests (2 logins + 16 finds) from one IP against burst 10: ${throttled} throttled (statuses ${replies.map((x) => x.status)})`,
      );
    } finally {
      await limited.close();
    }
  });

  it("the control plane answers only loopback callers (ARCHITECTURE.md)", async function () {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal);
    if (!external) this.skip(); // no non-loopback address on this machine
    const open = await startTestServer({ host: "0.0.0.0" });
    try {
      const url = `http://${external.address}:${open.port}`;
      const c = await raw({ url }, "GET", "/_accsyn-local/counters", {});
      assert.equal(c.status, 403, `control plane from ${external.address}: ${c.status} ${c.text}`);
      const f = await raw(
        { url },
        "PUT",
        "/_accsyn-local/faults",
        {},
        JSON.stringify([{ action: "unavailable" }]),
      );
      assert.equal(f.status, 403, f.text);
      assert.deepEqual(await open.faults(), [], "the rule list is unchanged");
      const api = await raw(
        { url },
        "PUT",
        "/api/v3/api/login",
        authHeaders(open.credentials("admin")),
        "{}",
      );
      assert.equal(api.status, 200, "the API itself answers on every address");
    } finally {
      await open.close();
    }
  });

  it("without control: true the control plane does not exist", async () => {
    const plain = await startTestServer({ control: false });
    try {
      const r = await raw(plain, "GET", "/_accsyn-local/counters", {});
      assert.equal(r.status, 404, r.text);
      const f = await raw(
        plain,
        "PUT",
        "/_accsyn-local/faults",
        { "content-type": "application/json" },
        "[]",
      );
      assert.equal(f.status, 404, f.text);
    } finally {
      await plain.close();
    }
  });

  it("a home for a user: standard users cannot create one; the same user twice is refused or idempotent", async () => {
    const a = attempt(
      await py(server, "standard", `out(attempt(lambda: s.create("Home", {"user": ARGS["u"]})))`, {
        u: server.credentials("standard").code,
      }),
    );
    assertError(a, "standard creates a home", "standard");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
mkvol(s, ARGS["code"], ARGS["server"])
h1 = s.create("Home", {"user": ARGS["u"]})
h2 = attempt(lambda: s.create("Home", {"user": ARGS["u"]}))
out({"h1": h1, "h2": h2})
`,
        { u: server.credentials("employee").code, code: uniq("hv"), server: hq.id },
      ),
    );
    const h2 = attempt(r.h2);
    if (h2.ok !== undefined)
      assert.equal(obj(h2.ok).id, obj(r.h1).id, "a second home for one user is the same home");
  });
});

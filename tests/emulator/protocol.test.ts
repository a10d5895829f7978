import * as assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { PythonError, pySession, runPython } from "../helpers/python";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  HEX24,
  PY_MKVOL,
  assertError,
  attempt,
  list,
  obj,
  py,
  seedServers,
  TRANSFER_ATTRIBUTES,
  uniq,
  type SeedServerRef,
} from "./common";
import { Wire, authHeaders, messageOf, raw, sendEvent, type WireUser } from "./wire";

// accsyn-wire.md §1–4.
describe("protocol (wire §1–3)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;
  let admin: WireUser;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
    admin = server.credentials("admin");
  });
  after(async () => server?.close());

  it("workspace lookup answers hostname and port without auth", async () => {
    const q = encodeURIComponent(JSON.stringify({ ident: "demo" }));
    const r = await raw(server, "GET", `/api/v3/J3PKTtDvolDMBtTy6AFGA?${q}`, {});
    assert.equal(r.status, 200, r.text);
    const res = obj(obj(r.json).result);
    assert.equal(typeof res.hostname, "string");
    assert.equal(typeof res.port, "number");
  });

  it("login replies {result: {role, id, session_id}} for each role", async () => {
    for (const role of ["admin", "employee", "standard"] as const) {
      const u = server.credentials(role);
      const r = await raw(server, "PUT", "/api/v3/api/login", authHeaders(u), "{}");
      assert.equal(r.status, 200, r.text);
      const res = obj(obj(r.json).result);
      assert.equal(res.role, role);
      assert.match(String(res.id), HEX24);
      assert.ok(typeof res.session_id === "string" && res.session_id.length > 0);
    }
    const p = obj(
      await py(server, "employee", `out({"role": s._role, "uid": s._uid, "sid": s._session_id})`),
    );
    assert.equal(p.role, "employee");
    assert.match(String(p.uid), HEX24);
  });

  it("the Python client uses all four methods; counters see them by envelope uri", async () => {
    await server.resetCounters();
    const code = uniq("m");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.find("Volume WHERE code=" + ARGS["code"])
u = s.update("Volume", v["id"], {"description": "four methods"})
d = s.delete_one("Volume", v["id"])
out({"f": f, "u": u, "d": d})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(list(r.f).length, 1);
    assert.equal(obj(r.u).description, "four methods");
    assert.equal(r.d, true);
    const c = await server.counters();
    assert.equal(c.byUri["PUT api/login"], 1);
    assert.equal(c.byUri["POST volume/create"], 1);
    assert.equal(c.byUri["GET volume/find"], 1);
    assert.equal(c.byUri["PUT volume/edit"], 1);
    assert.equal(c.byUri["DELETE volume/delete"], 1);
    assert.equal(c.total, 5);
  });

  it("GET and DELETE carry the event as the raw query string; PUT/POST with or without Content-Type", async () => {
    const w = await Wire.login(server, admin);
    const get = await w.send("GET", "volume/find", { data: {} });
    assert.equal(get.status, 200, get.text);
    assert.ok(Array.isArray(obj(get.json).result));
    const code = uniq("ct");
    const noCt = await w.send("POST", "volume/create", {
      data: {
        name: "NoCt",
        code,
        paths: { linux: "/noct", windows: "N:", mac: "/Volumes/noct" },
        server: hq.id,
      },
    });
    assert.equal(noCt.status, 200, `POST without Content-Type: ${noCt.text}`);
    const id = String(list(obj(noCt.json).result)[0].id);
    const withCt = await w.send(
      "PUT",
      "volume/edit",
      { id, data: { description: "json" } },
      { contentType: "application/json" },
    );
    assert.equal(withCt.status, 200, `PUT with Content-Type application/json: ${withCt.text}`);
    const del = await w.send("DELETE", "volume/delete", { id, data: null });
    assert.equal(del.status, 200, del.text);
    assert.equal(obj(del.json).result, true);
  });

  it("gz_data: a >100 KiB collection file list and volume metadata from the Python client", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
files = ["volume=%s/deep/folder/structure/for/gz/file_%05d.exr" % (ARGS["code"], i) for i in range(3000)]
c = s.create("Collection", {"name": "Big", "files": files})
n = len(s.find("File", entityid=c["id"]))
blob = "x" * 120000
u = s.update("Volume", v["id"], {"metadata": {"blob": blob}})
back = s.get_entity("Volume", v["id"])
out({"n": n, "mlen": len(back["metadata"]["blob"]), "ulen": len(u["metadata"]["blob"])})
`,
        { code: uniq("gz"), server: hq.id },
      ),
    );
    assert.equal(r.n, 3000, "all 3000 files of the gz_data payload arrived");
    assert.equal(r.mlen, 120000);
    assert.equal(r.ulen, 120000);
    // and a raw gz_data event
    const w = await Wire.login(server, admin);
    const gz = gzipSync(Buffer.from(JSON.stringify({ description: "via gz" }))).toString("base64");
    const vols = list(await w.result("GET", "volume/find", { data: {} }));
    const e = await w.send("PUT", "volume/edit", { id: String(vols[0].id), gz_data: gz });
    assert.equal(e.status, 200, e.text);
    assert.equal(list(obj(e.json).result)[0].description, "via gz");
  });

  it("bad credentials: the Python client raises; raw login is 401 with a JSON message", async () => {
    const env = pySession(server, { code: admin.code, apiKey: "wrong-key" });
    await assert.rejects(
      runPython(`s = Session()\nout(True)`, env),
      (e: unknown) => e instanceof PythonError,
    );
    const env2 = pySession(server, { code: "nobody@example.com", apiKey: admin.apiKey });
    await assert.rejects(
      runPython(`s = Session()\nout(True)`, env2),
      (e: unknown) => e instanceof PythonError,
    );
    const r = await raw(
      server,
      "PUT",
      "/api/v3/api/login",
      authHeaders({ code: admin.code, apiKey: "wrong" }),
      "{}",
    );
    assert.equal(r.status, 401);
    assert.ok(messageOf(r).length > 0, `401 has a JSON message: ${r.text}`);
    const ev = await sendEvent(server, { code: admin.code, apiKey: "wrong" }, "x", "GET", "volume/find");
    assert.equal(ev.status, 401, ev.text);
  });

  it("unknown uri and unknown path answer JSON errors, not HTML", async () => {
    const w = await Wire.login(server, admin);
    const r = await w.send("GET", "nosuchthing/find", { data: {} });
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
    assert.ok(messageOf(r).length > 0, `JSON message: ${r.text}`);
    const p = await raw(server, "GET", "/api/v3/nosuchendpoint", authHeaders(admin));
    assert.equal(p.status, 404);
    assert.ok(p.json !== undefined, `JSON body for an unknown path: ${p.text}`);
    const a = attempt(
      await py(server, "admin", `out(attempt(lambda: s._event("GET", "nosuchthing/find", {})))`),
    );
    assertError(a, "the Python client on an unknown uri", "nosuchthing");
  });

  it("raw statuses: 400 malformed, 401, 403 role, 404 unknown entity, 409 duplicate code", async () => {
    const w = await Wire.login(server, admin);
    const std = await Wire.login(server, server.credentials("standard"));
    const bad = await raw(server, "GET", "/api/v3/event?%7Bnot-json", authHeaders(admin));
    assert.equal(bad.status, 400, `malformed event: ${bad.text}`);
    assert.ok(messageOf(bad).length > 0);
    const badBody = await raw(server, "POST", "/api/v3/event", authHeaders(admin), "{nope");
    assert.equal(badBody.status, 400, badBody.text);
    const badQuery = await w.send("GET", "volume/find", { data: {}, query: "code=" });
    assert.equal(badQuery.status, 400, `malformed query: ${badQuery.text}`);
    const unauth = await sendEvent(
      server,
      { code: admin.code, apiKey: "nope" },
      w.session,
      "GET",
      "volume/find",
    );
    assert.equal(unauth.status, 401, unauth.text);
    const code = uniq("s");
    const forb = await std.send("POST", "volume/create", {
      data: { name: "S", code, paths: { linux: "/s" }, server: hq.id },
    });
    assert.equal(forb.status, 403, forb.text);
    const missing = await w.send("PUT", "volume/edit", {
      id: "0123456789abcdef01234567",
      data: { name: "x" },
    });
    assert.equal(missing.status, 404, missing.text);
    const dupData = {
      name: "D",
      code,
      paths: { linux: "/d", windows: "D:", mac: "/Volumes/d" },
      server: hq.id,
    };
    assert.equal((await w.send("POST", "volume/create", { data: dupData })).status, 200);
    const dup = await w.send("POST", "volume/create", { data: dupData });
    assert.equal(dup.status, 409, dup.text);
    assert.ok(messageOf(dup).includes(code));
  });

  it("find('entitytypes') and find('attributes WHERE entitytype=folder')", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"et": s.find("entitytypes"), "attr": s.find("attributes WHERE entitytype=folder"),
     "c": s.find("attributes WHERE entitytype=folder", create=True), "u": s.find("attributes WHERE entitytype=folder", update=True)})`,
      ),
    );
    const et = (r.et as unknown[]).map((x) => String(x).toLowerCase());
    for (const t of ["volume", "folder", "home", "collection", "transfer", "task"]) {
      assert.ok(et.includes(t), `entitytypes includes ${t}: ${JSON.stringify(r.et)}`);
    }
    const names = (v: unknown): string[] =>
      (v as unknown[]).map((a) =>
        typeof a === "string" ? a : String(obj(a).name ?? obj(a).attribute ?? ""),
      );
    const attrs = names(r.attr);
    for (const k of ["code", "name", "parent", "path", "queue", "status", "description", "id"]) {
      assert.ok(attrs.includes(k), `folder attributes include ${k}: ${JSON.stringify(r.attr)}`);
    }
    const create = names(r.c);
    for (const k of ["parent", "path", "name"])
      assert.ok(create.includes(k), `create attributes include ${k}`);
    const update = names(r.u);
    for (const k of ["status", "queue", "name"])
      assert.ok(update.includes(k), `update attributes include ${k}`);
    assert.ok(!update.includes("id"), "id is not updatable");
  });
  it("attributes of volume, transfer and task name every attribute the seeds document", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({et: s.find("attributes WHERE entitytype=" + et) for et in ["volume", "transfer", "task", "home", "collection"]})`,
      ),
    );
    const names = (v: unknown): string[] =>
      (v as unknown[]).map((a) => (typeof a === "string" ? a : String(obj(a).name ?? "")));
    const documented: Record<string, string[]> = {
      volume: [
        "code",
        "created",
        "creator",
        "default",
        "description",
        "email",
        "id",
        "licensed",
        "metadata",
        "modified",
        "modifier",
        "name",
        "path",
        "paths",
        "queue",
        "status",
        "type",
      ],
      transfer: TRANSFER_ATTRIBUTES,
      task: [
        "created",
        "destination",
        "finished",
        "id",
        "job",
        "job_hr",
        "priority",
        "size",
        "source",
        "status",
        "time",
        "uri",
      ],
      home: ["code", "name", "parent", "parent_hr", "path", "queue", "status"],
      collection: ["code", "name", "status"],
    };
    const missing: string[] = [];
    for (const [et, keys] of Object.entries(documented)) {
      const have = names(r[et]);
      for (const k of keys) if (!have.includes(k)) missing.push(`${et}.${k}`);
    }
    assert.deepEqual(missing, [], "attributes the seed documents list but attributes() does not");
  });
});

import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  DATETIME,
  HEX24,
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

// Seed 000 "Working with volumes", wire §4 and §6.
describe("volumes (seed 000, Python client)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;
  let servers: SeedServerRef[];

  before(async () => {
    server = await startTestServer();
    servers = await seedServers(server);
    hq = servers[0];
  });
  after(async () => server?.close());

  const VOLUME_KEYS = [
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
  ];

  it("create returns the volume in the documented shape; find('Volume') lists it", async () => {
    const code = uniq("assets");
    const r = obj(
      await py(
        server,
        "admin",
        `
v = s.create("Volume", {
    "name": "Assets", "code": ARGS["code"],
    "paths": {"windows": "A:", "windows_vpn": "\\\\\\\\192.168.0.1\\\\assets", "linux": "/assets", "linux_vpn": "/192.168.0.1/assets",
              "mac": "/Volumes/assets", "mac_vpn": "/net/192.168.0.1/assets"},
    "server": ARGS["server"],
})
out({"created": v, "found": s.find("Volume"), "one": s.find_one("Volume WHERE code=" + ARGS["code"]),
     "entity": s.get_entity("Volume", v["id"])})
`,
        { code, server: hq.id },
      ),
    );
    const v = obj(r.created, "create reply");
    for (const k of VOLUME_KEYS)
      assert.ok(k in v, `volume lacks documented attribute ${k}: ${JSON.stringify(v)}`);
    assert.equal(v.code, code);
    assert.equal(v.name, "Assets");
    assert.equal(v.type, "volume");
    assert.match(String(v.id), HEX24);
    assert.match(String(v.created), DATETIME);
    assert.match(String(v.modified), DATETIME);
    assert.equal(v.creator, server.credentials("admin").code);
    assert.equal(v.status, "enabled", "a volume created with a serving server is enabled");
    assert.deepEqual(obj(v.paths).linux, "/assets");
    assert.deepEqual(obj(v.paths).mac_vpn, "/net/192.168.0.1/assets");
    assert.deepEqual(v.metadata, {});
    const found = list(r.found);
    assert.ok(
      found.some((f) => f.id === v.id),
      "find('Volume') lists the new volume",
    );
    assert.equal(obj(r.one).id, v.id, "find_one by code");
    assert.equal(obj(r.entity).id, v.id, "get_entity");
  });

  it("the first volume is the default (main) volume; only one default", async () => {
    await server.reset();
    servers = await seedServers(server);
    hq = servers[0];
    const a = uniq("defa");
    const b = uniq("defb");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
mkvol(s, ARGS["a"], ARGS["server"])
mkvol(s, ARGS["b"], ARGS["server"])
before = s.find("Volume")
vb = s.find_one("Volume WHERE code=" + ARGS["b"])
upd = s.update("Volume", vb["id"], {"default": True})
after = s.find("Volume")
out({"before": before, "after": after, "upd": upd})
`,
        { a, b, server: hq.id },
      ),
    );
    const before = list(r.before);
    assert.equal(before.filter((v) => v.default === true).length, 1, "exactly one default volume");
    assert.equal(before.find((v) => v.default === true)?.code, a, "the first volume is the default");
    const after = list(r.after);
    assert.equal(
      after.filter((v) => v.default === true).length,
      1,
      "still exactly one default after switching",
    );
    assert.equal(after.find((v) => v.default === true)?.code, b);
  });

  it("rename, change code, change paths (update returns the volume)", async () => {
    const code = uniq("ren");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
r1 = s.update("Volume", v["id"], {"name": "Assets 2"})
r2 = s.update("Volume", v["id"], {"code": ARGS["code"] + "x"})
r3 = s.update("Volume", v["id"], {"paths": {"windows": "B:", "linux": "/assets2", "mac": "/Volumes/assets2"}})
out({"r1": r1, "r2": r2, "r3": r3, "old": s.find("Volume WHERE code=" + ARGS["code"]),
     "new": s.find("Volume WHERE code=" + ARGS["code"] + "x")})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(obj(r.r1).name, "Assets 2");
    assert.equal(obj(r.r2).code, `${code}x`);
    assert.deepEqual(
      {
        windows: obj(obj(r.r3).paths).windows,
        linux: obj(obj(r.r3).paths).linux,
        mac: obj(obj(r.r3).paths).mac,
      },
      { windows: "B:", linux: "/assets2", mac: "/Volumes/assets2" },
    );
    assert.equal(list(r.old).length, 0, "old code no longer finds the volume");
    assert.equal(list(r.new).length, 1);
    assert.equal(obj(r.r3).modifier, server.credentials("admin").code);
  });

  it("status: enabled/disabled writable, offline/disabled-offline not", async () => {
    const code = uniq("st");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
out({"dis": attempt(lambda: s.update("Volume", v["id"], {"status": "disabled"})),
     "en": attempt(lambda: s.update("Volume", v["id"], {"status": "enabled"})),
     "off": attempt(lambda: s.update("Volume", v["id"], {"status": "offline"})),
     "doff": attempt(lambda: s.update("Volume", v["id"], {"status": "disabled-offline"}))})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(obj(assertOk(attempt(r.dis), "disable")).status, "disabled");
    assert.equal(obj(assertOk(attempt(r.en), "enable")).status, "enabled");
    assertError(attempt(r.off), "set status offline", "status");
    assertError(attempt(r.doff), "set status disabled-offline", "status");
  });

  it("duplicate code fails naming the code and the existing share (wire §6)", async () => {
    const code = uniq("dup");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
out({"vol": attempt(lambda: mkvol(s, ARGS["code"], ARGS["server"])),
     "upper": attempt(lambda: mkvol(s, ARGS["code"].upper(), ARGS["server"])),
     "folder": attempt(lambda: s.create("Folder", {"parent": v["id"], "path": "x", "name": "X", "code": ARGS["code"]})),
     "id": v["id"]})
`,
        { code, server: hq.id },
      ),
    );
    assertError(attempt(r.vol), "second volume with the same code", code);
    assertError(attempt(r.folder), "folder with a volume's code (unique among all shares)", code);
    const up = attempt(r.upper);
    if (up.ok !== undefined) {
      assert.fail(
        `code ${code.toUpperCase()} accepted although ${code} exists (codes compare case-insensitively, wire §5)`,
      );
    }
  });

  it("the path for the serving server's OS must be supplied", async () => {
    const linux = servers.find((s) => s.os === "linux" || s.os === undefined);
    assert.ok(linux, "DEMO_SEED has a linux server");
    const r = attempt(
      await py(
        server,
        "admin",
        `out(attempt(lambda: s.create("Volume", {"name": "NoLinux", "code": ARGS["code"], "paths": {"windows": "N:", "mac": "/Volumes/n"}, "server": ARGS["server"]})))`,
        { code: uniq("nolinux"), server: linux.id },
      ),
    );
    assertError(r, "volume without the linux path served by a linux server", "linux");
  });

  it("assign, assignments, deassign a server", async () => {
    const code = uniq("asg");
    const other = servers.find((s) => s.id !== hq.id && s.site === hq.site) ?? hq;
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
a0 = s.assignments("Volume", v["id"])
d = s.deassign("Volume", "server", {"volume": v["id"], "server": ARGS["server"]})
a1 = s.assignments("Volume", v["id"])
st1 = s.get_entity("Volume", v["id"])["status"]
a = s.assign("Volume", "server", {"volume": v["id"], "server": ARGS["other"]})
a2 = s.assignments("Volume", v["id"])
st2 = s.get_entity("Volume", v["id"])["status"]
out({"a0": a0, "d": d, "a1": a1, "a": a, "a2": a2, "st1": st1, "st2": st2})
`,
        { code, server: hq.id, other: other.id },
      ),
    );
    const a0 = list(r.a0);
    assert.ok(
      a0.some((x) => JSON.stringify(x).includes(hq.id)),
      `assignments lists the creating server ${hq.id}: ${JSON.stringify(a0)}`,
    );
    for (const x of a0) {
      // wire §6: at least id, code/hostname, site and whether it is a site server
      assert.ok(
        "id" in x && ("code" in x || "hostname" in x) && "site" in x,
        `assignment shape: ${JSON.stringify(x)}`,
      );
    }
    assert.equal(r.d, true, "deassign returns True");
    assert.equal(list(r.a1).length, 0, "no assignment after deassign");
    assert.equal(r.st1, "offline", "a volume with no serving server is offline (wire §6)");
    assert.equal(r.a, true, "assign returns True");
    assert.ok(JSON.stringify(r.a2).includes(other.id));
    assert.equal(r.st2, "enabled");
  });

  it("grant, access, revoke an employee (ACL shape of wire §4)", async () => {
    const code = uniq("acl");
    const emp = server.credentials("employee").code;
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
g = s.grant("User", ARGS["emp"], "Volume", v["id"])
acc = s.access("Volume", v["id"])
raw = s._event("GET", "acl/find", {}, query="acl WHERE target=share:" + v["id"])["result"]
rv = s.revoke("User", ARGS["emp"], "Volume", v["id"])
acc2 = s.access("Volume", v["id"])
rv2 = s.revoke("User", ARGS["emp"], "Volume", v["id"])
out({"g": g, "acc": acc, "raw": raw, "rv": rv, "acc2": acc2, "rv2": rv2, "vid": v["id"]})
`,
        { code, server: hq.id, emp },
      ),
    );
    const g = obj(r.g, "grant reply");
    for (const k of [
      "id",
      "entity",
      "entity_hr",
      "target",
      "target_hr",
      "path",
      "read",
      "write",
      "acknowledged",
      "role",
      "status",
      "token",
      "description",
      "created",
      "creator",
    ]) {
      assert.ok(k in g, `ACL lacks ${k} (wire §4): ${JSON.stringify(g)}`);
    }
    assert.match(String(g.id), HEX24);
    assert.match(String(g.entity), /^user:[0-9a-f]{24}$/);
    assert.equal(g.target, `share:${r.vid}`);
    assert.equal(g.read, true, "grant without data defaults to read=True");
    assert.equal(g.write, true, "grant without data defaults to write=True");
    assert.equal(g.path, "/");
    const acc = list(r.acc);
    assert.equal(acc.length, 1);
    assert.equal(acc[0].share, r.vid);
    assert.equal(list(r.raw).length, 1);
    assert.equal(r.rv, true, "revoke returns True");
    assert.equal(list(r.acc2).length, 0);
    assert.equal(r.rv2, false, "revoke of a user without access returns False");
  });

  it("grant with neither read nor write fails", async () => {
    const code = uniq("rw");
    const r = attempt(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
out(attempt(lambda: s.grant("User", ARGS["emp"], "Volume", v["id"], {"read": False, "write": False})))
`,
        { code, server: hq.id, emp: server.credentials("employee").code },
      ),
    );
    assertError(r, "grant read=False write=False", /read|write/i);
  });

  it("granting an unknown e-mail invites a new standard user (wire §4)", async () => {
    const code = uniq("inv");
    const email = `${uniq("invitee")}@example.com`;
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
g = s.grant("User", ARGS["email"], "Volume", v["id"], {"read": True})
u = s.find("User WHERE code=" + ARGS["email"])
out({"g": g, "u": u})
`,
        { code, server: hq.id, email },
      ),
    );
    const u = list(r.u);
    assert.equal(u.length, 1, "the invited user exists");
    assert.equal(u[0].role, "standard", "an invited user is standard");
    assert.equal(obj(r.g).entity, `user:${u[0].id}`);
  });

  it("delete returns True and the volume is gone", async () => {
    const code = uniq("del");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
d = s.delete_one("Volume", v["id"])
out({"d": d, "found": s.find("Volume WHERE code=" + ARGS["code"]), "inactive": s.find("Volume WHERE code=" + ARGS["code"], inactive=True)})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.found).length, 0);
    assert.equal(list(r.inactive).length, 0, "a deleted volume is not merely inactive");
  });
});

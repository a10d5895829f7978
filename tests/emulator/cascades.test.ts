import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  PY_MKVOL,
  assertError,
  attempt,
  list,
  obj,
  py,
  seedServers,
  uniq,
  type SeedServerRef,
} from "./common";
import { Wire } from "./wire";

// Seed 000 "Delete a volume", "Deactivate", wire §6 "ACL granularity".
describe("cascades (seed 000, wire §6)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
  });
  after(async () => server?.close());

  const SETUP =
    PY_MKVOL +
    `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "f", "name": "F", "code": ARGS["code"] + "f"})
s.grant("User", ARGS["hu"], "Volume", v["id"], {"read": True})  # invites a fresh user to own the home
h = s.create("Home", {"parent": v["id"], "path": "homes/hu", "name": "HuHome", "code": ARGS["code"] + "h", "user": ARGS["hu"]})
va = s.grant("User", ARGS["emp"], "Volume", v["id"])
fa = s.grant("User", ARGS["std"], "Folder", f["id"], {"read": True})
ha = s.grant("User", ARGS["std"], "Home", h["id"], {"read": True, "write": True})
def acls(target):
    return s._event("GET", "acl/find", {}, query="acl WHERE target=share:" + target)["result"]
def acls_inactive(target):
    return s._event("GET", "acl/find", {"inactive": True}, query="acl WHERE target=share:" + target)["result"]
`;

  function args(): Record<string, string> {
    const code = uniq("c");
    return {
      code,
      hu: `${code}@example.com`,
      server: hq.id,
      emp: server.credentials("employee").code,
      std: server.credentials("standard").code,
    };
  }

  it("delete volume deletes its folders, homes and ACLs, and aborts its jobs", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        SETUP +
          `
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/a.mov", "destination": "/tmp/a", "status": "paused"})
d = s.delete_one("Volume", v["id"])
out({"d": d,
     "folders": s.find("Folder WHERE code=" + ARGS["code"] + "f", inactive=True),
     "homes": s.find("Home WHERE code=" + ARGS["code"] + "h", inactive=True),
     "acl_v": attempt(lambda: acls(v["id"])), "acl_f": attempt(lambda: acls(f["id"])), "acl_h": attempt(lambda: acls(h["id"])),
     "job": s.get_entity("Transfer", t["id"])})
`,
        args(),
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.folders).length, 0, "folders of a deleted volume are deleted");
    assert.equal(list(r.homes).length, 0, "homes of a deleted volume are deleted");
    for (const k of ["acl_v", "acl_f", "acl_h"]) {
      const a = attempt(r[k]);
      if (a.error === undefined)
        assert.equal(list(a.ok).length, 0, `${k}: ACLs of a deleted volume are deleted`);
    }
    assert.equal(
      obj(r.job).status,
      "aborted",
      "seed 000: if you delete a volume, all associated jobs are aborted",
    );
  });

  it("deactivate volume archives descendants and offlines ACLs; activate restores", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        SETUP +
          `
d = s.deactivate_one("Volume", v["id"])
fi = s.find("Folder WHERE code=" + ARGS["code"] + "f")
fin = s.find("Folder WHERE code=" + ARGS["code"] + "f", inactive=True)
hi = s.find("Home WHERE code=" + ARGS["code"] + "h")
acc_off = s.access("Folder", f["id"])
raw_off = acls_inactive(f["id"])
raw_plain = acls(f["id"])
a = s.activate_one("Volume", v["id"])
vb = s.find("Volume WHERE code=" + ARGS["code"])
fb = s.find("Folder WHERE code=" + ARGS["code"] + "f")
hb = s.find("Home WHERE code=" + ARGS["code"] + "h")
acc_on = s.access("Folder", f["id"])
raw_on = acls(f["id"])
out({"d": d, "fi": fi, "fin": fin, "hi": hi, "acc_off": acc_off, "raw_off": raw_off, "raw_plain": raw_plain, "a": a, "vb": vb, "fb": fb, "hb": hb, "acc_on": acc_on, "raw_on": raw_on, "fa": fa})
`,
        args(),
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.fi).length, 0, "a folder of a deactivated volume is not active");
    const fin = list(r.fin);
    assert.equal(fin.length, 1);
    assert.equal(fin[0].inactive, true, "descendant folder archived (inactive=True)");
    assert.equal(list(r.hi).length, 0, "a home of a deactivated volume is not active either");
    const faId = obj(r.fa).id;
    const seen = [...list(r.raw_plain), ...list(r.raw_off)].filter((x) => x.id === faId);
    assert.ok(seen.length > 0, "seed 000: ACLs are offlined (kept), not deleted, with a deactivated share");
    for (const acl of seen)
      assert.notEqual(acl.status, obj(r.fa).status, `ACL offlined with the share: ${JSON.stringify(acl)}`);
    assert.equal(r.a, true);
    assert.equal(list(r.vb).length, 1, "volume active again");
    assert.equal(list(r.fb).length, 1, "folder restored with the volume");
    assert.equal(list(r.hb).length, 1, "home restored with the volume");
    const on = list(r.acc_on);
    assert.equal(on.length, 1, "the ACL is back");
    const back = list(r.raw_on).find((x) => x.id === faId);
    assert.ok(back, "the same ACL (same id) is back after activate");
    assert.equal(back.status, obj(r.fa).status, "the ACL's status is what it was before");
  });

  it("homes cannot be deactivated", async () => {
    const r = attempt(
      await py(server, "admin", SETUP + `out(attempt(lambda: s.deactivate_one("Home", h["id"])))`, args()),
    );
    assertError(r, "deactivate a home", /home/i);
  });

  it("deactivating a share used by an active transfer fails naming the job", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        SETUP +
          `
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/busy.mov", "destination": "/tmp/b", "status": "paused", "name": "busyjob" + ARGS["code"]})
busy = attempt(lambda: s.deactivate_one("Folder", f["id"]))
vbusy = attempt(lambda: s.deactivate_one("Volume", v["id"]))
s.update("Transfer", t["id"], {"status": "aborted"})
free = attempt(lambda: s.deactivate_one("Folder", f["id"]))
out({"t": t, "busy": busy, "vbusy": vbusy, "free": free})
`,
        args(),
      ),
    );
    const t = obj(r.t);
    const msg = assertError(attempt(r.busy), "deactivate a folder used by an active transfer");
    assert.ok(
      msg.includes(String(t.id)) || msg.includes(String(t.name)),
      `the error names the job (${t.id} / ${t.name}): ${msg}`,
    );
    assertError(attempt(r.vbusy), "deactivate the volume of a share used by an active transfer");
    assert.equal(attempt(r.free).ok, true, "after aborting the job the folder can be deactivated");
  });

  // The official suite's test_filesharing (newest version) grants one user a read-only
  // DOWNLOAD path, then a write-only UPLOAD path on one folder, and expects each grant to return
  // the ACL as a dict with every ACL attribute and access() to list both (wire §6, corrected).
  const ACL_ATTRIBUTES = [
    "acknowledged",
    "created",
    "creator",
    "description",
    "entity",
    "id",
    "path",
    "read",
    "role",
    "status",
    "target",
    "token",
    "write",
  ];

  it("ACLs are per (user, share, path): grants, re-grant, access, revoke, acl/delete, re-activation (wire §6)", async () => {
    const a = args();
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "vendor", "name": "Vendor", "code": ARGS["code"] + "f"})
g1 = s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "download", "read": True, "write": False})
g2 = s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "upload", "read": False, "write": True})
g3 = s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "download/", "read": True, "write": True})
acc = s.access("Folder", f["id"])
s.deactivate_one("Folder", f["id"])
acc_off = s.access("Folder", f["id"])
s.activate_one("Folder", f["id"])
acc_on = s.access("Folder", f["id"])
out({"g1": g1, "g2": g2, "g3": g3, "acc": acc, "acc_off": acc_off, "acc_on": acc_on, "fid": f["id"]})
`,
        a,
      ),
    );
    const g1 = obj(r.g1, "the first grant returns the ACL");
    const g2 = obj(r.g2, "a grant of a second path returns the second ACL, not true");
    const g3 = obj(r.g3, "a grant of a path the user has returns that ACL");
    for (const [name, g] of [
      ["g1", g1],
      ["g2", g2],
      ["g3", g3],
    ] as const)
      for (const k of ACL_ATTRIBUTES)
        assert.ok(k in g, `${name} has the ACL attribute '${k}': ${JSON.stringify(g)}`);
    assert.deepEqual([g1.path, g1.read, g1.write], ["download", true, false]);
    assert.deepEqual([g2.path, g2.read, g2.write], ["upload", false, true]);
    assert.notEqual(g2.id, g1.id, "a second path is a second ACL, with its own id");
    assert.equal(g3.id, g1.id, "granting the same path again updates that ACL in place");
    assert.deepEqual([g3.path, g3.read, g3.write], ["download", true, true]);
    const byPath = (xs: unknown) =>
      list(xs)
        .map((x) => `${String(x.path)}:${String(x.read)}:${String(x.write)}`)
        .sort();
    assert.deepEqual(
      byPath(r.acc),
      ["download:true:true", "upload:false:true"],
      "access() lists one record per ACL",
    );
    assert.equal(list(r.acc_off).length, 0, "the ACLs of an inactive folder are hidden");
    assert.deepEqual(byPath(r.acc_on), byPath(r.acc), "re-activating the folder brings every ACL back");

    const w = await Wire.login(server, server.credentials("admin"));
    const raw = () => w.result("GET", "acl/find", { data: {}, query: `acl WHERE target=share:${r.fid}` });
    assert.deepEqual(
      list(await raw())
        .map((x) => x.id)
        .sort(),
      [g1.id, g2.id].sort(),
    );
    assert.equal(await w.result("DELETE", "acl/delete", { data: {}, id: String(g2.id) }), true);
    assert.deepEqual(
      list(await raw()).map((x) => x.id),
      [g1.id],
      "acl/delete by id removes that one ACL and keeps the other",
    );
    const again = obj(
      await py(
        server,
        "admin",
        `s.grant("User", ARGS["std"], "Folder", ARGS["fid"], {"path": "upload", "write": True})
out({"rv": s.revoke("User", ARGS["std"], "Folder", ARGS["fid"]), "acc": s.access("Folder", ARGS["fid"])})`,
        { std: a.std, fid: r.fid },
      ),
    );
    assert.equal(again.rv, true);
    assert.equal(
      list(again.acc).length,
      1,
      "revoke() deletes the first ACL its lookup finds, not all of them",
    );
  });
});

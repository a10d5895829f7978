import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  DATETIME,
  HEX24,
  PY_MKVOL,
  UUID,
  assertError,
  assertOk,
  attempt,
  list,
  obj,
  py,
  seedServers,
  uniq,
  type Json,
} from "./common";

// Seed 000 "Working with shared folders and homes", "Working with collections", "Deactivate".
describe("folders, homes, collections (seed 000, Python client)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let vol: Json;
  let emp: string;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    emp = server.credentials("employee").code;
    vol = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = s.create("Volume", {"name": "Projects", "code": "projects", "paths": {"windows": "P:", "linux": "/projects", "mac": "/Volumes/projects"}, "server": ARGS["server"]})
s.grant("User", ARGS["emp"], "Volume", v["id"])
out(v)
`,
        { server: hq.id, emp },
      ),
    );
  });
  after(async () => server?.close());

  const SHARE_KEYS = [
    "code",
    "created",
    "creator",
    "description",
    "email",
    "id",
    "metadata",
    "modified",
    "modifier",
    "name",
    "parent",
    "parent_hr",
    "path",
    "queue",
    "status",
  ];

  it("an employee creates a folder; shape, derived code and parent_hr as documented", async () => {
    const r = obj(
      await py(
        server,
        "employee",
        `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "projects/TheProject", "name": "TheProject"})
out({"f": f, "all": s.find("Folder"), "one": s.find_one("Folder WHERE code=theproject")})
`,
        { vol: vol.id },
      ),
    );
    const f = obj(r.f);
    for (const k of SHARE_KEYS) assert.ok(k in f, `folder lacks ${k}: ${JSON.stringify(f)}`);
    assert.equal(f.code, "theproject", "wire §6: code derived from the name");
    assert.equal(f.name, "TheProject");
    assert.equal(f.parent, vol.id);
    assert.equal(f.parent_hr, `share:Projects[volume](${vol.id})`);
    assert.equal(f.path, "projects/TheProject");
    assert.equal(f.status, "enabled");
    assert.equal(f.queue, null);
    assert.equal(f.creator, emp);
    assert.match(String(f.id), HEX24);
    assert.match(String(f.created), DATETIME);
    assert.ok(list(r.all).some((x) => x.id === f.id));
    assert.equal(obj(r.one).id, f.id);
  });

  it("folder update: status disabled, queue; offline is not writable", async () => {
    const code = uniq("fq");
    const r = obj(
      await py(
        server,
        "admin",
        `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "q/" + ARGS["code"], "name": "Q", "code": ARGS["code"]})
out({"dis": attempt(lambda: s.update("Folder", f["id"], {"status": "disabled"})),
     "queue": attempt(lambda: s.update("Folder", f["id"], {"queue": "5ac60a8b1da7ee7eb4d146cf"})),
     "off": attempt(lambda: s.update("Folder", f["id"], {"status": "offline"})),
     "bogus": attempt(lambda: s.update("Folder", f["id"], {"status": "bogus"}))})
`,
        { vol: vol.id, code },
      ),
    );
    assert.equal(obj(assertOk(attempt(r.dis), "disable folder")).status, "disabled");
    assert.equal(obj(assertOk(attempt(r.queue), "set queue")).queue, "5ac60a8b1da7ee7eb4d146cf");
    assertError(attempt(r.off), "set folder status offline", "status");
    assertError(attempt(r.bogus), "set folder status bogus", "status");
  });

  it("grant on a folder with path, read, write, notify, message; access; revoke", async () => {
    const code = uniq("fg");
    const r = obj(
      await py(
        server,
        "admin",
        `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "g/" + ARGS["code"], "name": "G", "code": ARGS["code"]})
g = s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "FROM_VENDORS/acmevfx", "read": True, "write": True, "notify": True, "message": "Please upload your files here."})
acc = s.access("Folder", f["id"])
rec = s.access("Volume", ARGS["vol"], recursive=True)
flat = s.access("Volume", ARGS["vol"])
rv = s.revoke("User", ARGS["std"], "Folder", f["id"])
out({"g": g, "acc": acc, "rec": rec, "flat": flat, "rv": rv, "fid": f["id"]})
`,
        { vol: vol.id, code, std: server.credentials("standard").code },
      ),
    );
    const g = obj(r.g);
    assert.equal(g.path, "FROM_VENDORS/acmevfx");
    assert.equal(g.read, true);
    assert.equal(g.write, true);
    assert.equal(g.target, `share:${r.fid}`);
    const acc = list(r.acc);
    assert.equal(acc.length, 1);
    assert.equal(acc[0].path, "FROM_VENDORS/acmevfx");
    assert.ok(
      list(r.rec).some((a) => a.share === r.fid),
      "access(recursive=True) on the volume includes the folder's ACL",
    );
    assert.ok(
      !list(r.flat).some((a) => a.share === r.fid),
      "access() without recursive lists only the volume's ACLs",
    );
    assert.equal(r.rv, true);
  });

  it("home: create from a user e-mail, find('Home'), not granted automatically", async () => {
    const std = server.credentials("standard").code;
    const r = obj(
      await py(
        server,
        "admin",
        `
h = s.create("Home", {"user": ARGS["std"]})
homes = s.find("Home")
acc = s.access("Home", h["id"])
dis = attempt(lambda: s.update("Home", h["id"], {"status": "disabled"}))
q = attempt(lambda: s.update("Home", h["id"], {"queue": "5ac60a8b1da7ee7eb4d146cf"}))
en = attempt(lambda: s.update("Home", h["id"], {"status": "enabled"}))
off = attempt(lambda: s.update("Home", h["id"], {"status": "offline"}))
out({"h": h, "homes": homes, "acc": acc, "dis": dis, "q": q, "en": en, "off": off})
`,
        { std },
      ),
    );
    const h = obj(r.h);
    for (const k of SHARE_KEYS) assert.ok(k in h, `home lacks ${k}: ${JSON.stringify(h)}`);
    assert.ok(list(r.homes).some((x) => x.id === h.id));
    assert.equal(list(r.acc).length, 0, "seed 000: the user is not automatically granted access to the home");
    assert.equal(obj(assertOk(attempt(r.dis), "disable a home")).status, "disabled");
    assert.equal(obj(assertOk(attempt(r.q), "set a home's queue")).queue, "5ac60a8b1da7ee7eb4d146cf");
    assert.equal(obj(assertOk(attempt(r.en), "enable a home")).status, "enabled");
    assertError(attempt(r.off), "set home status offline", "status");
  });

  it("collection: create, File find by parent, add file, remove file", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `
f = s.find_one("Folder WHERE code=theproject") or s.create("Folder", {"parent": ARGS["vol"], "path": "projects/TheProject", "name": "TheProject"})
c = s.create("Collection", {"name": "Project startup", "files": ["volume=projects/ASSETS/templates/vendor_structure", "folder=theproject/admin/theproject-specs-v1.2.doc"]})
files = s.find("File", entityid=c["id"])
added = s.create("File", {"files": ["share=theproject/ref/mp_ref.tif"]}, c["id"])
files2 = s.find("File", entityid=c["id"])
rm = s.delete_many("Collection", c["id"], {"files": [files[0]["id"]]})
files3 = s.find("File", entityid=c["id"])
rm2 = s.delete_many("Collection", c["id"], {"files": ["12d89033-2a8c-4029-992b-3a02b4ecc2cd"]})
out({"c": c, "files": files, "added": added, "files2": files2, "rm": rm, "files3": files3, "rm2": rm2,
     "abs": attempt(lambda: s.create("Collection", {"name": "Abs", "files": ["/etc/passwd"]}))})
`,
        { vol: vol.id },
      ),
    );
    const c = obj(r.c);
    assert.equal(c.name, "Project startup");
    assert.match(String(c.id), HEX24);
    const files = list(r.files);
    assert.equal(files.length, 2, "two files in the new collection");
    for (const f of files) assert.match(String(f.id), UUID, "collection file ids are UUID strings (wire §3)");
    const added = obj(r.added, "File add reply (a dict, seed 000)");
    assert.match(String(added.id), UUID);
    assert.equal(list(r.files2).length, 3);
    assert.equal(r.rm, true);
    assert.equal(list(r.files3).length, 2);
    assert.ok(!list(r.files3).some((f) => f.id === files[0].id));
    assert.equal(r.rm2, false, "removing a file not in the collection returns False");
    assertError(attempt(r.abs), "collection with an absolute path", /absolute|path/i);
  });

  it("deactivate / activate (by id and by code); inactive flag; homes cannot be deactivated", async () => {
    const code = uniq("deact");
    const r = obj(
      await py(
        server,
        "admin",
        `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "d/" + ARGS["code"], "name": "D", "code": ARGS["code"]})
d = s.deactivate_one("Folder", f["id"])
act = s.find("Folder WHERE code=" + ARGS["code"])
inact = s.find("Folder WHERE code=" + ARGS["code"], inactive=True)
recreate = attempt(lambda: s.create("Folder", {"parent": ARGS["vol"], "path": "d/" + ARGS["code"], "name": "D", "code": ARGS["code"]}))
a = s.activate_one("Folder", f["id"])
back = s.find("Folder WHERE code=" + ARGS["code"])
s.deactivate_one("Folder", f["id"])
a2 = attempt(lambda: s.activate_one("Folder", ARGS["code"]))
back2 = s.find("Folder WHERE code=" + ARGS["code"])
h = s.find_one("Home") or s.create("Home", {"user": ARGS["std"]})
hd = attempt(lambda: s.deactivate_one("Home", h["id"]))
out({"d": d, "act": act, "inact": inact, "a": a, "back": back, "a2": a2, "back2": back2, "hd": hd, "recreate": recreate, "fid": f["id"]})
`,
        { vol: vol.id, code, std: server.credentials("standard").code },
      ),
    );
    assert.equal(r.d, true, "deactivate returns True");
    assert.equal(list(r.act).length, 0, "a deactivated folder is not found without inactive=True");
    const inact = list(r.inact);
    assert.equal(inact.length, 1, "inactive=True finds it");
    assert.equal(
      inact[0].inactive,
      true,
      "seed 000: inactive shares have the attribute inactive set to True",
    );
    const rc = attempt(r.recreate);
    if (rc.error !== undefined) {
      assert.ok(rc.error.includes(code), `wire §6: create of an inactive code fails naming it: ${rc.error}`);
    } else {
      assert.equal(obj(rc.ok).id, r.fid, "wire §6: or create restores the inactive share (same id)");
    }
    assert.equal(r.a, true, "activate returns True");
    assert.equal(list(r.back).length, 1);
    assert.equal(assertOk(attempt(r.a2), "activate by code"), true);
    assert.equal(list(r.back2).length, 1);
    assertError(attempt(r.hd), "deactivate a home", /home/i);
  });

  it("delete a folder returns True", async () => {
    const code = uniq("fdel");
    const r = obj(
      await py(
        server,
        "admin",
        `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "x/" + ARGS["code"], "name": "X", "code": ARGS["code"]})
out({"d": s.delete_one("Folder", f["id"]), "found": s.find("Folder WHERE code=" + ARGS["code"], inactive=True)})
`,
        { vol: vol.id, code },
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.found).length, 0);
  });
});

import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, assertError, assertOk, attempt, list, obj, py, seedServers, type Json } from "./common";

// Issue 10's fidelity points, each through the official Python client over HTTP,
// as the official suite (accsyn/accsyn-python-api tests/) exercises them.
describe("fidelity: what the official client and its suite expect (issue 10)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let folder: Json;
  let emp: string;
  let std: string;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    emp = server.credentials("employee").code;
    std = server.credentials("standard").code;
    folder = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, "storage", ARGS["server"], default=True)
s.create("Volume", {"name": "Unserved", "code": "unserved", "paths": {"linux": "/u"}})
f = s.create("Folder", {"parent": v["id"], "path": "shared-folder", "name": "Shared Folder"})
out(f)
`,
        { server: hq.id },
      ),
    );
  });
  after(async () => server?.close());

  describe("2. users come back", () => {
    it("a deleted standard user is invited again by a grant and can log in (test_filesharing order 0 and 3)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
u = s.find_one("User WHERE code='%s'" % ARGS["std"])
s.delete_one("User", u["id"])
gone = [x["code"] for x in s.find("User WHERE role=standard")]
acl = s.grant("User", ARGS["std"], "Folder", ARGS["folder"], {"path": "DOWNLOAD", "read": True, "write": False})
back = [x for x in s.find("User WHERE role=standard") if x["code"] == ARGS["std"]]
out({"gone": gone, "back": back, "acl": acl, "id": u["id"]})
`,
          { std, folder: folder.id },
        ),
      );
      assert.ok(!(r.gone as string[]).includes(std), "the deleted user is not listed");
      const back = list(r.back, "standard users after the grant");
      assert.equal(back.length, 1, "the grant brought the user back");
      assert.equal(back[0].id, r.id, "the same user (id, API key and home) comes back");
      assert.equal(obj(r.acl).read, true);
      const seen = list(await py(server, "standard", `out(s.find("Folder"))`), "the standard user's folders");
      assert.deepEqual(
        seen.map((f) => f.id),
        [folder.id],
        "the user logs in again and sees the granted folder",
      );
    });

    it("a deleted user is created again with user/create, with the role asked for (test_find_entitytypes order 3)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
u = s.find_one("User WHERE code='%s'" % ARGS["emp"])
s.delete_one("User", u["id"])
again = attempt(lambda: s.create("User", {"code": ARGS["emp"], "role": "employee", "name": "Back again"}))
dup = attempt(lambda: s.create("User", {"code": ARGS["emp"], "role": "employee"}))
out({"again": again, "dup": dup, "id": u["id"]})
`,
          { emp },
        ),
      );
      const again = obj(assertOk(attempt(r.again), "user/create of a deleted user"));
      assert.equal(again.id, r.id);
      assert.equal(again.inactive, false);
      assert.equal(again.role, "employee");
      assert.equal(again.name, "Back again");
      assertError(attempt(r.dup), "user/create of an active user is still a conflict", emp);
      const me = obj(
        await py(server, "employee", `out(s.find_one("User WHERE code='%s'" % ARGS["emp"]))`, { emp }),
      );
      assert.equal(me.id, r.id, "the employee logs in again");
    });

    it("a grant with invite=False, or by an employee, does not bring a deactivated user back", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
u = s.find_one("User WHERE code='%s'" % ARGS["std"])
s.deactivate_one("User", u["id"])
noinv = attempt(lambda: s.grant("User", ARGS["std"], "Folder", ARGS["folder"], {"path": "x", "read": True, "invite": False}))
out({"noinv": noinv, "after": s.find_one("User WHERE code='%s'" % ARGS["std"])})
`,
          { std, folder: folder.id },
        ),
      );
      // The official client looks the user up first and refuses by itself; the server would answer 409 the same way.
      assertError(attempt(r.noinv), "grant with invite=False to a deactivated user", std);
      assert.equal(obj(r.after).inactive, true, "still deactivated");
      await py(server, "admin", `out(s.grant("User", ARGS["emp"], "Volume", ARGS["vol"]))`, {
        emp,
        vol: folder.parent,
      });
      const byEmp = attempt(
        await py(
          server,
          "employee",
          `out(attempt(lambda: s.grant("User", ARGS["std"], "Folder", ARGS["folder"], {"path": "y", "read": True})))`,
          { std, folder: folder.id },
        ),
      );
      assertError(byEmp, "an employee re-inviting a deactivated user", "employee");
      const still = obj(
        await py(server, "admin", `out(s.find_one("User WHERE code='%s'" % ARGS["std"]))`, { std }),
      );
      assert.equal(still.inactive, true, "the employee's grant did not bring the user back");
      await py(server, "admin", `out(s.activate_one("User", ARGS["id"]))`, { id: still.id });
    });
  });

  it("4. shares carry status_hr (test_filesharing EXPECTED_FOLDER_ATTRIBUTES)", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"f": s.find_one("Folder WHERE id=%s" % ARGS["folder"]), "u": s.find_one("Volume WHERE code=unserved"),
     "d": s.update("Folder", ARGS["folder"], {"status": "disabled"}), "e": s.update("Folder", ARGS["folder"], {"status": "enabled"})})`,
        { folder: folder.id },
      ),
    );
    const f = obj(r.f);
    for (const k of [
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
      "path",
      "queue",
      "status_hr",
      "status",
    ])
      assert.ok(k in f, `a folder carries ${k}`);
    assert.equal(f.status, "enabled");
    assert.match(String(f.status_hr), /^Enabled/);
    const u = obj(r.u);
    assert.equal(u.status, "offline");
    assert.match(String(u.status_hr), /^Offline: .*server/i, "an unserved volume says why it is offline");
    assert.match(String(obj(r.d).status_hr), /^Disabled/);
  });

  it("5. homes by e-mail: home/create with code = the user's e-mail, found by Home WHERE code=<e-mail>", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `
h = s.create("Home", {"code": ARGS["emp"]})
u = s.find_one("User WHERE code='%s'" % ARGS["emp"])
found = s.find_one("Home WHERE code='%s'" % ARGS["emp"])
other = s.create("Home", {"user": ARGS["admin"]})
found2 = s.find_one("Home WHERE code='%s'" % ARGS["admin"])
bad = attempt(lambda: s.create("Home", {"code": "nobody@example.com"}))
out({"h": h, "u": u, "found": found, "other": other, "found2": found2, "bad": bad})
`,
        { emp, admin: server.credentials("admin").code },
      ),
    );
    const h = obj(r.h);
    assert.equal(h.user, obj(r.u).id, "the home belongs to the user whose e-mail is its code");
    assert.equal(h.code, emp);
    assert.equal(obj(r.found).id, h.id);
    assert.equal(
      obj(r.found2).id,
      obj(r.other).id,
      "a home created by user is found by its owner's e-mail too",
    );
    assertError(attempt(r.bad), "home/create for an e-mail no user has", "nobody@example.com");
  });

  it("7. a job to volume=storage/a.jpg gives a task whose destination path is a.jpg, not a.jpg/a.jpg", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `
j1 = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "volume=storage/a.jpg", "status": "paused"})
j2 = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "volume=storage/in", "status": "paused"})
j3 = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "volume=storage/a.jpg/", "status": "paused"})
out({k: s.find("Task", entityid=j["id"]) for k, j in [("file", j1), ("dir", j2), ("slash", j3)]})
`,
      ),
    );
    const dest = (k: string): unknown => obj(list(r[k])[0].destination).path;
    assert.equal(dest("file"), "a.jpg", "a destination ending in the source's name is its full path");
    assert.equal(dest("dir"), "in/a.jpg", "another destination is the directory the file goes into");
    assert.equal(dest("slash"), "a.jpg/a.jpg", "a trailing slash always means a directory");
  });
});

import * as assert from "node:assert/strict";
import { DEMO_SEED, type SeedFile } from "accsyn-local";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, assertError, assertOk, attempt, list, obj, py, seedServers, type Json } from "./common";

// Issue 10 item 6: settings, queues, logs, apps, server roles and `append`, each
// through the official Python client over HTTP, as its suite and docstrings use them.
describe("the rest of the API the client speaks (issue 10 item 6)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let vol: Json;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    vol = obj(
      await py(server, "admin", PY_MKVOL + `out(mkvol(s, "storage", ARGS["server"], default=True))`, {
        server: hq.id,
      }),
    );
  });
  after(async () => server?.close());

  describe("settings", () => {
    it("workspace-wide: set, get one, get all, delete (True, then False); admins only write", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
ok = s.set_setting("workspace", "notify_cc", "ops@example.com")
one = s.get_setting("notify_cc")
missing = s.get_setting("never_set")
every = s.get_settings()
gone = s.delete_setting("workspace", "notify_cc")
again = s.delete_setting("workspace", "notify_cc")
out({"ok": ok, "one": one, "missing": missing, "every": every, "gone": gone, "again": again, "after": s.get_settings()})
`,
        ),
      );
      assert.equal(r.ok, true);
      assert.equal(r.one, "ops@example.com");
      assert.equal(r.missing, null);
      assert.deepEqual(r.every, { notify_cc: "ops@example.com" });
      assert.equal(r.gone, true);
      assert.equal(r.again, false, "nothing left to delete");
      assert.deepEqual(r.after, {});
      const emp = attempt(
        await py(server, "employee", `out(attempt(lambda: s.set_setting("workspace", "x", "1")))`),
      );
      assertError(emp, "an employee sets a workspace setting", "employee");
    });

    it("per entity: a queue's setting under entitytype job, as test_settings.py does; upstream adds the workspace's", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
q = s.find("Queue WHERE name='medium'")
qid = q[0]["id"]
s.set_setting("workspace", "site_default", "hq")
ok = s.set_setting("job", "compute_avoid", "disable", entityid=qid)
present = s.get_settings("job", qid, upstream=False, omit_defaults=False)
inherited = s.get_settings("job", qid, upstream=True)
deleted = s.delete_setting("job", "compute_avoid", entityid=qid)
absent = s.get_settings("job", qid, upstream=False, omit_defaults=False)
vol = s.set_setting("volume", "bandwidth", "100", entityid=ARGS["vol"])
out({"q": q, "ok": ok, "present": present, "inherited": inherited, "deleted": deleted, "absent": absent,
     "vol": vol, "vol_settings": s.get_settings("volume", ARGS["vol"])})
`,
          { vol: vol.id },
        ),
      );
      assert.equal(list(r.q).length, 1);
      assert.equal(r.ok, true);
      assert.deepEqual(r.present, { compute_avoid: "disable" });
      assert.deepEqual(r.inherited, { site_default: "hq", compute_avoid: "disable" });
      assert.equal(r.deleted, true);
      assert.ok(!JSON.stringify(r.absent).includes("compute_avoid"));
      assert.equal(r.vol, true);
      assert.deepEqual(r.vol_settings, { bandwidth: "100" });
    });

    it("a share the caller cannot see answers like an unknown id; an unknown entity type is a 400", async () => {
      const r = obj(
        await py(
          server,
          "standard",
          `out({"hidden": attempt(lambda: s.get_settings("volume", ARGS["vol"])),
      "unknown": attempt(lambda: s.get_settings("volume", "0123456789abcdef01234567")),
      "bad": attempt(lambda: s.get_settings("spaceship", ARGS["vol"]))})`,
          { vol: vol.id },
        ),
      );
      const hidden = assertError(attempt(r.hidden), "settings of a hidden volume", "no volume");
      const unknown = assertError(attempt(r.unknown), "settings of an unknown volume", "no volume");
      assert.equal(hidden.replace(String(vol.id), "ID"), unknown.replace("0123456789abcdef01234567", "ID"));
      assertError(attempt(r.bad), "an unknown entity type", "entitytype");
    });
  });

  describe("queues", () => {
    it("queue/find lists the seeded queues (medium is the default) to admins and employees, not standard users", async () => {
      const qs = list(await py(server, "employee", `out(s.find("Queue"))`));
      assert.deepEqual(qs.map((q) => q.code).sort(), ["high", "low", "medium"]);
      assert.deepEqual(
        qs.filter((q) => q.default === true).map((q) => q.code),
        ["medium"],
      );
      assertError(attempt(await py(server, "standard", `out(attempt(lambda: s.find("Queue")))`)), "standard");
    });

    it("a job runs in the queue it names, else its share's queue, else the default; an unknown queue is refused", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
qs = {q["code"]: q["id"] for q in s.find("Queue")}
f = s.create("Folder", {"parent": ARGS["vol"], "path": "fast", "name": "Fast", "queue": "high"})
plain = s.create("Transfer", {"source": "volume=storage/a.mov", "destination": "/tmp/a.mov", "status": "paused"})
via_share = s.create("Transfer", {"source": "folder=%s/b.mov" % f["code"], "destination": "/tmp/b.mov", "status": "paused"})
named = s.create("Transfer", {"source": "volume=storage/c.mov", "destination": "/tmp/c.mov", "status": "paused", "queue": "low"})
bad = attempt(lambda: s.create("Transfer", {"source": "volume=storage/d.mov", "destination": "/tmp/d.mov", "queue": "nope"}))
out({"qs": qs, "plain": plain["queue"], "via_share": via_share["queue"], "named": named["queue"], "bad": bad})
`,
          { vol: vol.id },
        ),
      );
      const qs = obj(r.qs);
      assert.equal(r.plain, qs.medium);
      assert.equal(r.via_share, qs.high, "seed 000: the share's queue, when the job names none");
      assert.equal(r.named, qs.low);
      assertError(attempt(r.bad), "an unknown queue", "nope");
    });
  });

  describe("logs", () => {
    it("log/find: each change once, in date order or reversed, searchable; a refused change leaves none", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
before = len(s.logs("workspace", pagination_limit=1000)["result"])
f = s.create("Folder", {"parent": ARGS["vol"], "path": "logged", "name": "Logged"})
dup = attempt(lambda: s.create("Folder", {"parent": ARGS["vol"], "path": "logged2", "name": "Logged", "code": f["code"]}))
s.update("Folder", f["id"], {"description": "changed"})
rows = s.logs("workspace", pagination_limit=1000)["result"]
rev = s.logs("workspace", sort_reverse=True, pagination_limit=1000)["result"]
mine = s.logs("folder", entityid=f["id"])["result"]
found = s.logs("workspace", search="folder/edit")["result"]
badsort = attempt(lambda: s.logs("workspace", sort="secret"))
out({"before": before, "rows": rows, "rev": rev, "mine": mine, "found": found, "dup": dup, "badsort": badsort, "f": f["id"]})
`,
          { vol: vol.id },
        ),
      );
      assertError(attempt(r.dup), "a duplicate code");
      const rows = list(r.rows);
      assert.equal(
        rows.length,
        Number(r.before) + 2,
        "the create and the edit; the refused create left nothing",
      );
      const ids = rows.map((x) => x.id);
      assert.deepEqual(
        list(r.rev).map((x) => x.id),
        [...ids].reverse(),
        "sort_reverse reverses the date order",
      );
      const mine = list(r.mine);
      assert.deepEqual(
        mine.map((x) => x.uri),
        ["folder/create", "folder/edit"],
      );
      assert.ok(mine.every((x) => x.entityid === r.f && x.user === "admin@example.com"));
      assert.ok(list(r.found).every((x) => String(x.uri) === "folder/edit"));
      assertError(attempt(r.badsort), "an unknown sort key", "sort");
      assert.ok(!JSON.stringify(rows).includes("changed"), "entries never carry the data sent");
    });

    it("the workspace log is for admins; other users read their own entries", async () => {
      const r = obj(
        await py(
          server,
          "standard",
          `s.update("User", s._uid, {"name": "Renamed Standard"})
out({"ws": attempt(lambda: s.logs("workspace")), "own": s.logs("user")["result"]})`,
        ),
      );
      assertError(attempt(r.ws), "a standard user reads the workspace log", "standard");
      assert.deepEqual(
        list(r.own).map((x) => [x.uri, x.user]),
        [["user/edit", "standard@example.com"]],
        "their own change only, none of the admin's user changes",
      );
    });
  });

  describe("apps and server roles", () => {
    it("Server WHERE roles contains storage finds the seeded servers; each user sees only their own apps", async () => {
      const srv = list(await py(server, "admin", `out(s.find("Server WHERE roles contains storage"))`));
      assert.deepEqual(srv.map((x) => x.code).sort(), ["hq-server", "sto-server"]);
      const apps = list(await py(server, "standard", `out(s.find("App"))`));
      assert.deepEqual(
        apps.map((a) => [a.type, a.status, a.user_hr]),
        [[0, "online", `user:standard@example.com[standard](${String(apps[0]?.user)})`]],
      );
      const admin = list(await py(server, "admin", `out(s.find("Client WHERE type in 0,2"))`));
      assert.equal(admin.length, 3, "test_prepare_deliveries: Client WHERE ... type in 0,2");
    });

    it("without apps: app/find is [], a transfer from a local path is refused, share to share is not", async () => {
      const seed: SeedFile = {
        ...DEMO_SEED,
        apps: [{ user: "admin@example.com", status: "offline" }],
        servers: [
          { code: "hq-server", site: "hq", os: "linux" },
          { code: "render", site: "hq", os: "linux", roles: ["compute"] },
        ],
      };
      const own = await startTestServer({ seed });
      try {
        const hq = (await seedServers(own)).find((x) => x.code === "hq-server");
        const r = obj(
          await py(
            own,
            "admin",
            PY_MKVOL +
              `
mkvol(s, "storage", ARGS["server"], default=True)
s.create("Folder", {"parent": s.find_one("Volume")["id"], "path": "x", "name": "X", "code": "x"})
r = {"apps": s.find("App"),
     "storage": [c["code"] for c in s.find("Server WHERE roles contains storage")],
     "up": attempt(lambda: s.create("Transfer", {"source": "/tmp/a.jpg", "destination": "volume=storage/a.jpg"})),
     "down": attempt(lambda: s.create("Transfer", {"source": "volume=storage/a.jpg", "destination": "/tmp/a.jpg"})),
     "s2s": attempt(lambda: s.create("Transfer", {"source": "volume=storage/a.jpg", "destination": "folder=x/a.jpg"}))}
j = r["s2s"]["ok"]
r["task"] = attempt(lambda: s.create("Task", {"source": "/tmp/b.jpg", "destination": "b.jpg"}, entityid=j["id"]))
out(r)
`,
            { server: hq?.id },
          ),
        );
        assert.equal(list(r.apps).length, 1, "the admin's offline app");
        assert.deepEqual(
          await py(own, "standard", `out(s.find("App"))`),
          [],
          "app/find answers [] when none",
        );
        assert.deepEqual(r.storage, ["hq-server"]);
        assertError(attempt(r.up), "upload without an online app", "app");
        assertError(attempt(r.down), "download without an online app", "app");
        assertOk(attempt(r.s2s), "share to share needs no app");
        assertError(attempt(r.task), "a task from a local path without an online app", "app");
      } finally {
        await own.close();
      }
    });
  });

  describe("file operations (workspace/file)", () => {
    it("answer as for offline servers after the rights checks: 409 naming the volume, or the caller's 403", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
f = s.create("Folder", {"parent": ARGS["vol"], "path": "files", "name": "Files", "code": "files"})
s.grant("User", "standard@example.com", "Folder", f["id"], {"path": "DOWNLOAD", "read": True, "write": False})
out({"mkdir": attempt(lambda: s.mkdir("shared-folder")),
     "ls": attempt(lambda: s.ls("folder=files/DOWNLOAD")),
     "exists": attempt(lambda: s.exists("volume=nope/a.jpg")),
     "badop": attempt(lambda: s._event("GET", "workspace/file", {"op": "format", "path": "x"}))})
`,
          { vol: vol.id },
        ),
      );
      assertError(
        attempt(r.mkdir),
        "admin mkdir (bare path = default volume)",
        "volume 'storage'",
        "offline",
      );
      assertError(attempt(r.ls), "admin ls", "offline");
      assertError(attempt(r.exists), "exists on an unknown volume", "no volume");
      assertError(attempt(r.badop), "an unknown op", "'op' must be one of");
      const std = obj(
        await py(
          server,
          "standard",
          `out({"read": attempt(lambda: s.ls("folder=files/DOWNLOAD")),
      "write": attempt(lambda: s.mkdir("folder=files/DOWNLOAD/sub")),
      "other": attempt(lambda: s.ls("folder=files/UPLOAD"))})`,
        ),
      );
      assertError(attempt(std.read), "standard ls where they may read", "offline");
      assertError(attempt(std.write), "standard mkdir on a read-only path", "standard");
      assertError(attempt(std.other), "standard ls outside their rules", "standard");
    });
  });

  describe("append on job create", () => {
    it("appends to the caller's latest job between the same sides, reviving a finished one (test_append_to_upload)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
t = s.create("Transfer", {"source": "/tmp/jonssonligan.jpg", "destination": "volume=storage/jonssonligan.jpg", "status": "paused"})
s.update("Transfer", t["id"], {"status": "done"})
a = s.create("Job", {"source": "/tmp/bad_buck_bunny.png", "destination": "volume=storage/bad_buck_bunny.png", "append": True})
tasks = s.find("Task", entityid=t["id"])
other = s.create("Job", {"source": "/tmp/x.png", "destination": "folder=%s/x.png" % s.find_one("Folder")["code"], "append": True})
out({"t": t["id"], "a": a, "tasks": tasks, "other": other["id"]})
`,
        ),
      );
      const a = obj(r.a);
      assert.equal(a.id, r.t, "result['id'] == transfer_id");
      assert.notEqual(a.status, "done", "the job is revived");
      assert.deepEqual(
        list(r.tasks)
          .map((x) => obj(x.destination).path)
          .sort(),
        ["bad_buck_bunny.png", "jonssonligan.jpg"],
      );
      assert.notEqual(r.other, r.t, "another share is another job");
    });
  });
});

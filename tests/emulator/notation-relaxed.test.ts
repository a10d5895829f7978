import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, assertError, assertOk, attempt, list, obj, py, seedServers, type Json } from "./common";
import { Wire, messageOf } from "./wire";

// Issue 10 item 3, relaxed notation, through the official Python client over HTTP:
// the official suite uploads to a bare "a.jpg" (test_transfer test_upload, the
// default volume's root) and drops off to "~" / "~/a.jpg" (test_dropoff, the
// caller's home), and expects the drop-off to fail while the caller has no home.
describe("relaxed notation: bare relative paths and ~ (issue 10 item 3)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let admin: string;
  let std: string;
  let hq: string;

  const firstTask = async (role: "admin" | "standard", job: Json): Promise<Json> =>
    list(await py(server, role, `out(s.find("Task", entityid=ARGS["id"]))`, { id: job.id }), "tasks")[0];

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0].id;
    admin = server.credentials("admin").code;
    std = server.credentials("standard").code;
  });
  after(async () => server?.close());

  it("without a default volume a bare relative path is a 400 naming the fix, and nothing is written", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `
up = attempt(lambda: s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "a.jpg"}))
down = attempt(lambda: s.create("Transfer", {"source": "in/a.jpg", "destination": "/local/down/"}))
out({"up": up, "down": down, "jobs": s.find("Transfer", finished=True)})
`,
      ),
    );
    assertError(attempt(r.up), "upload to a bare path", "default volume", "volume=<code>/a.jpg");
    assertError(attempt(r.down), "download from a bare path", "default volume", "volume=<code>/in/a.jpg");
    assert.deepEqual(r.jobs, [], "no job was created");
    const wire = await Wire.login(server, server.credentials("admin"));
    const reply = await wire.send("POST", "transfer/create", {
      data: { source: "/local/pics/a.jpg", destination: "a.jpg" },
    });
    assert.equal(reply.status, 400, messageOf(reply));
  });

  describe("with a default volume", () => {
    let storage: Json;
    let other: Json;

    before(async () => {
      const r = obj(
        await py(
          server,
          "admin",
          PY_MKVOL +
            `
v = mkvol(s, "storage", ARGS["server"], default=True)
o = mkvol(s, "other", ARGS["server"])
out({"storage": v, "other": o})
`,
          { server: hq },
        ),
      );
      storage = obj(r.storage);
      other = obj(r.other);
    });

    it("a bare relative destination is on the default volume's root (test_upload); append finds the job (test_append_to_upload)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
sub = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "in/sub/", "status": "paused"})
up = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "a.jpg", "status": "paused"})
s.update("Transfer", up["id"], {"status": "done"})
again = s.create("Job", {"source": "/local/pics/b.jpg", "destination": "b.jpg", "append": True})
out({"up": up, "sub": sub, "again": again, "tasks": s.find("Task", entityid=up["id"])})
`,
        ),
      );
      const tasks = list(r.tasks, "tasks of the upload");
      assert.deepEqual(
        tasks.map((t) => obj(t.destination)),
        [
          { path: "a.jpg", v: storage.id, s: storage.id },
          { path: "b.jpg", v: storage.id, s: storage.id },
        ],
        "both files land at the default volume's root, not on another volume",
      );
      assert.equal(obj(r.again).id, obj(r.up).id, "append: the same job");
      assert.notEqual(obj(r.again).status, "done", "append: the job is revived");
      assert.deepEqual(obj((await firstTask("admin", obj(r.sub))).destination), {
        path: "in/sub/a.jpg",
        v: storage.id,
        s: storage.id,
      });
    });

    it("a bare relative source downloads from the default volume; notation still names any volume", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
down = s.create("Transfer", {"source": "in/a.jpg", "destination": "/local/down/", "status": "paused"})
named = s.create("Transfer", {"source": "volume=other/in/a.jpg", "destination": "/local/down/", "status": "paused"})
out({"down": down, "named": named})
`,
        ),
      );
      assert.deepEqual(obj((await firstTask("admin", obj(r.down))).source), {
        path: "in/a.jpg",
        v: storage.id,
        s: storage.id,
      });
      assert.equal(obj((await firstTask("admin", obj(r.named))).source).s, other.id);
    });

    it("~ without a home is a 400 naming Home create (test_upload_dropoff_should_fail); with one it is the home (test_upload_dropoff)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
jobs = len(s.find("Transfer", finished=True))
none = [attempt(lambda p=p: s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": p})) for p in ["~", "~/a.jpg"]]
jobs = len(s.find("Transfer", finished=True)) - jobs
home = s.create("Home", {"code": ARGS["admin"]})
root = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "~", "status": "paused"})
inbox = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "~/inbox/", "status": "paused"})
full = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "~/a.jpg", "status": "paused"})
down = s.create("Transfer", {"source": "~/inbox/a.jpg", "destination": "/local/down/", "status": "paused"})
odd = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "~$draft/", "status": "paused"})
out({"none": none, "jobs": jobs, "home": home, "root": root, "inbox": inbox, "full": full, "down": down, "odd": odd})
`,
          { admin },
        ),
      );
      for (const a of list(r.none, "attempts without a home"))
        assertError(attempt(a), "~ without a home", "means your home", admin, "Home create");
      assert.equal(r.jobs, 0, "the refused drop-offs created no job");
      const home = obj(r.home);
      const side = { v: storage.id, s: home.id };
      const dest = async (k: string): Promise<unknown> => (await firstTask("admin", obj(r[k]))).destination;
      assert.deepEqual(await dest("root"), { path: "a.jpg", ...side }, "~ is the home's root");
      assert.deepEqual(await dest("inbox"), { path: "inbox/a.jpg", ...side });
      assert.deepEqual(await dest("full"), { path: "a.jpg", ...side });
      assert.deepEqual((await firstTask("admin", obj(r.down))).source, { path: "inbox/a.jpg", ...side });
      assert.equal(obj(r.root).destination_path, "~", "the job keeps the path as submitted");
      assert.deepEqual(
        await dest("odd"),
        { path: "~$draft/a.jpg", v: storage.id, s: storage.id },
        "~<name> is a file name on the default volume, not a home",
      );
    });

    it("task/create takes ~ and bare relative paths too (test_create_nonexistent_upload_task)", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `
j = s.create("Transfer", {"source": "/local/pics/a.jpg", "destination": "a.jpg", "status": "paused"})
bare = s.create("Task", {"source": "/local/nonexistent.txt", "destination": "nonexistent.txt"}, entityid=j["id"])
mine = s.create("Task", {"source": "/local/c.txt", "destination": "~"}, entityid=j["id"])
out({"bare": bare, "mine": mine, "home": s.find_one("Home WHERE code=%s" % ARGS["admin"])})
`,
          { admin },
        ),
      );
      assert.deepEqual(obj(r.bare).destination, { path: "nonexistent.txt", v: storage.id, s: storage.id });
      assert.deepEqual(obj(r.mine).destination, { path: "c.txt", v: storage.id, s: obj(r.home).id });
    });

    it("a standard user's ~ needs a home and an ACL on it, like home=<code> (seed 000: no automatic grant)", async () => {
      const before = attempt(
        await py(
          server,
          "standard",
          `out(attempt(lambda: s.create("Transfer", {"source": "/local/a.jpg", "destination": "~"})))`,
        ),
      );
      assertError(before, "a standard user without a home", "means your home", std);
      const home = obj(await py(server, "admin", `out(s.create("Home", {"code": ARGS["std"]}))`, { std }));
      const noAcl = attempt(
        await py(
          server,
          "standard",
          `out(attempt(lambda: s.create("Transfer", {"source": "/local/a.jpg", "destination": "~/up/"})))`,
        ),
      );
      assertError(noAcl, "a home without an ACL", "write access", String(home.code), "up");
      const bare = attempt(
        await py(
          server,
          "standard",
          `out(attempt(lambda: s.create("Transfer", {"source": "/local/a.jpg", "destination": "a.jpg"})))`,
        ),
      );
      assertError(bare, "the default volume without an ACL", "may not use volume 'storage'");
      await py(
        server,
        "admin",
        `out(s.grant("User", ARGS["std"], "Home", ARGS["home"], {"path": "up", "read": True, "write": True}))`,
        { std, home: home.id },
      );
      const job = obj(
        assertOk(
          attempt(
            await py(
              server,
              "standard",
              `out(attempt(lambda: s.create("Transfer", {"source": "/local/a.jpg", "destination": "~/up/"})))`,
            ),
          ),
          "upload to the granted path of the standard user's home",
        ),
      );
      assert.deepEqual(obj((await firstTask("standard", job)).destination), {
        path: "up/a.jpg",
        v: storage.id,
        s: home.id,
      });
    });

    it("file operations take the same notation: ~ is the home, offline like any share; no home is the 400", async () => {
      const r = obj(
        await py(
          server,
          "admin",
          `out({"home": attempt(lambda: s.exists("~/inbox/a.jpg")), "bare": attempt(lambda: s.mkdir("shared-folder"))})`,
        ),
      );
      // accsyn-local has no storage behind its servers: after the path is resolved and allowed, every file operation is a 409 naming the volume.
      assertError(attempt(r.home), "exists in the admin's home", "storage");
      assertError(attempt(r.bare), "mkdir on the default volume", "storage");
      const wire = await Wire.login(server, server.credentials("employee"));
      const reply = await wire.send("GET", "workspace/file", { data: { op: "exists", path: "~/a.jpg" } });
      assert.equal(reply.status, 400, messageOf(reply));
      assert.match(messageOf(reply), /means your home, and employee@example.com has none/);
    });
  });
});

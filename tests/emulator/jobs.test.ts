import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  DATETIME,
  HEX24,
  UUID,
  assertError,
  assertOk,
  attempt,
  list,
  obj,
  py,
  seedServers,
  TRANSFER_ATTRIBUTES,
} from "./common";

// Seed 001: transfers and tasks.
describe("transfers and tasks (seed 001, Python client)", function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    const hq = (await seedServers(server))[0];
    await py(
      server,
      "admin",
      `
v = s.create("Volume", {"name": "Projects", "code": "projects", "paths": {"windows": "P:", "linux": "/projects", "mac": "/Volumes/projects"}, "server": ARGS["server"]})
f = s.create("Folder", {"parent": v["id"], "path": "projects/myproject", "name": "MyProject", "code": "myproject"})
out(True)
`,
      { server: hq.id },
    );
  });
  after(async () => server?.close());

  const TRANSFER = `
def mkjob(s, **extra):
    d = {"source": "share=myproject/delivery/TRAILER_screening_v003.mov", "destination": "/Volumes/EDIT/from_client", "status": "paused"}
    d.update(extra)
    return s.create("Transfer", d)
`;

  it("create: name from the first source file, code = name, documented attributes", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER + `t = mkjob(s)\nout({"t": t, "all": s.find("Transfer"), "me": s._uid})`,
      ),
    );
    const t = obj(r.t);
    for (const k of TRANSFER_ATTRIBUTES) {
      assert.ok(k in t, `transfer lacks ${k}: ${JSON.stringify(t)}`);
    }
    // a download (share → the caller's machine), as in the seed 001 example
    const admin = server.credentials("admin").code;
    assert.equal(t.user_hr, `user:${admin}[admin](${r.me})`, "user_hr as user:<e-mail>[<role>](<id>)");
    assert.equal(t.destination, `user:${r.me}`, "the caller's machine is the party user:<id>");
    assert.equal(t.destination_hr, t.user_hr);
    assert.match(String(t.source), /^workspace:[0-9a-f]{24}$/, "the share side is the party workspace:<id>");
    assert.match(
      String(t.source_hr),
      /^workspace:demo\([0-9a-f]{24}\)$/,
      "source_hr as workspace:<code>(<id>)",
    );
    assert.equal(
      t.name,
      "TRAILER_screening_v003.mov",
      "seed 001: name generated from the first source filename",
    );
    assert.equal(t.code, t.name, "seed 001: code is the same as name");
    assert.equal(t.status, "paused");
    assert.equal(t.user, r.me, "user is the creator's id");
    assert.match(String(t.id), HEX24);
    assert.match(String(t.created), DATETIME);
    assert.ok(Number(t.progress) >= 0 && Number(t.progress) <= 100);
    assert.ok(
      list(r.all).some((x) => x.id === t.id),
      "find('Transfer') lists the active transfer",
    );
  });

  it("find_one with a quoted name holding spaces; no match → None", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER +
          `t = mkjob(s, name="x and y.png")
out({"t": t, "one": s.find_one('Transfer WHERE name="x and y.png"'), "none": s.find_one('Transfer WHERE name="no such job.png"')})`,
      ),
    );
    assert.equal(obj(r.one).id, obj(r.t).id);
    assert.equal(r.none, null);
  });

  it("update status: waiting, aborted; then finished=True, get_entity; running is not writable", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER +
          `t = mkjob(s)
w = s.update("Transfer", t["id"], {"status": "waiting"})
run = attempt(lambda: s.update("Transfer", t["id"], {"status": "running"}))
a = s.update("Transfer", t["id"], {"status": "aborted"})
out({"t": t, "w": w, "run": run, "a": a, "live": s.find("Transfer"),
     "fin": s.find("Transfer WHERE status=aborted", finished=True),
     "ent": s.get_entity("Transfer", t["id"]),
     "arch": attempt(lambda: s.find("Transfer WHERE status=done", archived=True))})`,
      ),
    );
    const id = obj(r.t).id;
    assert.equal(obj(r.w).status, "waiting");
    assertError(attempt(r.run), "set transfer status running", "status");
    const a = obj(r.a);
    assert.equal(a.status, "aborted");
    assert.ok(!list(r.live).some((x) => x.id === id), "an aborted transfer is not live");
    const fin = list(r.fin).find((x) => x.id === id);
    assert.ok(fin, "finished=True finds the aborted transfer");
    assert.match(String(fin.finished), DATETIME, "finished date set");
    assert.equal(obj(r.ent).id, id, "get_entity returns a finished job");
    assert.ok(Array.isArray(assertOk(attempt(r.arch), "archived=True find")));
  });

  it("delete a transfer returns True", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER +
          `t = mkjob(s)
d = s.delete_one("Transfer", t["id"])
out({"d": d, "live": s.find("Transfer WHERE id=" + t["id"]), "fin": s.find("Transfer WHERE id=" + t["id"], finished=True)})`,
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.live).length, 0);
    assert.equal(list(r.fin).length, 0);
  });

  it("tasks: create (mirrored list, single dict), find with entityid, duplicates, allow_duplicates=False", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER +
          `t = mkjob(s)
before = s.find("Task", entityid=t["id"])
c1 = attempt(lambda: s.create("Task", {"tasks": ["/Volumes/projects/creatures_showreel_2018.mov"]}, t["id"]))
after1 = s.find("Task", entityid=t["id"])
single = s.create("Task", {"tasks": {"source": "_REF/creatures_showreel_2018.mov", "destination": "/Users/johndoe/Downloads/creatures_showreel_2018.mov"}}, entityid=t["id"])
after2 = s.find("Task", entityid=t["id"])
dup = attempt(lambda: s.create("Task", {"tasks": {"source": "_REF/creatures_showreel_2018.mov", "destination": "/Users/johndoe/Downloads/creatures_showreel_2018.mov"}}, entityid=t["id"]))
after3 = s.find("Task", entityid=t["id"])
nodup = attempt(lambda: s.create("Task", {"tasks": {"source": "_REF/creatures_showreel_2018.mov", "destination": "/Users/johndoe/Downloads/creatures_showreel_2018.mov"}}, entityid=t["id"], allow_duplicates=False))
after4 = s.find("Task", entityid=t["id"])
out({"t": t, "before": before, "c1": c1, "after1": after1, "single": single, "after2": after2, "dup": dup, "after3": after3, "nodup": nodup, "after4": after4})`,
      ),
    );
    const jobId = obj(r.t).id;
    const n0 = list(r.before).length;
    assertOk(attempt(r.c1), "create a mirrored task");
    assert.equal(list(r.after1).length, n0 + 1, "one task added");
    const single = obj(r.single, "single task reply is a dict (seed 001)");
    assert.match(String(single.id), UUID);
    assert.equal(single.job, jobId);
    assert.ok(typeof single.status === "string");
    assert.ok(
      typeof single.uri === "string" && /^\d+$/.test(single.uri),
      `task uri is a sequential number string: ${single.uri}`,
    );
    const after2 = list(r.after2);
    assert.equal(after2.length, n0 + 2);
    for (const task of after2) {
      for (const k of [
        "created",
        "destination",
        "finished",
        "id",
        "job",
        "job_hr",
        "time",
        "priority",
        "size",
        "source",
        "status",
        "uri",
      ]) {
        assert.ok(k in task, `task lacks ${k}: ${JSON.stringify(task)}`);
      }
      assert.equal(task.job, jobId);
    }
    assert.deepEqual(new Set(after2.map((x) => x.uri)).size, after2.length, "task uris are unique");
    // default: duplicate is not added, the existing task is retried
    assertOk(attempt(r.dup), "a duplicate task without allow_duplicates=False");
    assert.equal(list(r.after3).length, n0 + 2, "a duplicate task is not added");
    assertError(attempt(r.nodup), "duplicate task with allow_duplicates=False");
    assert.equal(list(r.after4).length, n0 + 2);
  });

  it("tasks: find with a status filter, update_many status/priority, not source, no delete", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        TRANSFER +
          `t = mkjob(s)
s.create("Task", {"tasks": {"source": "_REF/a.mov", "destination": "/Users/johndoe/Downloads/a.mov"}}, entityid=t["id"])
s.create("Task", {"tasks": {"source": "_REF/b.mov", "destination": "/Users/johndoe/Downloads/b.mov"}}, entityid=t["id"])
tasks = s.find("Task", entityid=t["id"])
upd = s.update_many("Task", t["id"], [{"id": tasks[0]["id"], "status": "onhold"}])
onhold = s.find("Task WHERE status=onhold", entityid=t["id"])
prio = s.update_many("Task", t["id"], [{"id": tasks[1]["id"], "priority": 7, "metadata": {"k": "v"}}])
bad = attempt(lambda: s.update_many("Task", t["id"], [{"id": tasks[1]["id"], "status": "executing"}]))
src = attempt(lambda: s.update_many("Task", t["id"], [{"id": tasks[1]["id"], "source": "x"}]))
dl = attempt(lambda: s.delete_one("Task", tasks[0]["id"]))
excl = s.update_many("Task", t["id"], [{"id": tasks[0]["id"], "status": "excluded"}])
out({"tasks": tasks, "upd": upd, "onhold": onhold, "prio": prio, "bad": bad, "src": src, "dl": dl, "excl": excl, "after": s.find("Task", entityid=t["id"])})`,
      ),
    );
    const tasks = list(r.tasks);
    const upd = list(r.upd, "update_many reply is a list of tasks");
    assert.equal(upd.length, 1);
    assert.equal(upd[0].id, tasks[0].id);
    assert.equal(upd[0].status, "onhold");
    const onhold = list(r.onhold);
    assert.deepEqual(
      onhold.map((x) => x.id),
      [tasks[0].id],
    );
    const prio = list(r.prio);
    assert.equal(prio[0].priority, 7);
    assertError(attempt(r.bad), "task status executing is not writable", "status");
    assertError(attempt(r.src), "task source cannot be modified", /source/i);
    assertError(attempt(r.dl), "tasks cannot be deleted");
    assert.equal(list(r.excl)[0].status, "excluded");
    assert.equal(list(r.after).length, tasks.length, "no task was deleted");
  });
});

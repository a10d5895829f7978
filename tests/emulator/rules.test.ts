import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  PY_MKVOL,
  assertError,
  attempt,
  codes,
  list,
  obj,
  py,
  seedServers,
  uniq,
  type SeedServerRef,
} from "./common";
import { Wire } from "./wire";

// More rules read from the seed documents and from the official client's docstrings.
describe("more documented rules", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
  });
  after(async () => server?.close());

  it("collections can be deactivated and activated (seed 000: volume, folder, collection)", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
c = s.create("Collection", {"name": ARGS["n"], "files": ["volume=" + ARGS["code"] + "/a.txt"]})
d = s.deactivate_one("Collection", c["id"])
gone = s.find("Collection WHERE id=" + c["id"])
a = s.activate_one("Collection", c["id"])
back = s.find("Collection WHERE id=" + c["id"])
out({"d": d, "gone": gone, "a": a, "back": back})
`,
        { n: uniq("Coll"), code: uniq("cv"), server: hq.id },
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.gone).length, 0);
    assert.equal(r.a, true);
    assert.equal(list(r.back).length, 1);
  });

  it("transfers may share a name (seed 001: multiple jobs can share the same name)", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t1 = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/same.mov", "destination": "/tmp/a", "status": "paused"})
t2 = attempt(lambda: s.create("Transfer", {"source": "share=" + ARGS["code"] + "/same.mov", "destination": "/tmp/b", "status": "paused"}))
out({"t1": t1, "t2": t2, "all": s.find('Transfer WHERE name="same.mov"')})
`,
        { code: uniq("samename"), server: hq.id },
      ),
    );
    const t2 = obj(attempt(r.t2).ok, "second transfer with the same name is created");
    assert.notEqual(t2.id, obj(r.t1).id);
    assert.ok(list(r.all).length >= 2);
  });

  it("transfer statuses: done and paused writable; init and failed not", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/st.mov", "destination": "/tmp/st", "status": "paused"})
out({k: attempt(lambda k=k: s.update("Transfer", t["id"], {"status": k})) for k in ["init", "failed", "waiting", "paused", "done"]})
`,
        { code: uniq("jst"), server: hq.id },
      ),
    );
    assertError(attempt(r.init), "transfer status init", "status");
    assertError(attempt(r.failed), "transfer status failed", "status");
    for (const k of ["waiting", "paused", "done"]) {
      const a = attempt(r[k]);
      assert.equal(a.error, undefined, `status ${k} is writable: ${a.error}`);
      assert.equal(obj(a.ok).status, k);
    }
  });

  it("create validation: a folder needs its parent volume; a volume needs paths", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `out({"noparent": attempt(lambda: s.create("Folder", {"path": "x", "name": "NoParent"})),
     "badparent": attempt(lambda: s.create("Folder", {"parent": "0123456789abcdef01234567", "path": "x", "name": "BadParent"})),
     "nopaths": attempt(lambda: s.create("Volume", {"name": "NoPaths", "code": ARGS["code"], "server": ARGS["server"]}))})`,
        { code: uniq("np"), server: hq.id },
      ),
    );
    assertError(attempt(r.noparent), "folder without parent", "parent");
    assertError(attempt(r.badparent), "folder with an unknown parent", "0123456789abcdef01234567");
    assertError(attempt(r.nopaths), "volume without paths", "path");
  });

  it("delete of a share used by an active job needs force=True (client docstring)", async () => {
    const code = uniq("force");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "busy", "name": "Busy", "code": ARGS["code"] + "f"})
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/a.mov", "destination": "/tmp/a", "status": "paused"})
plain = attempt(lambda: s.delete_one("Folder", f["id"]))
forced = attempt(lambda: s.delete_one("Folder", f["id"], {"force": True}))
out({"t": t, "plain": plain, "forced": forced})
`,
        { code, server: hq.id },
      ),
    );
    const t = obj(r.t);
    const msg = assertError(attempt(r.plain), "delete a folder used by an active transfer");
    assert.ok(msg.includes(String(t.id)) || msg.includes(String(t.name)), `names the job: ${msg}`);
    assert.equal(attempt(r.forced).ok, true, "force=True deletes");
  });

  it("visibility: an employee sees folders of granted volumes; a standard user sees granted collections", async () => {
    const code = uniq("vis");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
g = mkvol(s, ARGS["code"] + "g", ARGS["server"])
u = mkvol(s, ARGS["code"] + "u", ARGS["server"])
fg = s.create("Folder", {"parent": g["id"], "path": "a", "name": "A", "code": ARGS["code"] + "fg"})
fu = s.create("Folder", {"parent": u["id"], "path": "a", "name": "A", "code": ARGS["code"] + "fu"})
s.grant("User", ARGS["emp"], "Volume", g["id"])
c1 = s.create("Collection", {"name": ARGS["code"] + "c1", "files": ["volume=" + ARGS["code"] + "g/a.txt"]})
c2 = s.create("Collection", {"name": ARGS["code"] + "c2", "files": ["volume=" + ARGS["code"] + "g/b.txt"]})
s.grant("User", ARGS["std"], "Collection", c1["id"], {"read": True})
out({"fg": fg["id"], "fu": fu["id"], "c1": c1["id"], "c2": c2["id"]})
`,
        {
          code,
          server: hq.id,
          emp: server.credentials("employee").code,
          std: server.credentials("standard").code,
        },
      ),
    );
    const emp = list(await py(server, "employee", `out(s.find("Folder"))`)).map((x) => x.id);
    assert.ok(emp.includes(r.fg), "employee sees a folder of a granted volume");
    assert.ok(!emp.includes(r.fu), "employee does not see a folder of an ungranted volume");
    const std = list(await py(server, "standard", `out(s.find("Collection"))`)).map((x) => x.id);
    assert.ok(std.includes(r.c1), "standard sees the collection granted to it");
    assert.ok(!std.includes(r.c2), "standard does not see another collection");
    const files = attempt(
      await py(server, "standard", `out(attempt(lambda: s.find("File", entityid=ARGS["c"])))`, { c: r.c1 }),
    );
    assert.equal(list(files.ok).length, 1, "and lists its files");
    const other = attempt(
      await py(server, "standard", `out(attempt(lambda: s.find("File", entityid=ARGS["c"])))`, { c: r.c2 }),
    );
    if (other.error === undefined)
      assert.equal(list(other.ok).length, 0, "no files of a collection it may not see");
  });

  it("query: booleans, dates as the client lower-cases them, dotted job.id, regex case", async () => {
    const code = uniq("qx");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/q.mov", "destination": "/tmp/q", "status": "paused"})
s.create("Task", {"tasks": [{"source": "q1.mov", "destination": "/tmp/q1.mov"}, {"source": "q2.mov", "destination": "/tmp/q2.mov"}]}, entityid=t["id"])
out({"default": attempt(lambda: s.find("Volume WHERE default=true")),
     "nodefault": attempt(lambda: s.find("Volume WHERE default=false")),
     "after": attempt(lambda: s.find("Volume WHERE created>2000-01-01T00:00:00 AND code=" + ARGS["code"])),
     "before": attempt(lambda: s.find("Volume WHERE created<2000-01-01T00:00:00")),
     "dotted": attempt(lambda: s.find("Task WHERE job.id=" + t["id"], entityid=t["id"])),
     "tasks": s.find("Task", entityid=t["id"]),
     "all": s.find("Volume")})
`,
        { code, server: hq.id },
      ),
    );
    const all = list(r.all);
    const def = list(attempt(r.default).ok, `default=true: ${attempt(r.default).error}`);
    assert.deepEqual(
      def.map((v) => v.id),
      all.filter((v) => v.default === true).map((v) => v.id),
    );
    assert.equal(list(attempt(r.nodefault).ok).length, all.length - def.length);
    assert.deepEqual(codes(list(attempt(r.after).ok, `created>date: ${attempt(r.after).error}`)), [code]);
    assert.equal(list(attempt(r.before).ok, `created<date: ${attempt(r.before).error}`).length, 0);
    assert.equal(
      list(attempt(r.dotted).ok, `job.id: ${attempt(r.dotted).error}`).length,
      list(r.tasks).length,
    );
    const w = await Wire.login(server, server.credentials("admin"));
    const m = list(
      await w.result("GET", "volume/find", { data: {}, query: `code matches ^${code.toUpperCase()}$` }),
    );
    assert.deepEqual(codes(m), [code], "matches compares case-insensitively too");
  });

  it("assignments('share', id) (deprecated name) works like 'Volume'", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL + `v = mkvol(s, ARGS["code"], ARGS["server"])\nout({"a": s.assignments("share", v["id"])})`,
        { code: uniq("shr"), server: hq.id },
      ),
    );
    assert.ok(JSON.stringify(r.a).includes(hq.id));
  });
  it("a served volume's path is the path for its server's OS (seed 000 'path')", async () => {
    const code = uniq("path");
    const r = obj(
      await py(server, "admin", PY_MKVOL + `out(mkvol(s, ARGS["code"], ARGS["server"]))`, {
        code,
        server: hq.id,
      }),
    );
    assert.equal(hq.os ?? "linux", "linux");
    assert.equal(r.path, obj(r.paths).linux, "path resolves to paths.linux for a linux server");
    assert.ok(String(r.modified) >= String(r.created));
  });

  it("a home created from a user id lands on the default volume", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
mkvol(s, ARGS["code"], ARGS["server"])
u = s.grant("User", ARGS["email"], "Collection", s.create("Collection", {"name": "for " + ARGS["email"].split("@")[0], "files": ["volume=" + s.find_one("Volume")["code"] + "/z.txt"]})["id"], {"read": True})
uid = s.find_one("User WHERE code=" + ARGS["email"])["id"]
h = s.create("Home", {"user": uid})
d = [v for v in s.find("Volume") if v["default"]]
out({"h": h, "d": d})
`,
        { email: `${uniq("homeid")}@example.com`, code: uniq("homevol"), server: hq.id },
      ),
    );
    const d = list(r.d);
    assert.equal(d.length, 1);
    assert.equal(obj(r.h).parent, d[0].id, "seed 000: the default volume is the volume for home shares");
  });

  it("access() filtered by user, and user:* as a wildcard reference value", async () => {
    const code = uniq("accf");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "a", "name": "A", "code": ARGS["code"] + "f"})
s.grant("User", ARGS["std"], "Folder", f["id"], {"read": True})
s.grant("User", ARGS["emp"], "Folder", f["id"], {"read": True})
std_id = s.find_one("User WHERE code=" + ARGS["std"])["id"]
out({"one": s.access("Folder", f["id"], "user", std_id), "any": s.access("Folder", f["id"], "user"), "std": std_id})
`,
        {
          code,
          server: hq.id,
          std: server.credentials("standard").code,
          emp: server.credentials("employee").code,
        },
      ),
    );
    const one = list(r.one);
    assert.equal(one.length, 1);
    assert.equal(one[0].user, r.std);
    assert.equal(list(r.any).length, 2, "entity=user:* matches every user ACL");
  });

  it("tasks: mirrored create returns {success: True}; update_many by uri; a duplicate retries the failed task", async () => {
    const code = uniq("tdup");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/m.mov", "destination": "/tmp/m", "status": "paused"})
mirrored = s.create("Task", {"tasks": ["/Volumes/projects/creatures_showreel_2018.mov"]}, t["id"])
one = s.create("Task", {"tasks": {"source": "r.mov", "destination": "/tmp/r.mov"}}, entityid=t["id"])
byuri = s.update_many("Task", t["id"], [{"uri": one["uri"], "status": "failed"}])
s.create("Task", {"tasks": {"source": "r.mov", "destination": "/tmp/r.mov"}}, entityid=t["id"])
again = [x for x in s.find("Task", entityid=t["id"]) if x["id"] == one["id"]]
out({"mirrored": mirrored, "one": one, "byuri": byuri, "again": again,
     "src": attempt(lambda: s.find("Transfer WHERE source=hq"))})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(obj(r.mirrored).success, true, "seed 001: returns {'success': True}");
    const byuri = list(r.byuri);
    assert.equal(byuri.length, 1);
    assert.equal(byuri[0].id, obj(r.one).id, "wire §4: update_many addresses a task by uri");
    assert.equal(byuri[0].status, "failed");
    const again = list(r.again);
    assert.equal(again.length, 1);
    assert.equal(again[0].status, "queued", "seed 001: the existing task is retried instead");
    assert.ok(
      Array.isArray(attempt(r.src).ok),
      `seed 001: Transfer WHERE source=hq: ${attempt(r.src).error}`,
    );
  });
  it("deleted shares and jobs are archived: archived=True finds them, get_entity sees them", async () => {
    const code = uniq("arch");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "arch", "name": "Arch", "code": ARGS["code"] + "f"})
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/arch.mov", "destination": "/tmp/arch", "status": "paused"})
s.update("Transfer", t["id"], {"status": "aborted"})
s.delete_one("Folder", f["id"])
s.delete_one("Transfer", t["id"])
out({"fa": attempt(lambda: s.find("Folder WHERE code=" + ARGS["code"] + "f", archived=True)),
     "ta": attempt(lambda: s.find("Transfer WHERE id=" + t["id"], archived=True)),
     "fe": s.get_entity("Folder", f["id"]), "te": s.get_entity("Transfer", t["id"])})
`,
        { code, server: hq.id },
      ),
    );
    assert.equal(list(attempt(r.fa).ok).length, 1, "seed 000: deleted shares are kept in the archive");
    assert.equal(list(attempt(r.ta).ok).length, 1, "seed 001: archived=True retrieves purged jobs");
    assert.ok(
      r.fe !== null,
      "client docstring: get_entity regardless if it is inactive or archived (folder)",
    );
    assert.ok(
      r.te !== null,
      "client docstring: get_entity regardless if it is inactive or archived (transfer)",
    );
  });
  it("ACL rights in transfers: read paths allow downloads, write paths uploads, nothing else (wire §6)", async () => {
    const code = uniq("rights");
    const std = server.credentials("standard");
    await py(
      server,
      "admin",
      PY_MKVOL +
        `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "vendor", "name": "Vendor", "code": ARGS["code"] + "f"})
g = s.create("Folder", {"parent": v["id"], "path": "other", "name": "Other", "code": ARGS["code"] + "g"})
s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "download", "read": True, "write": False})
s.grant("User", ARGS["std"], "Folder", f["id"], {"path": "upload", "read": False, "write": True})
out(True)
`,
      { code, server: hq.id, std: std.code },
    );
    const r = obj(
      await py(
        server,
        "standard",
        `
f = ARGS["code"] + "f"
def job(src, dst):
    return attempt(lambda: s.create("Transfer", {"source": src, "destination": dst, "status": "paused"}))
out({"down_ok": job("share=" + f + "/download/a.mov", "/tmp/a.mov"),
     "down_upload_path": job("share=" + f + "/upload/a.mov", "/tmp/a.mov"),
     "down_root": job("share=" + f + "/a.mov", "/tmp/a.mov"),
     "up_ok": job("/tmp/b.mov", "share=" + f + "/upload/b.mov"),
     "up_download_path": job("/tmp/b.mov", "share=" + f + "/download/b.mov"),
     "other_share": job("share=" + ARGS["code"] + "g/c.mov", "/tmp/c.mov")})
`,
        { code },
      ),
    );
    assert.equal(
      attempt(r.down_ok).error,
      undefined,
      `download from the read path: ${attempt(r.down_ok).error}`,
    );
    assert.equal(attempt(r.up_ok).error, undefined, `upload to the write path: ${attempt(r.up_ok).error}`);
    assertError(attempt(r.down_upload_path), "download from the write-only path");
    assertError(attempt(r.down_root), "download from outside the granted paths");
    assertError(attempt(r.up_download_path), "upload to the read-only path");
    assertError(attempt(r.other_share), "download from a share without an ACL");
  });

  it("only the user may add tasks from/to their own machine (seed 001)", async () => {
    const code = uniq("own");
    const emp = server.credentials("employee").code;
    await py(
      server,
      "admin",
      PY_MKVOL +
        `v = mkvol(s, ARGS["code"], ARGS["server"])\ns.grant("User", ARGS["emp"], "Volume", v["id"])\nout(True)`,
      { code, server: hq.id, emp },
    );
    const t = obj(
      await py(
        server,
        "employee",
        `out(s.create("Transfer", {"source": "share=" + ARGS["code"] + "/e.mov", "destination": "/Users/emp/e.mov", "status": "paused"}))`,
        { code },
      ),
    );
    const r = obj(
      await py(
        server,
        "admin",
        `out({"admin": attempt(lambda: s.create("Task", {"tasks": {"source": "f.mov", "destination": "/Users/admin/f.mov"}}, entityid=ARGS["t"]))})`,
        { t: t.id },
      ),
    );
    assertError(attempt(r.admin), "admin adds a task to the employee's local disk");
    const own = obj(
      await py(
        server,
        "employee",
        `out(attempt(lambda: s.create("Task", {"tasks": {"source": "g.mov", "destination": "/Users/emp/g.mov"}}, entityid=ARGS["t"])))`,
        { t: t.id },
      ),
    );
    assert.equal(attempt(own).error, undefined, `the owner adds a task: ${attempt(own).error}`);
  });

  it("quoted values may hold =, parentheses and the other quote", async () => {
    const code = uniq("odd");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "odd", "name": "Odd = name (v2) 'x'", "code": ARGS["code"] + "f"})
out({"dq": attempt(lambda: s.find('Folder WHERE name="Odd = name (v2) \\'x\\'"')),
     "sq": attempt(lambda: s.find("Folder WHERE code='" + ARGS["code"] + "f' AND name contains \\"(v2)\\""))})
`,
        { code, server: hq.id },
      ),
    );
    assert.deepEqual(codes(list(attempt(r.dq).ok, String(attempt(r.dq).error))), [`${code}f`]);
    assert.deepEqual(codes(list(attempt(r.sq).ok, String(attempt(r.sq).error))), [`${code}f`]);
  });
  it("deactivating a user deactivates its home ('deactivate the user instead', seed 000); activate restores", async () => {
    const email = `${uniq("du")}@example.com`;
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
s.grant("User", ARGS["email"], "Volume", v["id"], {"read": True})
u = s.find_one("User WHERE code=" + ARGS["email"])
h = s.create("Home", {"user": u["id"], "parent": v["id"]})
d = s.deactivate_one("User", u["id"])
hoff = s.find("Home WHERE id=" + h["id"])
hin = s.find("Home WHERE id=" + h["id"], inactive=True)
a = s.activate_one("User", ARGS["email"])
hon = s.find("Home WHERE id=" + h["id"])
out({"d": d, "hoff": hoff, "hin": hin, "a": a, "hon": hon})
`,
        { code: uniq("duv"), server: hq.id, email },
      ),
    );
    assert.equal(r.d, true);
    assert.equal(list(r.hoff).length, 0, "the home of a deactivated user is not active");
    assert.equal(list(r.hin).length, 1, "but kept (inactive=True)");
    assert.equal(r.a, true, "activate_one('User', e-mail)");
    assert.equal(list(r.hon).length, 1, "the home is back with the user");
  });
  it("after deassigning its server, no new job can use the volume; ongoing jobs are unaffected (seed 000)", async () => {
    const code = uniq("unsrv");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
f = s.create("Folder", {"parent": v["id"], "path": "f", "name": "F", "code": ARGS["code"] + "f"})
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/a.mov", "destination": "/tmp/a", "status": "waiting"})
s.deassign("Volume", "server", {"volume": v["id"], "server": ARGS["server"]})
new_v = attempt(lambda: s.create("Transfer", {"source": "share=" + ARGS["code"] + "/b.mov", "destination": "/tmp/b", "status": "paused"}))
new_f = attempt(lambda: s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/c.mov", "destination": "/tmp/c", "status": "paused"}))
s.assign("Volume", "server", {"volume": v["id"], "server": ARGS["server"]})
again = attempt(lambda: s.create("Transfer", {"source": "share=" + ARGS["code"] + "/d.mov", "destination": "/tmp/d", "status": "paused"}))
out({"t": t, "after": s.get_entity("Transfer", t["id"]), "new_v": new_v, "new_f": new_f, "again": again})
`,
        { code, server: hq.id },
      ),
    );
    assertError(attempt(r.new_v), "a new job on an unserved volume");
    assertError(attempt(r.new_f), "a new job on a folder of an unserved volume");
    assert.equal(obj(r.after).status, obj(r.t).status, "the ongoing job is not affected");
    assert.equal(
      attempt(r.again).error,
      undefined,
      `a new server → new jobs again: ${attempt(r.again).error}`,
    );
  });
  it("create/update replies have the same form as a query (seed 000/001 'on the same format as ... query')", async () => {
    const code = uniq("form");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
K = lambda d: sorted(d.keys())
v = mkvol(s, ARGS["code"], ARGS["server"])
vu = s.update("Volume", v["id"], {"description": "x"})
vf = s.find("Volume WHERE id=" + v["id"])[0]
f = s.create("Folder", {"parent": v["id"], "path": "f", "name": "F", "code": ARGS["code"] + "f"})
ff = s.find("Folder WHERE id=" + f["id"])[0]
h = s.create("Home", {"user": ARGS["hu"], "parent": v["id"]}) if s.grant("User", ARGS["hu"], "Volume", v["id"], {"read": True}) else None
hf = s.find("Home WHERE id=" + h["id"])[0]
c = s.create("Collection", {"name": ARGS["code"] + " c", "files": ["volume=" + ARGS["code"] + "/a.txt"]})
cf = s.find("Collection WHERE id=" + c["id"])[0]
fa = s.create("File", {"files": ["volume=" + ARGS["code"] + "/b.txt"]}, c["id"])
fl = [x for x in s.find("File", entityid=c["id"]) if x["id"] == fa["id"]][0]
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "f/t.mov", "destination": "/tmp/t", "status": "paused"})
tu = s.update("Transfer", t["id"], {"status": "waiting"})
tf = s.find("Transfer WHERE id=" + t["id"])[0]
k = s.create("Task", {"tasks": {"source": "k.mov", "destination": "/tmp/k.mov"}}, entityid=t["id"])
ku = s.update_many("Task", t["id"], [{"id": k["id"], "status": "onhold"}])[0]
kf = [x for x in s.find("Task", entityid=t["id"]) if x["id"] == k["id"]][0]
g = s.grant("User", ARGS["std"], "Folder", f["id"], {"read": True})
gf = s._event("GET", "acl/find", {}, query="acl WHERE target=share:" + f["id"])["result"][0]
out({"volume create": [K(v), K(vf)], "volume update": [K(vu), K(vf)], "folder create": [K(f), K(ff)],
     "home create": [K(h), K(hf)], "collection create": [K(c), K(cf)], "file add": [K(fa), K(fl)],
     "transfer create": [K(t), K(tf)], "transfer update": [K(tu), K(tf)], "task create": [K(k), K(kf)],
     "task update_many": [K(ku), K(kf)], "grant": [K(g), K(gf)]})
`,
        { code, server: hq.id, std: server.credentials("standard").code, hu: `${code}@example.com` },
      ),
    );
    const diffs: string[] = [];
    for (const [op, pair] of Object.entries(r)) {
      const [reply, query] = pair as [string[], string[]];
      const onlyReply = reply.filter((k) => !query.includes(k));
      const onlyQuery = query.filter((k) => !reply.includes(k));
      if (onlyReply.length || onlyQuery.length)
        diffs.push(`${op}: reply-only ${onlyReply} / query-only ${onlyQuery}`);
    }
    assert.deepEqual(diffs, []);
  });

  it("deleting the default volume makes the first remaining volume the default (seed 000 'default')", async () => {
    const own = await startTestServer();
    try {
      const h = (await seedServers(own))[0];
      const r = obj(
        await py(
          own,
          "admin",
          PY_MKVOL +
            `
a = mkvol(s, "firstvol", ARGS["server"])
b = mkvol(s, "secondvol", ARGS["server"])
c = mkvol(s, "thirdvol", ARGS["server"])
s.delete_one("Volume", a["id"])
out({"defaults": [v["code"] for v in s.find("Volume") if v["default"]]})
`,
          { server: h.id },
        ),
      );
      assert.deepEqual(r.defaults, ["secondvol"], "if none is set, the first volume defaults to main");
    } finally {
      await own.close();
    }
  });
  it("delete a collection and a home (homes can be deleted, not deactivated)", async () => {
    const code = uniq("dch");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
c = s.create("Collection", {"name": ARGS["code"] + " coll", "files": ["volume=" + ARGS["code"] + "/a.txt"]})
s.grant("User", ARGS["hu"], "Volume", v["id"], {"read": True})
h = s.create("Home", {"user": ARGS["hu"], "parent": v["id"]})
dc = s.delete_one("Collection", c["id"])
dh = s.delete_one("Home", h["id"])
out({"dc": dc, "dh": dh, "c": s.find("Collection WHERE id=" + c["id"], inactive=True), "h": s.find("Home WHERE id=" + h["id"], inactive=True)})
`,
        { code, server: hq.id, hu: `${code}@example.com` },
      ),
    );
    assert.equal(r.dc, true);
    assert.equal(r.dh, true);
    assert.equal(list(r.c).length, 0);
    assert.equal(list(r.h).length, 0);
  });
  it("replace_duplicates=True replaces the duplicate task instead of retrying it (client docstring)", async () => {
    const code = uniq("repl");
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
v = mkvol(s, ARGS["code"], ARGS["server"])
t = s.create("Transfer", {"source": "share=" + ARGS["code"] + "/r.mov", "destination": "/tmp/r", "status": "paused"})
old = s.create("Task", {"tasks": {"source": "x.mov", "destination": "/tmp/x.mov"}}, entityid=t["id"])
new = s.create("Task", {"tasks": {"source": "x.mov", "destination": "/tmp/x.mov"}}, entityid=t["id"], replace_duplicates=True)
same = [k for k in s.find("Task", entityid=t["id"]) if k["source"].get("path") == "x.mov"]
out({"old": old, "new": new, "same": same})
`,
        { code, server: hq.id },
      ),
    );
    const oldId = obj(r.old).id;
    const live = list(r.same).filter((k) => k.status !== "excluded");
    assert.equal(live.length, 1, `one live task for that source/destination: ${JSON.stringify(r.same)}`);
    assert.notEqual(live[0].id, oldId, "the live one is the new task, not the old one retried");
  });
});

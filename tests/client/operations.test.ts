import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import {
  AccsynClient,
  Folder,
  Volume,
  isAccsynAuthError,
  isAccsynConflictError,
  isAccsynHttpError,
  isAccsynNotFoundError,
  q,
} from "pulumi-accsyn/client";
import { clientFor, counters, demoUser, resetCounters, Running } from "./local";

describe("client against accsyn-local: every operation", function () {
  this.timeout(60_000);
  let server: Running;
  let c: AccsynClient;
  let vol: Volume;
  let folder: Folder;
  let hqServer: string;
  let stoServer: string;
  let employeeId: string;

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
    c = clientFor(server);
  });
  after(async () => {
    await c?.close();
    await server?.stop();
  });

  it("logs in lazily and reports role and id", async () => {
    const info = await c.login();
    assert.equal(info.role, "admin");
    assert.match(info.id, /^[0-9a-f]{24}$/);
    const cnt = await counters(server);
    assert.equal(cnt.byUri["PUT api/login"], 1);
  });

  it("entityTypes and attributes", async () => {
    const types = await c.entityTypes();
    for (const t of ["volume", "folder", "home", "collection", "acl", "user", "transfer", "task"])
      assert.ok(types.includes(t), t);
    const attrs = await c.attributes("folder", { create: true });
    assert.ok(attrs.length > 0);
  });

  it("finds users, sites and servers; findOne and getEntity", async () => {
    const users = await c.find("User");
    assert.ok(users.length >= 3);
    const emp = await c.findOne("User", q.eq("code", demoUser("employee").code));
    assert.ok(emp);
    employeeId = emp.id;
    assert.equal((await c.getEntity("User", emp.id))?.code, emp.code);
    assert.equal(await c.getEntity("User", "ffffffffffffffffffffffff"), undefined);
    const sites = await c.find("Site");
    assert.ok(sites.some((s) => s.code === "hq"));
    const hqSite = sites.find((s) => s.code === "hq");
    assert.equal((await c.getEntity("Site", hqSite?.id ?? ""))?.code, "hq");
    const servers = await c.find("Server");
    hqServer = servers.find((s) => s.code === "hq-server")?.id ?? "";
    stoServer = servers.find((s) => s.code === "sto-server")?.id ?? "";
    assert.ok(hqServer && stoServer);
    assert.equal((await c.find("Client", q.eq("code", "hq-server")))[0]?.id, hqServer);
    assert.equal((await c.getEntity("Server", hqServer))?.code, "hq-server");
    assert.deepEqual(await c.findOne("User", q.eq("code", "nobody@example.com")), undefined);
  });

  it("creates, reads, updates a volume; duplicate code is a conflict", async () => {
    vol = await c.create("Volume", {
      name: "Client Volume",
      code: "clientvol",
      paths: { linux: "/clientvol", windows: "C:", mac: "/Volumes/clientvol" },
      server: hqServer,
    });
    assert.equal(vol.code, "clientvol");
    assert.equal((await c.getEntity("Volume", vol.id))?.name, "Client Volume");
    assert.equal((await c.findOne("Volume", q.eq("code", "CLIENTVOL")))?.id, vol.id);
    const upd = await c.update("Volume", vol.id, { name: "Client Volume 2" });
    assert.equal(upd.name, "Client Volume 2");
    await assert.rejects(
      c.create("Volume", { name: "dup", code: "clientvol", paths: { linux: "/dup" }, server: hqServer }),
      (e: unknown) =>
        isAccsynConflictError(e) && e.operation === "volume/create" && e.entityType === "Volume",
    );
  });

  it("assigns, lists and deassigns servers", async () => {
    const before = await c.assignments(vol.id);
    assert.ok(before.some((a) => a.id === hqServer));
    assert.equal(await c.assignServer(vol.id, stoServer), true);
    const during = await c.assignments(vol.id);
    assert.ok(during.some((a) => a.id === stoServer));
    assert.equal(await c.deassignServer(vol.id, stoServer), true);
    assert.ok(!(await c.assignments(vol.id)).some((a) => a.id === stoServer));
  });

  it("creates folders (derived code), homes and collections", async () => {
    folder = await c.create("Folder", { parent: vol.id, path: "clientvol/TheProject", name: "TheProject" });
    assert.equal(folder.code, "theproject");
    assert.equal(folder.parent, vol.id);
    const home = await c.create("Home", { user: employeeId });
    assert.equal(home.user, employeeId);
    assert.equal((await c.getEntity("Home", home.id))?.code, home.code);
    assert.equal((await c.findOne("Home", q.eq("user", employeeId)))?.id, home.id);
    assert.equal((await c.lookupByCode("Home", home.code))?.id, home.id);
    const found = await c.find("Folder", q.and(q.eq("parent", vol.id), q.eq("path", "clientvol/TheProject")));
    assert.deepEqual(
      found.map((f) => f.id),
      [folder.id],
    );
    const col = await c.create("Collection", {
      name: "Startup",
      files: [`folder=${folder.code}/admin/spec.doc`],
    });
    assert.equal(col.name, "Startup");
    assert.equal((await c.getEntity("Collection", col.id))?.name, "Startup");
    assert.equal((await c.findOne("Collection", q.eq("name", "startup")))?.id, col.id);
    assert.equal((await c.lookupById("Collection", col.id))?.code, col.code);
    const files = await c.listFiles(col.id);
    assert.equal(files.length, 1);
    const added = await c.addFiles(col.id, [
      `folder=${folder.code}/ref/a.tif`,
      `folder=${folder.code}/ref/b.tif`,
    ]);
    assert.equal(added.length, 2);
    assert.equal((await c.listFiles(col.id)).length, 3);
    assert.equal(await c.removeFiles(col.id, [added[0].id]), true);
    assert.equal((await c.listFiles(col.id)).length, 2);
    // hundreds of ids do not fit one DELETE URL: removed in batches
    const many = await c.addFiles(
      col.id,
      Array.from({ length: 450 }, (_, i) => `folder=${folder.code}/bulk/${i}.exr`),
    );
    assert.equal(many.length, 450);
    assert.equal(
      await c.removeFiles(
        col.id,
        many.map((f) => f.id),
      ),
      true,
    );
    assert.equal((await c.listFiles(col.id)).length, 2);
    assert.equal(await c.delete("Collection", col.id), true);
    assert.equal(await c.delete("Home", home.id), true);
  });

  it("grants, lists and revokes ACLs (one per user, share and path, each with its id)", async () => {
    const a1 = await c.grant(employeeId, "Folder", folder.id, { read: true, path: "download" });
    assert.equal(a1.entity, `user:${employeeId}`);
    assert.equal(a1.target, `share:${folder.id}`);
    assert.deepEqual([a1.path, a1.read, a1.write], ["download", true, false]);
    const a2 = await c.grant(demoUser("employee").code, "Folder", folder.code, {
      write: true,
      path: "upload/",
    });
    assert.notEqual(a2.id, a1.id, "a second path is a second ACL");
    assert.equal(a2.path, "upload");
    const a1b = await c.grant(employeeId, "Folder", folder.id, {
      read: true,
      write: true,
      path: "/download",
    });
    assert.equal(a1b.id, a1.id, "granting a path again updates its ACL in place");
    assert.deepEqual([a1b.read, a1b.write], [true, true]);
    const mine = await c.access("Folder", folder.id, { user: employeeId });
    assert.deepEqual(mine.map((a) => [a.path, a.read, a.write, a.id]).sort(), [
      ["download", true, true, a1.id],
      ["upload", false, true, a2.id],
    ]);
    const rec = await c.access("Volume", vol.id, { recursive: true });
    assert.ok(rec.some((a) => a.id === a1.id) && rec.some((a) => a.id === a2.id));
    assert.equal((await c.access("Volume", vol.id)).length, 0);
    const onFolder = async (): Promise<string[]> =>
      (await c.list("Acl", {})).filter((a) => a.target === `share:${folder.id}`).map((a) => a.id);
    assert.deepEqual((await onFolder()).sort(), [a1.id, a2.id].sort());
    assert.equal(await c.revokeAcl(a2.id), true, "one ACL by id");
    assert.equal(await c.revokeAcl(a2.id), false, "already gone");
    assert.deepEqual(await onFolder(), [a1.id], "revokeAcl invalidates the cached ACL list");
    await c.grant(employeeId, "Folder", folder.id, { write: true, path: "upload" });
    assert.equal(await c.revoke(employeeId, "Folder", folder.id, "upload"), true, "one path's ACL");
    assert.deepEqual(await onFolder(), [a1.id]);
    assert.equal(await c.revoke(employeeId, "Folder", folder.id), true, "every ACL of the user on the share");
    assert.equal(await c.revoke(employeeId, "Folder", folder.id), false);
    assert.equal((await c.access("Folder", folder.id)).length, 0);
  });

  it("deactivates and re-activates (by code and by id)", async () => {
    assert.equal(await c.deactivate("Folder", folder.id), true);
    assert.equal((await c.find("Folder", q.eq("code", folder.code))).length, 0);
    const inactive = await c.find("Folder", q.eq("code", folder.code), { inactive: true });
    assert.equal(inactive[0]?.inactive, true);
    assert.equal(await c.activate("Folder", folder.code.toUpperCase()), true);
    assert.equal((await c.find("Folder", q.eq("code", folder.code))).length, 1);
    await c.deactivate("Folder", folder.id);
    assert.equal(await c.activate("Folder", folder.id), true);
  });

  it("transfers and tasks: create, find (finished), update, createTasks, updateTasks, delete", async () => {
    const t = await c.create("Transfer", {
      source: `share=${folder.code}/a.mov`,
      destination: "/tmp/dest",
      status: "paused",
    });
    assert.equal(t.status, "paused");
    assert.ok((await c.find("Transfer")).some((x) => x.id === t.id));
    const tasks = await c.findTasks(t.id);
    assert.equal(tasks.length, 1);
    const added = await c.createTasks(t.id, [
      { source: `share=${folder.code}/b.mov`, destination: "/tmp/dest/b.mov" },
    ]);
    assert.equal(added.length, 1);
    await assert.rejects(
      c.createTasks(t.id, [{ source: `share=${folder.code}/b.mov`, destination: "/tmp/dest/b.mov" }], {
        allowDuplicates: false,
      }),
      isAccsynHttpError,
    );
    const upd = await c.updateTasks(t.id, [{ id: added[0].id, status: "onhold" }]);
    assert.equal(upd[0]?.status, "onhold");
    assert.equal((await c.findTasks(t.id, q.eq("status", "onhold"))).length, 1);
    const aborted = await c.update("Transfer", t.id, { status: "aborted" });
    assert.equal(aborted.status, "aborted");
    assert.ok(!(await c.find("Transfer")).some((x) => x.id === t.id));
    assert.ok(
      (await c.find("Transfer", q.eq("status", "aborted"), { finished: true })).some((x) => x.id === t.id),
    );
    assert.equal((await c.getEntity("Transfer", t.id))?.id, t.id);
    assert.equal(await c.delete("Transfer", t.id), true);
    assert.ok(!(await c.find("Transfer", undefined, { finished: true })).some((x) => x.id === t.id));
    const archived = await c.find("Transfer", q.eq("id", t.id), { archived: true });
    assert.deepEqual(
      archived.map((x) => x.id),
      [t.id],
    );
  });

  it("deletes shares; a missing entity is NotFound (or false with missingOk)", async () => {
    assert.equal(await c.delete("Folder", folder.id), true);
    await assert.rejects(c.delete("Folder", folder.id), isAccsynNotFoundError);
    assert.equal(await c.delete("Folder", folder.id, { missingOk: true }), false);
    assert.equal(await c.delete("Volume", vol.id), true);
  });

  it("roles: a standard user may not create volumes", async () => {
    const std = clientFor(server, "standard");
    try {
      await assert.rejects(
        std.create("Volume", { name: "nope", code: "nope", paths: { linux: "/nope" } }),
        (e: unknown) => isAccsynAuthError(e) && e.status === 403,
      );
    } finally {
      await std.close();
    }
  });

  it("counts one request per operation on the control plane", async () => {
    await resetCounters(server);
    await c.find("Volume");
    await c.find("Volume");
    const cnt = await counters(server);
    assert.equal(cnt.byUri["GET volume/find"], 2);
    assert.equal(cnt.total, 2);
  });
});

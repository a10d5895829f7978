import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import { AccsynClient, isAccsynNetworkError, Volume } from "pulumi-accsyn/client";
import { clientFor, control, counters, resetCounters, Running } from "./local";

/**
 * Cached lists never outlive a write made through the same client. The lists are kept for a minute here, so
 * only invalidation can explain a fresh answer.
 */
describe("client cache: every cached list sees every write through the same client", function () {
  this.timeout(60_000);
  let server: Running;
  let c: AccsynClient;
  let vol: Volume;

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
    c = clientFor(server, "admin", { cacheTtlMs: 60_000, retry: { minDelayMs: 5, maxDelayMs: 20 } });
    const hq = (await c.find("Server")).find((s) => s.code === "hq-server");
    vol = await c.create("Volume", {
      name: "Cache",
      code: "cache",
      paths: { linux: "/cache" },
      server: hq?.id,
    });
  });
  after(async () => {
    await c?.close();
    await server?.stop();
  });

  it("folders: created, renamed, deactivated and deleted folders show in the cached list at once", async () => {
    const codes = async (): Promise<string[]> =>
      (await c.list("Folder")).filter((f) => f.parent === vol.id && !f.inactive).map((f) => f.code);
    assert.deepEqual(await codes(), []);
    const f = await c.create("Folder", { parent: vol.id, path: "cache/a", name: "A", code: "cache_a" });
    assert.deepEqual(await codes(), ["cache_a"]);
    await c.update("Folder", f.id, { name: "A2" });
    assert.equal((await c.lookupById("Folder", f.id))?.name, "A2");
    await c.deactivate("Folder", f.id);
    assert.deepEqual(await codes(), []);
    await c.activate("Folder", f.id);
    assert.deepEqual(await codes(), ["cache_a"]);
    await c.delete("Folder", f.id);
    assert.equal(await c.lookupById("Folder", f.id), undefined);
  });

  it("a write whose every reply was lost still shows: it may have been done", async () => {
    const f = await c.create("Folder", { parent: vol.id, path: "cache/l", name: "L", code: "cache_l" });
    assert.equal((await c.lookupById("Folder", f.id))?.name, "L");
    await control(server, "PUT", "faults", [{ uri: "folder/edit", action: "lost-reply", times: 10 }]);
    try {
      await assert.rejects(c.update("Folder", f.id, { name: "L2" }), isAccsynNetworkError);
    } finally {
      await control(server, "PUT", "faults", []);
    }
    assert.equal((await c.lookupById("Folder", f.id))?.name, "L2");
  });

  it("ACLs and users: a grant shows in the cached ACL list, an invitation in the cached user list", async () => {
    const f = await c.create("Folder", { parent: vol.id, path: "cache/g", name: "G", code: "cache_g" });
    const onFolder = async (): Promise<string[]> =>
      (await c.list("Acl", {})).filter((a) => a.target === `share:${f.id}`).map((a) => a.entity);
    const userCodes = async (): Promise<string[]> => (await c.list("User")).map((u) => u.code);
    assert.deepEqual(await onFolder(), []);
    assert.ok(!(await userCodes()).includes("invited@example.com"));
    const acl = await c.grant("invited@example.com", "Folder", f.id, { read: true });
    assert.deepEqual(await onFolder(), [acl.entity]);
    assert.ok((await userCodes()).includes("invited@example.com"));
    await c.revoke(acl.entity.split(":")[1], "Folder", f.id);
    assert.deepEqual(await onFolder(), []);
  });
});

/**
 * A run that creates many entities must not read every list again after each one: a write whose reply shows its
 * whole effect updates the cached lists in place; a write that failed, or had an attempt of unknown outcome, still
 * makes the lists be read again.
 */
describe("client cache: writes update the cached lists from their reply", function () {
  this.timeout(60_000);
  let server: Running;
  let c: AccsynClient;
  let vol: Volume;

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
  });
  beforeEach(async () => {
    await control(server, "POST", "reset", {});
    c = clientFor(server, "admin", { cacheTtlMs: 60_000, retry: { minDelayMs: 5, maxDelayMs: 20 } });
    const hq = (await c.find("Server")).find((s) => s.code === "hq-server");
    vol = await c.create("Volume", { name: "Edits", code: "edits", paths: { linux: "/e" }, server: hq?.id });
  });
  afterEach(async () => {
    await c?.close();
  });
  after(async () => {
    await server?.stop();
  });

  const reads = async (): Promise<Record<string, number>> => {
    const byUri = (await counters(server)).byUri;
    return Object.fromEntries(Object.entries(byUri).filter(([k]) => k.startsWith("GET ")));
  };

  it("created shares join the lists; grants and revocations edit the ACL list; no list is read again", async () => {
    const employee = (await c.list("User")).find((u) => u.code === "employee@example.com");
    assert.ok(employee);
    await c.list("Volume");
    await c.list("Folder");
    await c.listAcls();
    await resetCounters(server);
    const folders = [];
    for (const i of [1, 2, 3]) {
      folders.push(
        await c.create("Folder", { parent: vol.id, path: `e/${i}`, name: `E${i}`, code: `e_${i}` }),
      );
    }
    const acls = [];
    for (const f of folders)
      acls.push(await c.grant(employee.id, "Folder", f.id, { read: true, invite: false }));
    await c.revokeAcl(acls[0]!.id);
    const codes = (await c.list("Folder")).map((f) => f.code);
    for (const f of folders) assert.ok(codes.includes(f.code), `${f.code} in the cached list`);
    const onEmployee = (await c.listAcls())
      .filter((a) => a.entity === `user:${employee.id}`)
      .map((a) => a.id);
    assert.deepEqual(onEmployee.sort(), [acls[1]!.id, acls[2]!.id].sort());
    assert.ok((await c.list("Volume")).some((v) => v.id === vol.id));
    assert.ok((await c.list("User")).some((u) => u.id === employee.id));
    assert.deepEqual(await reads(), {}, "no list read again");
    // What the service has agrees with the edited lists.
    const fresh = clientFor(server, "admin", { cacheTtlMs: 0 });
    try {
      const live = (await fresh.listAcls())
        .filter((a) => a.entity === `user:${employee.id}`)
        .map((a) => a.id);
      assert.deepEqual(live.sort(), onEmployee.sort());
    } finally {
      await fresh.close();
    }
  });

  it("a create whose first reply was lost makes its lists be read again", async () => {
    await c.list("Folder");
    await resetCounters(server);
    await control(server, "PUT", "faults", [{ uri: "folder/create", action: "lost-reply", times: 1 }]);
    try {
      const f = await c.create("Folder", { parent: vol.id, path: "e/lost", name: "Lost", code: "e_lost" });
      assert.ok((await c.list("Folder")).some((x) => x.id === f.id));
    } finally {
      await control(server, "PUT", "faults", []);
    }
    // one lookup by natural key (the reconcile), then the list read again
    assert.equal((await reads())["GET folder/find"], 2);
  });
});

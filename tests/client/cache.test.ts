import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import { AccsynClient, isAccsynNetworkError, Volume } from "pulumi-accsyn/client";
import { clientFor, control, Running } from "./local";

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

import * as assert from "node:assert/strict";
import { AccsynClient, type AccsynClientOptions } from "pulumi-accsyn/client";
import { ClientWorkspaceApi } from "pulumi-accsyn/runtime/workspace-api";
import { NoBulkAcls } from "../helpers/no-bulk-acls";
import { type TestServer, startTestServer } from "../helpers/server";

/**
 * The provider's view of one share's ACLs (what every Grant reads and diffs against) comes from one
 * list of every ACL, indexed by share; it must say what accsyn says share by share, and follow the
 * run's own grants and revocations without reading again.
 */
describe("runtime (accsyn-local over HTTP): a share's ACLs from the one list of all ACLs", function () {
  this.timeout(60_000);
  let server: TestServer;
  let opts: AccsynClientOptions;
  let setup: AccsynClient;
  const shares: string[] = [];

  /** What accsyn answers for one share, asked on its own by a client with nothing cached. */
  async function truth(shareId: string): Promise<string[]> {
    const fresh = new AccsynClient(opts);
    try {
      return (await fresh.access("Folder", shareId)).map((a) => `${a.id} ${a.entity} ${a.path}`).sort();
    } finally {
      await fresh.close();
    }
  }

  async function seen(api: ClientWorkspaceApi, shareId: string): Promise<string[]> {
    return (await api.access("Folder", shareId)).map((a) => `${a.id} user:${a.userId} ${a.path}`).sort();
  }

  before(async () => {
    server = await startTestServer();
    const admin = server.credentials("admin");
    opts = { endpoint: server.url, workspace: "demo", user: admin.code, apiKey: admin.apiKey };
    setup = new AccsynClient(opts);
    const vol = await setup.create("Volume", { name: "Idx", code: "idx", paths: { linux: "/idx" } });
    for (const n of [0, 1, 2]) {
      const f = await setup.create("Folder", {
        parent: vol.id,
        path: `f${n}`,
        name: `F${n}`,
        code: `idx_f${n}`,
      });
      shares.push(f.id);
    }
    // share 0: two users, two paths for one of them; share 1: one user; share 2: none
    await setup.grant("employee@example.com", "Folder", shares[0]!, { path: "/", read: true, invite: false });
    await setup.grant("employee@example.com", "Folder", shares[0]!, {
      path: "a",
      write: true,
      invite: false,
    });
    await setup.grant("standard@example.com", "Folder", shares[0]!, { path: "b", read: true, invite: false });
    await setup.grant("standard@example.com", "Folder", shares[1]!, { path: "/", read: true, invite: false });
  });
  after(async () => {
    await setup?.close();
    await server?.close();
  });

  it("each share's ACLs are exactly what accsyn says for that share, from one acl/find", async () => {
    const client = new AccsynClient(opts);
    try {
      const api = new ClientWorkspaceApi(client);
      await server.resetCounters();
      for (const s of shares) assert.deepEqual(await seen(api, s), await truth(s));
      assert.equal((await seen(api, shares[0]!)).length, 3);
      assert.deepEqual(await seen(api, shares[2]!), []);
      const own = client.stats().requests;
      // the provider's client read one list (and logged in); the other requests were truth()'s
      assert.equal(own, 2, `requests of the provider's client: ${own}`);
    } finally {
      await client.close();
    }
  });

  it("follows the run's own grants and revocations without reading the list again", async () => {
    const client = new AccsynClient(opts);
    try {
      const api = new ClientWorkspaceApi(client);
      await seen(api, shares[2]!);
      const user = (await client.lookupByCode("User", "employee@example.com"))!;
      const before = client.stats().requests;
      const acl = await api.grant(
        user.id,
        "Folder",
        shares[2]!,
        { path: "/", read: true, write: false },
        {
          notify: false,
          invite: false,
        },
      );
      assert.deepEqual(await seen(api, shares[2]!), await truth(shares[2]!));
      assert.deepEqual(await seen(api, shares[2]!), [`${acl.id} user:${user.id} /`]);
      const gone = (await api.access("Folder", shares[0]!))[0]!;
      await api.revokeAcl(gone.id);
      assert.deepEqual(await seen(api, shares[0]!), await truth(shares[0]!));
      assert.equal((await seen(api, shares[0]!)).length, 2);
      // the grant and the revocation, nothing else
      assert.equal(client.stats().requests - before, 2);
    } finally {
      await client.close();
    }
  });

  it("a service that refuses one acl/find for every share is asked share by share, with the same answers", async () => {
    const client = new NoBulkAcls(opts);
    try {
      const api = new ClientWorkspaceApi(client);
      for (const s of shares) assert.deepEqual(await seen(api, s), await truth(s));
    } finally {
      await client.close();
    }
  });
});

import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startServer } from "accsyn-local";
import { Store } from "accsyn-local/store";
import { seedCredentials } from "../helpers/server";
import { list } from "./common";
import { Wire } from "./wire";

// A data directory written while accsyn-local kept one ACL per (user, share) with a list of path
// rules must keep every access it granted once ACLs are per path (wire §6, corrected).
describe("ACLs of an older data directory are split per path on open", function () {
  this.timeout(60_000);
  let dataDir: string;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-acls-"));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("one legacy ACL with two path rules becomes two ACLs; the first keeps the id; reopening changes nothing", async () => {
    const admin = seedCredentials("admin");
    let server = await startServer({ dataDir, rateLimit: false });
    let w = await Wire.login(server, admin);
    const hq = list(await w.result("GET", "server/find", { data: {} }))[0];
    const vol = list(
      await w.result("POST", "volume/create", {
        data: { name: "Legacy", code: "legacy", paths: { linux: "/legacy" }, server: hq.id },
      }),
    )[0];
    const f = list(
      await w.result("POST", "folder/create", {
        data: { parent: vol.id, path: "f", name: "F", code: "legacyf" },
      }),
    )[0];
    const std = seedCredentials("standard").code;
    const acl = list(
      await w.result("POST", "acl/create", {
        data: { entity: `user:${std}`, target: `share:${f.id}`, path: "download", read: true, notify: false },
      }),
    )[0];
    await server.stop();

    // Rewrite it the way the older version stored it.
    const store = new Store(dataDir);
    const doc = store.get<{ id: string; [k: string]: unknown }>("acl", String(acl.id));
    assert.ok(doc, "the ACL is stored");
    const { path: _p, read: _r, write: _w, ...rest } = doc;
    store.put("acl", {
      ...rest,
      rules: [
        { path: "download", read: true, write: false },
        { path: "upload", read: false, write: true },
      ],
    });
    store.close();

    const rules = async () =>
      list(await w.result("GET", "acl/find", { query: `acl WHERE target=share:${String(f.id)}` }))
        .map((a) => [a.path, a.read, a.write, "rules" in a])
        .sort();
    server = await startServer({ dataDir, rateLimit: false });
    w = await Wire.login(server, admin);
    const after = await rules();
    assert.deepEqual(after, [
      ["download", true, false, false],
      ["upload", false, true, false],
    ]);
    const byPath = list(
      await w.result("GET", "acl/find", { query: `acl WHERE target=share:${String(f.id)}` }),
    );
    assert.equal(byPath.find((a) => a.path === "download")?.id, acl.id, "the first path keeps the ACL's id");
    await server.stop();

    server = await startServer({ dataDir, rateLimit: false });
    w = await Wire.login(server, admin);
    assert.deepEqual(await rules(), after, "a second open finds nothing to split");
    await server.stop();
  });
});

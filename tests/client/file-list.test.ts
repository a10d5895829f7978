import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import { AccsynClient } from "pulumi-accsyn/client";
import { clientFor, counters, resetCounters, Running } from "./local";

interface Workspace {
  server: Running;
  c: AccsynClient;
  a: string;
  b: string;
}

/** A server (with `fileFindNeedsParent` or not) holding two collections: a (2 files) and b (1). */
async function workspace(fileFindNeedsParent: boolean): Promise<Workspace> {
  const server = await startServer({ control: true, rateLimit: false, fileFindNeedsParent });
  const c = clientFor(server, "admin", { cacheTtlMs: 60_000 });
  const hq = (await c.list("Server", {})).find((s) => s.code === "hq-server")?.id;
  await c.create("Volume", { name: "Files", code: "files", paths: { linux: "/files" }, server: hq });
  const a = await c.create("Collection", {
    name: "A",
    code: "a",
    files: ["volume=files/a1", "volume=files/a2"],
  });
  const b = await c.create("Collection", { name: "B", code: "b", files: ["volume=files/b1"] });
  return { server, c, a: a.id, b: b.id };
}

async function paths(w: Workspace, collection: string): Promise<string[]> {
  return (await w.c.listFilesCached(collection)).map((f) => String(f.path)).sort();
}

async function fileFinds(w: Workspace): Promise<number> {
  return (await counters(w.server)).byUri["GET file/find"] ?? 0;
}

/**
 * Collection files from one `file/find` without a parent for all collections; from one per
 * collection (the documented form) when the service refuses that.
 */
describe("client: collection files from one list, per collection when the service refuses it", function () {
  this.timeout(60_000);
  const running: Workspace[] = [];
  after(async () => {
    for (const w of running) {
      await w.c.close();
      await w.server.stop();
    }
  });

  it("one file/find answers every collection; a write to one collection's files shows at the next read", async () => {
    const w = await workspace(false);
    running.push(w);
    await resetCounters(w.server);
    assert.deepEqual(await paths(w, w.a), ["volume=files/a1", "volume=files/a2"]);
    assert.deepEqual(await paths(w, w.b), ["volume=files/b1"]);
    assert.equal(await fileFinds(w), 1);
    await w.c.addFiles(w.b, ["volume=files/b2"]);
    assert.deepEqual(await paths(w, w.b), ["volume=files/b1", "volume=files/b2"]);
    assert.deepEqual(await paths(w, w.a), ["volume=files/a1", "volume=files/a2"]);
  });

  it("a service that refuses file/find without a parent (400) is asked per collection, and not asked again", async () => {
    const w = await workspace(true);
    running.push(w);
    await resetCounters(w.server);
    assert.deepEqual(await paths(w, w.a), ["volume=files/a1", "volume=files/a2"]);
    assert.deepEqual(await paths(w, w.b), ["volume=files/b1"]);
    assert.deepEqual(await paths(w, w.a), ["volume=files/a1", "volume=files/a2"]);
    // the refused list, then one per collection (each kept)
    assert.equal(await fileFinds(w), 3);
  });
});

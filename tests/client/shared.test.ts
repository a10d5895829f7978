import * as assert from "node:assert/strict";
import * as path from "node:path";

import {
  AccsynClientOptions,
  closeSharedClients,
  getSharedClient,
  isAccsynUsageError,
} from "pulumi-accsyn/client";
import { envelopeOf, LOGIN_OK, Recorder, startRecorder } from "./recorder";

const VOL = "abcdefabcdefabcdefabcdef";

/** A tiny stateful workspace: folders can be created, listed and renamed. */
async function folderServer(): Promise<Recorder> {
  const folders: Record<string, unknown>[] = [];
  let next = 0;
  return startRecorder((r) => {
    if (r.url.startsWith("/api/v3/api/login")) return LOGIN_OK;
    const e = envelopeOf(r);
    const data = e.data as Record<string, unknown>;
    if (e.uri === "folder/find") return { status: 200, body: { result: folders } };
    if (e.uri === "folder/create") {
      const id = (next++).toString(16).padStart(24, "0");
      const f = { id, code: `f${id.slice(-4)}`, status: "enabled", parent: VOL, ...data };
      folders.push(f);
      return { status: 200, body: { result: [f] } };
    }
    if (e.uri === "folder/edit") {
      const f = folders.find((x) => x.id === e.id);
      if (f) Object.assign(f, data);
      return { status: 200, body: { result: [f] } };
    }
    return { status: 200, body: { result: [] } };
  });
}

function logins(rec: Recorder): number {
  return rec.requests.filter((r) => r.url.startsWith("/api/v3/api/login")).length;
}

describe("client: one shared client per process and identity", () => {
  let rec: Recorder;
  const opts = (extra: AccsynClientOptions = {}): AccsynClientOptions => ({
    endpoint: rec.url,
    workspace: "w",
    user: "u@x",
    apiKey: "k1",
    env: {},
    ...extra,
  });

  beforeEach(async () => {
    rec = await folderServer();
  });
  afterEach(async () => {
    await closeSharedClients();
    await rec.close();
  });

  it("callers with the same identity share one client: one login, and each sees the other's writes", async () => {
    const a = getSharedClient(opts());
    const b = getSharedClient(opts());
    assert.equal(a, b);
    // b reads (and caches) the list, a creates, b's next lookup sees the new folder at once
    assert.equal((await b.list("Folder")).length, 0);
    const f = await a.create("Folder", { parent: VOL, path: "p/x", name: "X" });
    assert.equal((await b.lookupById("Folder", f.id))?.name, "X");
    await a.update("Folder", f.id, { name: "Y" });
    assert.equal((await b.lookupById("Folder", f.id))?.name, "Y");
    assert.equal(logins(rec), 1);
  });

  it("a second copy of the whole client package, loaded again, still finds the same client", () => {
    // what Pulumi does when it loads the provider's modules more than once in one process
    const dir = path.dirname(require.resolve("pulumi-accsyn/client"));
    const saved = Object.keys(require.cache).filter((k) => k.startsWith(dir + path.sep));
    const kept = new Map(saved.map((k) => [k, require.cache[k]]));
    for (const k of saved) delete require.cache[k];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require("pulumi-accsyn/client") as typeof import("pulumi-accsyn/client");
    for (const [k, m] of kept) require.cache[k] = m;
    assert.notEqual(other.getSharedClient, getSharedClient, "a distinct copy was loaded");
    assert.equal(other.getSharedClient(opts()), getSharedClient(opts()));
    const withLogger = (): void => undefined;
    assert.equal(
      other.getSharedClient(opts({ logger: withLogger })),
      getSharedClient(opts({ logger: withLogger })),
    );
  });

  it("another user or workspace gets its own client", () => {
    const a = getSharedClient(opts());
    assert.notEqual(getSharedClient(opts({ user: "v@x" })), a);
    assert.notEqual(getSharedClient(opts({ workspace: "w2" })), a);
    assert.equal(getSharedClient(opts()), a);
  });

  it("a new API key or new options reconfigure: a new client, while the old one keeps working", async () => {
    const a = getSharedClient(opts());
    await a.login();
    const b = getSharedClient(opts({ apiKey: "k2" }));
    assert.notEqual(b, a);
    await b.login();
    assert.equal(getSharedClient(opts({ apiKey: "k2" })), b);
    assert.deepEqual(await a.list("Folder"), [], "a holder of the old client is not cut off");
    const c = getSharedClient(opts({ apiKey: "k2", cacheTtlMs: 0 }));
    assert.notEqual(c, b);
    assert.equal(getSharedClient(opts({ apiKey: "k2", cacheTtlMs: 0 })), c);
    await closeSharedClients();
    await assert.rejects(a.list("Folder"), isAccsynUsageError);
    await assert.rejects(c.list("Folder"), isAccsynUsageError);
  });
});

import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import { AccsynClient, AccsynLogEvent, Folder, Volume, q } from "pulumi-accsyn/client";
import { clientFor, control, counters, resetCounters, Running } from "./local";

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

describe("client resilience against accsyn-local", function () {
  this.timeout(120_000);
  let server: Running;
  let c: AccsynClient;
  let vol: Volume;

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
    c = clientFor(server, "admin", { budget: false, retry: { minDelayMs: 20, maxDelayMs: 200 } });
    const hq = (await c.find("Server")).find((s) => s.code === "hq-server");
    vol = await c.create("Volume", {
      name: "Faults",
      code: "faults",
      paths: { linux: "/faults" },
      server: hq?.id,
    });
  });
  after(async () => {
    await c?.close();
    await server?.stop();
  });

  it("200 folder creates under 20% mixed faults all succeed exactly once", async () => {
    // first match wins: probabilities chosen so that each action hits ~5% of calls (~20% in total)
    await control(server, "PUT", "faults", [
      { uri: "folder/create", action: "throttle", probability: 0.05, retryAfter: 0 },
      { uri: "folder/create", action: "unavailable", probability: 0.05 / 0.95 },
      { uri: "folder/create", action: "reset", probability: 0.05 / 0.9 },
      { uri: "folder/create", action: "lost-reply", probability: 0.05 / 0.85 },
    ]);
    await resetCounters(server);
    const events: AccsynLogEvent[] = [];
    const fc = clientFor(server, "admin", {
      budget: false,
      retry: { minDelayMs: 20, maxDelayMs: 200 },
      logger: (e) => events.push(e),
    });
    const specs = Array.from({ length: 200 }, (_, i) =>
      // half with a code (reconciled by code), half without (reconciled by parent+path)
      i % 2 === 0
        ? { parent: vol.id, path: `faults/f${i}`, name: `F ${i}`, code: `fault_${i}` }
        : { parent: vol.id, path: `faults/f${i}`, name: `Folder ${i}` },
    );
    const created: Folder[] = await pool(specs, 10, (s) => fc.create("Folder", s));
    await control(server, "PUT", "faults", []);
    const cnt = await counters(server);
    const attempts = cnt.byUri["POST folder/create"] ?? 0;
    const lookups = cnt.byUri["GET folder/find"] ?? 0;
    const listed = await c.find("Folder", undefined, { parent: vol.id, inactive: true });
    const paths = listed.map((f) => f.path);
    const dupPaths = paths.length - new Set(paths).size;
    const found = events.filter((e) => e.type === "reconcile" && e.outcome === "found").length;
    const absent = events.filter((e) => e.type === "reconcile" && e.outcome === "absent").length;
    console.log(
      `      fault test: 200 creates -> ${created.length} folders, ${attempts} create attempts, ` +
        `${lookups} reconciling lookups (${found} found: reply lost; ${absent} absent: repeated), ` +
        `${listed.length} listed, ${dupPaths} duplicates`,
    );
    assert.equal(created.length, 200);
    assert.equal(new Set(created.map((f) => f.id)).size, 200, "each create returned its own folder");
    for (let i = 0; i < 200; i++) assert.equal(created[i].path, specs[i].path);
    assert.equal(listed.length, 200);
    assert.equal(dupPaths, 0);
    assert.ok(attempts > 200, "some faults were injected");
    assert.ok(lookups > 0, "ambiguous failures were reconciled by lookup");
    assert.equal(found + absent, lookups);
    const st = fc.stats();
    assert.equal(st.reconciles, lookups);
    assert.ok(st.attempts >= st.requests && st.requests >= 200);
    assert.ok(events.some((e) => e.type === "request" && e.uri === "folder/create" && e.code !== undefined));
    await fc.close();
  });

  it("idempotent writes and reads survive a lost reply or a reset (each exactly once in effect)", async () => {
    const lose = async (uri: string, action: "lost-reply" | "reset" = "lost-reply"): Promise<void> => {
      await control(server, "PUT", "faults", [{ uri, action, times: 1 }]);
    };
    const servers = await c.find("Server");
    const sto = servers.find((x) => x.code === "sto-server")?.id ?? "";
    const emp = (await c.find("User")).find((u) => u.role === "employee")?.id ?? "";
    const f = await c.create("Folder", { parent: vol.id, path: "idem/x", name: "Idem", code: "idem" });
    try {
      await lose("folder/find", "reset");
      assert.equal((await c.find("Folder", q.eq("code", "idem"))).length, 1);
      await lose("folder/find");
      assert.equal((await c.find("Folder", q.eq("code", "idem"))).length, 1);
      await lose("folder/edit");
      assert.equal((await c.update("Folder", f.id, { name: "Idem 2" })).name, "Idem 2");
      await lose("folder/deactivate");
      assert.equal(await c.deactivate("Folder", f.id), true);
      await lose("folder/activate");
      assert.equal(await c.activate("Folder", f.id), true);
      await lose("acl/create");
      const acl = await c.grant(emp, "Folder", f.id, { read: true });
      assert.equal((await c.access("Folder", f.id)).length, 1);
      assert.equal((await c.access("Folder", f.id))[0].id, acl.id);
      await lose("acl/delete");
      await resetCounters(server);
      assert.equal(await c.revoke(emp, "Folder", f.id), true);
      assert.equal((await counters(server)).byUri["DELETE acl/delete"], 2, "the lost reply was retried");
      assert.equal((await c.access("Folder", f.id)).length, 0);
      await lose("share/server");
      assert.equal(await c.assignServer(vol.id, sto), true);
      await lose("volume/server");
      assert.equal(await c.deassignServer(vol.id, sto), true);
      assert.ok(!(await c.assignments(vol.id)).some((a) => a.id === sto));
      await lose("folder/delete");
      await resetCounters(server);
      assert.equal(await c.delete("Folder", f.id), true);
      assert.equal((await counters(server)).byUri["DELETE folder/delete"], 2, "the lost reply was retried");
      assert.equal((await c.find("Folder", q.eq("code", "idem"), { inactive: true })).length, 0);
    } finally {
      await control(server, "PUT", "faults", []);
    }
  });

  it("coalesces 500 lookups of 500 folders into one list request per type", async () => {
    const codes = Array.from({ length: 300 }, (_, i) => `co_${i}`);
    await pool(codes, 20, (code) =>
      c.create("Folder", { parent: vol.id, path: `co/${code}`, name: code, code }),
    );
    const all = await c.find("Folder", undefined, { inactive: true });
    assert.ok(all.length >= 500, `have ${all.length} folders`);
    const targets = all.slice(0, 500);

    const diff = clientFor(server); // default budget and 2 s TTL, as the provider uses it
    await diff.login();
    await resetCounters(server);
    // a provider diff: each resource reads its folder by code and by id, and its parent volume by id
    const results = await Promise.all(
      targets.map(async (f) => {
        const byCode = await diff.lookupByCode("Folder", f.code);
        const byId = await diff.lookupById("Folder", f.id);
        const parent = await diff.lookupById("Volume", f.parent);
        return byCode?.id === f.id && byId?.code === f.code && parent?.id === f.parent;
      }),
    );
    const cnt = await counters(server);
    console.log(
      `      coalescing: 1500 lookups over 500 folders -> ${cnt.total} requests (${JSON.stringify(cnt.byUri)})`,
    );
    assert.ok(results.every(Boolean));
    assert.equal(cnt.byUri["GET folder/find"], 1);
    assert.equal(cnt.byUri["GET volume/find"], 1);
    assert.equal(cnt.total, 2);

    // a write through the client invalidates: the next lookup lists again
    await diff.update("Folder", targets[0].id, { name: "renamed" });
    assert.equal((await diff.lookupById("Folder", targets[0].id))?.name, "renamed");
    assert.equal((await counters(server)).byUri["GET folder/find"], 2);

    // ttl 0 disables coalescing
    const nocache = clientFor(server, "admin", { cacheTtlMs: 0 });
    await nocache.login();
    await resetCounters(server);
    await Promise.all(targets.slice(0, 5).map((f) => nocache.lookupByCode("Folder", f.code)));
    assert.equal((await counters(server)).byUri["GET folder/find"], 5);
    await diff.close();
    await nocache.close();
  });

  it("the request budget paces at the service's 30/s, shared by every client of the process (never throttled)", async () => {
    const limited = await startServer({ control: true, rateLimit: { perSecond: 30, burst: 60 } });
    const events: AccsynLogEvent[] = [];
    // Two clients of one process (say, two identities): the service counts their requests together.
    const [b, b2] = ["admin", "employee"].map((role) =>
      clientFor(limited, role as "admin" | "employee", {
        retry: { maxRetries: 0 },
        logger: (e) => events.push(e),
        cacheTtlMs: 0,
      }),
    );
    try {
      await Promise.all([b.login(), b2.login()]);
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? b : b2).find("Site")));
      const ms = Date.now() - t0;
      const statuses = events.filter((e) => e.type === "request").map((e) => e.status);
      assert.equal(statuses.length, 122);
      assert.ok(
        statuses.every((s) => s === 200),
        `statuses: ${statuses.join(",")}`,
      );
      // 122 requests, a burst of 50 then 30/s, take about 2.4 s (two budgets would have sent 100 at once)
      assert.ok(ms >= 2000, `took ${ms} ms`);
    } finally {
      await b.close();
      await b2.close();
      await limited.stop();
    }
  });
});

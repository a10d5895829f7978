import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, attempt, list, obj, py, seedServers, uniq, type SeedServerRef } from "./common";
import { Wire, messageOf } from "./wire";

// ARCHITECTURE.md "Control plane": fault rules.
describe("fault injection (control plane)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;
  let w: Wire;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
    w = await Wire.login(server, server.credentials("admin"));
  });
  afterEach(async () => server.setFaults([]));
  after(async () => server?.close());

  async function timed(fn: () => Promise<unknown>): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  }

  function volData(code: string): Record<string, unknown> {
    return {
      name: code,
      code,
      paths: { linux: `/${code}`, windows: "V:", mac: `/Volumes/${code}` },
      server: hq.id,
    };
  }

  it("latency delays only the matching uri by latencyMs", async () => {
    await server.setFaults([{ uri: "volume/find", action: "latency", latencyMs: 500 }]);
    const slow = await timed(() => w.result("GET", "volume/find", { data: {} }));
    const fast = await timed(() => w.result("GET", "folder/find", { data: {} }));
    assert.ok(slow >= 480, `volume/find took ${slow.toFixed(0)} ms, expected ≥ 500`);
    assert.ok(fast < 300, `folder/find took ${fast.toFixed(0)} ms, expected no delay`);
    console.log(`      latency: matching ${slow.toFixed(0)} ms, other ${fast.toFixed(0)} ms`);
  });

  it("throttle answers 429 with Retry-After and a JSON message; the Python client raises", async () => {
    await server.setFaults([{ uri: "volume/find", action: "throttle", retryAfter: 7 }]);
    const r = await w.send("GET", "volume/find", { data: {} });
    assert.equal(r.status, 429);
    assert.equal(String(r.headers["retry-after"]), "7");
    assert.ok(messageOf(r).length > 0, `JSON message: ${r.text}`);
    const a = attempt(await py(server, "admin", `out(attempt(lambda: s.find("Volume")))`));
    assert.ok(a.error, "the official client raises on a throttled reply");
  });

  it("unavailable answers 503 with a JSON body", async () => {
    await server.setFaults([{ uri: "volume/find", action: "unavailable" }]);
    const r = await w.send("GET", "volume/find", { data: {} });
    assert.equal(r.status, 503);
    assert.ok(r.json !== undefined, `JSON body: ${r.text}`);
  });

  it("reset destroys the connection before the event runs (nothing committed)", async () => {
    const code = uniq("rst");
    await server.setFaults([{ uri: "volume/create", action: "reset" }]);
    await assert.rejects(w.send("POST", "volume/create", { data: volData(code) }));
    const a = attempt(
      await py(
        server,
        "admin",
        PY_MKVOL + `out(attempt(lambda: mkvol(s, ARGS["c"] + "p", ARGS["server"])))`,
        { c: code, server: hq.id },
      ),
    );
    assert.ok(a.error, "the Python client raises on a reset connection");
    await server.setFaults([]);
    const found = list(await w.result("GET", "volume/find", { data: {}, query: `code=${code}` }));
    assert.equal(found.length, 0, "a reset event is not committed");
  });

  it("lost-reply commits the write, then the client gets an error", async () => {
    const code = uniq("lost");
    await server.setFaults([{ uri: "volume/create", action: "lost-reply" }]);
    const a = attempt(
      await py(server, "admin", PY_MKVOL + `out(attempt(lambda: mkvol(s, ARGS["code"], ARGS["server"])))`, {
        code,
        server: hq.id,
      }),
    );
    assert.ok(a.error, "the Python client gets an error");
    await server.setFaults([]);
    const found = list(await w.result("GET", "volume/find", { data: {}, query: `code=${code}` }));
    assert.equal(found.length, 1, "the write was committed");
  });

  it("probability 0 never fires, 1 always, 0.5 about half of 200", async () => {
    const count503 = async (n: number): Promise<number> => {
      let c = 0;
      for (let i = 0; i < n; i++) if ((await w.send("GET", "volume/find", { data: {} })).status === 503) c++;
      return c;
    };
    await server.setFaults([{ uri: "volume/find", action: "unavailable", probability: 0 }]);
    assert.equal(await count503(30), 0);
    await server.setFaults([{ uri: "volume/find", action: "unavailable", probability: 1 }]);
    assert.equal(await count503(30), 30);
    await server.setFaults([{ uri: "volume/find", action: "unavailable", probability: 0.5 }]);
    const half = await count503(200);
    assert.ok(half > 60 && half < 140, `probability 0.5 fired ${half}/200 times`);
  });

  it("first match wins; wildcard suffix; method; times", async () => {
    await server.setFaults([
      { uri: "volume/find", action: "unavailable" },
      { uri: "volume/*", action: "throttle", retryAfter: 1 },
    ]);
    assert.equal((await w.send("GET", "volume/find", { data: {} })).status, 503, "first rule wins");
    assert.equal(
      (await w.send("POST", "volume/create", { data: volData(uniq("fm")) })).status,
      429,
      "wildcard",
    );
    assert.equal(
      (await w.send("GET", "folder/find", { data: {} })).status,
      200,
      "no rule matches folder/find",
    );

    await server.setFaults([{ method: "POST", action: "unavailable" }]);
    assert.equal((await w.send("GET", "volume/find", { data: {} })).status, 200, "method GET not matched");
    assert.equal(
      (await w.send("POST", "volume/create", { data: volData(uniq("mm")) })).status,
      503,
      "method POST",
    );

    await server.setFaults([{ uri: "volume/find", action: "unavailable", times: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await w.send("GET", "volume/find", { data: {} })).status);
    assert.deepEqual(statuses, [503, 503, 200], "times: 2 stops after two hits");
  });

  it("GET returns the rule list; [] clears", async () => {
    const rules = [{ uri: "volume/find", action: "latency" as const, latencyMs: 10 }];
    await server.setFaults(rules);
    const got = await server.faults();
    assert.equal(got.length, 1);
    assert.equal(got[0].uri, "volume/find");
    assert.equal(got[0].action, "latency");
    await server.setFaults([{ uri: "*", action: "unavailable" }]);
    assert.equal((await w.send("GET", "volume/find", { data: {} })).status, 503);
    await server.setFaults([]);
    assert.deepEqual(await server.faults(), []);
    assert.equal((await w.send("GET", "volume/find", { data: {} })).status, 200);
    const ok = obj(await py(server, "admin", `out({"n": len(s.find("Volume"))})`));
    assert.equal(typeof ok.n, "number");
  });
});

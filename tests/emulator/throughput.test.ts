import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Pool } from "undici";
import { seedCredentials } from "../helpers/server";
import { freePort, kill9, startCli, type Cli } from "./cli";
import { list, type Json } from "./common";
import { login, sendEvent, type Method, type WireUser } from "./wire";

// A small bounded measurement over loopback: the CLI runs as its own process
// (rate limit off) so that client and server do not share one event loop.
const WINDOW_MS = 2000;
const CONCURRENCY = 16;
const MIN_EVENTS_PER_SECOND = 50;

interface Stats {
  events: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(next: (i: number) => Promise<number>): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const t0 = performance.now();
  const deadline = t0 + WINDOW_MS;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const n = i++;
      const s = performance.now();
      const status = await next(n);
      latencies.push(performance.now() - s);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function report(name: string, s: Stats): void {
  console.log(
    `      ${name}: ${s.perSecond.toFixed(0)} events/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms ` +
      `(${s.events} events, ${s.errors} errors, ${CONCURRENCY} concurrent, ${WINDOW_MS / 1000} s)`,
  );
}

describe("throughput over loopback (undici, rate limit off)", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cli: Cli;
  let pool: Pool;
  let admin: WireUser;
  let session: string;
  let volumeId: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-tput-"));
    cli = await startCli(await freePort(), dataDir);
    pool = new Pool(cli.url, { connections: CONCURRENCY, pipelining: 1 });
    admin = seedCredentials("admin");
    session = await login(cli, admin);
    const send = (method: Method, uri: string, data: unknown, query?: string): Promise<Json> =>
      sendEvent(cli, admin, session, method, uri, { data, query }, { dispatcher: pool }).then((r) => {
        if (r.status !== 200) throw new Error(`${uri}: ${r.status} ${r.text}`);
        return r.json as Json;
      });
    let serverId: string | undefined;
    for (const uri of ["server/find", "client/find"]) {
      const r = await sendEvent(cli, admin, session, "GET", uri, { data: {} }, { dispatcher: pool });
      const res = (r.json as { result?: Json[] } | undefined)?.result;
      if (r.status === 200 && Array.isArray(res) && res.length > 0) {
        serverId = String(res[0].id);
        break;
      }
    }
    assert.ok(serverId, "a seed server id");
    const v = await send("POST", "volume/create", {
      name: "Bench",
      code: "bench",
      paths: { linux: "/bench", windows: "B:", mac: "/Volumes/bench" },
      server: serverId,
    });
    volumeId = String(list(v.result)[0].id);
  });
  after(async () => {
    await pool?.close();
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`volume/find by code sustains > ${MIN_EVENTS_PER_SECOND} events/s`, async () => {
    const s = await measure(
      async () =>
        (
          await sendEvent(
            cli,
            admin,
            session,
            "GET",
            "volume/find",
            { data: {}, query: "code=bench" },
            { dispatcher: pool },
          )
        ).status,
    );
    report("volume/find by code", s);
    assert.equal(s.errors, 0);
    assert.ok(s.perSecond > MIN_EVENTS_PER_SECOND, `${s.perSecond.toFixed(0)} events/s`);
  });

  it(`folder/create sustains > ${MIN_EVENTS_PER_SECOND} events/s`, async () => {
    const s = await measure(
      async (n) =>
        (
          await sendEvent(
            cli,
            admin,
            session,
            "POST",
            "folder/create",
            { data: { parent: volumeId, path: `bench/f${n}`, name: `Bench ${n}`, code: `benchf${n}` } },
            { dispatcher: pool },
          )
        ).status,
    );
    report("folder/create", s);
    assert.equal(s.errors, 0);
    assert.ok(s.perSecond > MIN_EVENTS_PER_SECOND, `${s.perSecond.toFixed(0)} events/s`);
  });
});

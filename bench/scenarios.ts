/**
 * The two single-run scenarios: `up` against accsyn-local's default rate limit with added latency
 * (its time against the floor the limit sets), and `up` under injected faults (it completes, makes
 * nothing twice, and leaves nothing to change).
 */
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../tests/helpers/pulumi";
import type { FaultRule } from "../tests/helpers/server";
import type { FaultRun, FaultsResult, ThrottledRun } from "./results";
import { type TestServer, counts, duplicates, mutating, startBenchServer } from "./server";
import { BENCH_SEED, type Decl } from "./workload";

const PROGRAM = path.join(REPO_ROOT, "tests", "fixtures", "workspace");
/** The service's published limit, accsyn-local's default. */
export const RATE_LIMIT = { perSecond: 30, burst: 60 };
export const LATENCY_MS = 20;

const log = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

async function newStack(name: string, server: TestServer, decls: Decl[]): Promise<PulumiStack> {
  const stack = new PulumiStack(PROGRAM, name);
  await initAccsynStack(stack, server, server.credentials("admin"), {
    "e2e:resources": JSON.stringify(decls),
  });
  return stack;
}

export async function throttledUp(decls: Decl[]): Promise<ThrottledRun> {
  const server = await startBenchServer(RATE_LIMIT);
  const stack = await newStack(`bench-throttled-${decls.length}`, server, decls);
  try {
    await server.setFaults([{ uri: "*", action: "latency", latencyMs: LATENCY_MS }]);
    await server.resetCounters();
    const started = process.hrtime.bigint();
    await stack.up();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const c = await counts(server);
    const writes = mutating(c.byUri);
    const run: ThrottledRun = {
      n: decls.length,
      seconds: Number(seconds.toFixed(2)),
      floorSeconds: Number((writes / RATE_LIMIT.perSecond).toFixed(2)),
      ratio: Number((seconds / (writes / RATE_LIMIT.perSecond)).toFixed(2)),
      responses429: c.throttled,
      apiCalls: c.total,
      mutatingCalls: writes,
      allCallsFloorSeconds: Number((c.total / RATE_LIMIT.perSecond).toFixed(2)),
      rateLimit: RATE_LIMIT,
      latencyMs: LATENCY_MS,
      apiCallsByUri: c.byUri,
    };
    log(
      `throttled N=${decls.length} up: ${seconds.toFixed(1)} s, floor ${run.floorSeconds} s, ${c.throttled} × 429`,
    );
    return run;
  } finally {
    await stack.removeStack();
    await server.close();
  }
}

/**
 * A fifth of all calls fail, in the four ways a network and a busy service fail (as in
 * tests/engine/plans-faults.test.ts): throttled, unavailable, reset before the event ran, or the
 * reply lost after it was committed. First match wins, so each probability is of the calls the
 * rules above it let through.
 */
export const FAULTS: FaultRule[] = [
  { uri: "*", action: "throttle", probability: 0.05, retryAfter: 0 },
  { uri: "*", action: "unavailable", probability: 0.05 / 0.95 },
  { uri: "*", action: "reset", probability: 0.05 / 0.9 },
  { uri: "*", action: "lost-reply", probability: 0.05 / 0.85 },
];
export const FAULT_RATE = 0.2;

/**
 * What a failed `up` said about why: its diagnostics (where the engine prints each resource's error),
 * else the end of its output; the progress lines before them say nothing.
 */
export function failureOf(message: string): string {
  const at = message.indexOf("Diagnostics:");
  const [command = ""] = message.split("\n", 1);
  const why = at >= 0 ? message.slice(at) : message.slice(-3000);
  return `${command}\n${why}`.slice(0, 4000);
}

async function faultRun(server: TestServer, decls: Decl[], i: number): Promise<FaultRun> {
  await server.reset(BENCH_SEED);
  const stack = await newStack(`bench-faults-${decls.length}-${i}`, server, decls);
  try {
    await server.setFaults(FAULTS);
    await server.resetCounters();
    const started = process.hrtime.bigint();
    const res = await stack.up().then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const c = await counts(server);
    await server.setFaults([]);
    const dupes = await duplicates(server);
    const preview = await stack.run(["preview", "--json", "--stack", stack.stack], { allowFailure: true });
    const summary =
      preview.code === 0
        ? (JSON.parse(preview.stdout) as { changeSummary?: Record<string, number> }).changeSummary
        : undefined;
    const driftAfter = summary
      ? Object.entries(summary)
          .filter(([op]) => op !== "same")
          .reduce((a, [, v]) => a + v, 0)
      : -1;
    const run: FaultRun = {
      seconds: Number(seconds.toFixed(2)),
      completed: res === undefined,
      ...(res === undefined ? {} : { error: failureOf(res) }),
      duplicates: Object.values(dupes).reduce((a, d) => a + d.length, 0),
      duplicatesByKind: dupes,
      driftAfter,
      apiCalls: c.total,
      replies429: c.throttled,
    };
    log(
      `faults N=${decls.length} run ${i + 1}: ${run.completed ? "completed" : "FAILED"} in ${seconds.toFixed(1)} s, ` +
        `${c.total} calls, duplicates ${run.duplicates}, driftAfter ${driftAfter}`,
    );
    return run;
  } finally {
    await server.setFaults([]);
    await stack.removeStack();
  }
}

export async function faultRuns(server: TestServer, decls: Decl[], runs: number): Promise<FaultsResult> {
  const out: FaultRun[] = [];
  for (let i = 0; i < runs; i++) out.push(await faultRun(server, decls, i));
  return {
    n: decls.length,
    faultRate: FAULT_RATE,
    completed: out.every((r) => r.completed),
    duplicates: out.reduce((a, r) => a + r.duplicates, 0),
    driftAfter: Math.max(...out.map((r) => r.driftAfter)),
    runs: out,
  };
}

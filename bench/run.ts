/**
 * `npm run bench`: the provider against a no-op baseline and the floor at N = 50, 200, 500 (each
 * operation A B C, then C B A in the second pass; medians),
 * the throttled run and the fault runs; writes bench/results/latest.json, the chart and
 * BENCHMARKS.md. Knobs (BENCH_N, BENCH_REPS, ...) are listed in BENCHMARKS.md.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { REPO_ROOT } from "../tests/helpers/pulumi";
import { type Pass, type Variant, runPasses } from "./measure";
import { writeReport } from "./report";
import {
  type BenchResults,
  type FaultsResult,
  type Machine,
  type StateRow,
  type ThrottledRun,
  scaleRows,
} from "./results";
import { faultRuns, throttledUp } from "./scenarios";
import { mutating, startBenchServer } from "./server";
import { type Decl, driftOf, mixOf, workload } from "./workload";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../scripts/pulumi-env.js") as { pulumiEnv(): NodeJS.ProcessEnv };

const VARIANTS: readonly Variant[] = ["provider", "baseline", "floor"];

export interface BenchOptions {
  ns: number[];
  reps: number;
  throttledN: number;
  faultN: number;
  faultRuns: number;
  /** The JSON; BENCHMARKS.md and the chart are written when `markdown` is set. */
  out: string;
  markdown?: string;
}

function intList(name: string, fallback: string): number[] {
  const raw = process.env[name] ?? fallback;
  const out = raw.split(",").map((s) => Number(s.trim()));
  if (out.some((x) => !Number.isInteger(x) || x < 0))
    throw new Error(`${name} must be whole numbers, not '${raw}'`);
  return out;
}

export function optionsFromEnv(): BenchOptions {
  const defaultOut = path.join(REPO_ROOT, "bench", "results", "latest.json");
  const out = path.resolve(process.env.BENCH_OUT ?? defaultOut);
  return {
    ns: intList("BENCH_N", "50,200,500"),
    reps: intList("BENCH_REPS", "2")[0],
    throttledN: intList("BENCH_THROTTLED_N", "500")[0],
    faultN: intList("BENCH_FAULT_N", "200")[0],
    faultRuns: intList("BENCH_FAULT_RUNS", "3")[0],
    out,
    ...(out === defaultOut ? { markdown: path.join(REPO_ROOT, "BENCHMARKS.md") } : {}),
  };
}

function machine(): Machine {
  let pulumi = "unknown";
  try {
    pulumi = execFileSync("pulumi", ["version"], { env: pulumiEnv(), encoding: "utf8" }).trim();
  } catch (e) {
    process.stderr.write(`[bench] pulumi version failed: ${String(e)}\n`);
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / (1 << 30)),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pulumi,
    loadAverageAtStart: os.loadavg(),
  };
}

/**
 * Mutating calls the goal allows for `up` and `destroy` of `decls`: one per entity, where a
 * Grant's entities are its ACLs (one per rule), a Collection's files go with its create, and a
 * Home is retained by destroy (its default deletion policy), so it costs none there.
 */
function expectedMutating(decls: Decl[]): { up: number; destroy: number } {
  const per = (d: Decl): number => (d.type === "Grant" ? (d.args.rules as unknown[]).length : 1);
  return {
    up: decls.reduce((a, d) => a + per(d), 0),
    destroy: decls.reduce((a, d) => a + (d.type === "Home" ? 0 : per(d)), 0),
  };
}

/**
 * Runs the scale passes, the fault runs and the throttled run, and rewrites the results after each
 * step, so a run stopped at a deadline leaves every finished figure (marked `complete: false`).
 * The largest N runs last: the scenarios come before it, being shorter.
 */
export async function runBench(opts: BenchOptions): Promise<BenchResults> {
  const started = Date.now();
  const m = machine();
  const passes: Pass[] = [];
  const expected: Record<string, number> = {};
  let faults: FaultsResult | undefined;
  let throttled: ThrottledRun | undefined;
  const errors: { step: string; message: string }[] = [];
  const results = (complete: boolean): BenchResults => {
    const ns = [...new Set(passes.map((p) => p.n))];
    const state: StateRow[] = ns.map((n) => {
      const of = (v: Pass["variant"]) => passes.find((p) => p.n === n && p.variant === v);
      return {
        n,
        stateBytes: of("provider")?.stateBytes ?? 0,
        baselineStateBytes: of("baseline")?.stateBytes ?? 0,
        floorStateBytes: of("floor")?.stateBytes ?? 0,
      };
    });
    const bytes = (v: Pass["variant"]) => passes.find((p) => p.variant === v)?.providerBytesPerResource ?? 0;
    const scale = scaleRows(passes, mutating);
    const free = scale.find((s) => s.n === throttled?.n && s.op === "up");
    return {
      generatedAt: new Date(started).toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      complete,
      errors,
      repetitions: opts.reps,
      mix: Object.fromEntries(opts.ns.map((n) => [String(n), mixOf(n)])),
      expectedMutating: expected,
      machine: m,
      scale,
      providerBytesPerResource: bytes("provider"),
      baselineProviderBytesPerResource: bytes("baseline"),
      floorProviderBytesPerResource: bytes("floor"),
      state,
      ...(throttled ? { throttled: { ...throttled, unthrottledSeconds: free?.seconds } } : {}),
      ...(faults ? { faults } : {}),
    };
  };
  // The JSON is written as the repo's Prettier config formats it, so `npm run lint` stays clean.
  const flush = async (complete = false): Promise<BenchResults> => {
    const r = results(complete);
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    const config = (await prettier.resolveConfig(opts.out)) ?? {};
    fs.writeFileSync(opts.out, await prettier.format(JSON.stringify(r), { ...config, filepath: opts.out }));
    if (opts.markdown && r.scale.length > 0) writeReport(r, opts.out, opts.markdown);
    return r;
  };

  // A step that fails is recorded with its message (JSON, BENCHMARKS.md, exit code) and the run goes
  // on: one refused plan at N = 500 should not cost the figures of the other steps.
  const step = async (name: string, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
      errors.push({ step: name, message });
      process.stderr.write(`[bench] ${name} FAILED: ${message}\n`);
    }
    await flush();
  };
  const server = await startBenchServer();
  const scalePasses = async (n: number): Promise<void> => {
    const decls = workload(n);
    const drift = driftOf(decls);
    const want = expectedMutating(decls);
    expected[`${n} up`] = want.up;
    expected[`${n} destroy`] = want.destroy;
    for (let rep = 0; rep < opts.reps; rep++)
      await step(`N = ${n}, pass ${rep + 1}`, async () => {
        // every other pass in the reverse order, so that no variant always runs first
        const order = rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        const done = await runPasses(order, decls, server, drift);
        const of = (v: Variant): Pass => done.find((p) => p.variant === v) as Pass;
        const [provider, base, floor] = VARIANTS.map(of) as [Pass, Pass, Pass];
        for (const p of [base, floor]) {
          const calls = p.ops.reduce((a, o) => a + o.apiCalls, 0);
          if (calls !== 0) throw new Error(`the ${p.variant} made ${calls} API calls; it must make none`);
        }
        passes.push(provider, base, floor);
      });
  };
  const ns = [...opts.ns].sort((a, b) => a - b);
  const largest = ns.length > 1 ? ns.pop() : undefined;
  try {
    for (const n of ns) await scalePasses(n);
    if (opts.faultN > 0)
      await step(`faults N = ${opts.faultN}`, async () => {
        faults = await faultRuns(server, workload(opts.faultN), opts.faultRuns);
      });
    if (opts.throttledN > 0)
      await step(`throttled N = ${opts.throttledN}`, async () => {
        throttled = await throttledUp(workload(opts.throttledN));
      });
    if (largest !== undefined) await scalePasses(largest);
  } finally {
    await server.close();
  }
  return await flush(true);
}

if (require.main === module) {
  runBench(optionsFromEnv()).then(
    (r) => {
      process.stderr.write(`[bench] done in ${r.durationSeconds} s, ${r.errors.length} failed step(s)\n`);
      if (r.errors.length > 0) process.exitCode = 1;
      for (const s of r.scale)
        process.stdout.write(
          `N=${s.n} ${s.op.padEnd(13)} ${s.seconds.toFixed(1).padStart(6)} s vs ${s.baselineSeconds.toFixed(1).padStart(6)} s  ${s.ratio}x  ${s.apiCalls} calls\n`,
        );
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

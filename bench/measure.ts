/**
 * One pass of the five operations over one workload, for the provider (the accsyn resources of
 * tests/fixtures/workspace against accsyn-local), the baseline and the floor (bench/programs/baseline:
 * the same resources with a provider that returns at once). Each variant gets a new stack on its own
 * file backend and, for the provider, a freshly seeded accsyn-local; the variants run interleaved.
 */
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../tests/helpers/pulumi";
import { type TestServer, applyDrift, counts } from "./server";
import type { Decl, DriftEdit } from "./workload";
import { BENCH_SEED } from "./workload";

export const OPS = ["up", "preview", "preview-drift", "refresh", "destroy"] as const;
export type Op = (typeof OPS)[number];
/**
 * `baseline`: no-op `dynamic.Resource`s (the SDK serializes their provider); `floor`: the same no-op
 * provider as a hand-written text like pulumi-accsyn's, so its state is as small.
 */
export type Variant = "provider" | "baseline" | "floor";

const PROGRAMS: Record<Variant, string> = {
  provider: path.join(REPO_ROOT, "tests", "fixtures", "workspace"),
  baseline: path.join(REPO_ROOT, "bench", "programs", "baseline"),
  floor: path.join(REPO_ROOT, "bench", "programs", "baseline"),
};
const ENV: Record<Variant, Record<string, string>> = {
  provider: {},
  baseline: {},
  floor: { BENCH_PROVIDER_TEXT: "minimal" },
};

export interface OpSample {
  op: Op;
  seconds: number;
  apiCalls: number;
  byUri: Record<string, number>;
  /** Resources the operation planned or made a change to (not `same`), from the engine's summary. */
  changes: number;
}

export interface Pass {
  variant: Variant;
  n: number;
  ops: OpSample[];
  /** `pulumi stack export` after `up`. */
  stateBytes: number;
  /** The mean length of the serialized provider (`__provider`) in a resource's inputs. */
  providerBytesPerResource: number;
}

interface ExportedState {
  deployment: {
    resources?: {
      type: string;
      inputs?: { __provider?: string };
      outputs?: { ids?: Record<string, string> };
    }[];
  };
}

/** Sizes from `pulumi stack export`, and the program's `ids` output (saves a `stack output` run). */
function stateFigures(text: string): {
  stateBytes: number;
  providerBytesPerResource: number;
  ids: Record<string, string>;
} {
  const state = JSON.parse(text) as ExportedState;
  const stackResource = state.deployment.resources?.find((r) => r.type === "pulumi:pulumi:Stack");
  const sizes = (state.deployment.resources ?? [])
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"))
    .map((r) => Buffer.byteLength(r.inputs?.__provider ?? "", "utf8"));
  const mean = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0;
  return {
    stateBytes: Buffer.byteLength(text, "utf8"),
    providerBytesPerResource: Math.round(mean),
    ids: stackResource?.outputs?.ids ?? {},
  };
}

/** `preview --json`'s change summary as the number of resources not `same`. */
function changesIn(json: string): number {
  const summary = (JSON.parse(json) as { changeSummary?: Record<string, number> }).changeSummary ?? {};
  return Object.entries(summary)
    .filter(([op]) => op !== "same")
    .reduce((a, [, v]) => a + v, 0);
}

/**
 * The `Resources:` summary of a non-JSON run (`N created`, `N deleted`, ...), summed, less the
 * stack resource itself, which the engine counts when the first `up` creates it and `destroy`
 * deletes it.
 */
function changesInText(stdout: string, stackItself: 0 | 1): number {
  let total = 0;
  for (const m of stdout.matchAll(/^\s*[+~-]?\s*(\d+) (?:created|updated|deleted|replaced)/gm))
    total += Number(m[1]);
  return total - stackItself;
}

const log = (msg: string): void => {
  process.stderr.write(`[bench] ${msg}\n`);
};

/** The five operations of one variant on its own stack, run one at a time by {@link runPasses}. */
class PassRun {
  readonly n: number;
  readonly ops: OpSample[] = [];
  readonly stack: PulumiStack;
  private figures: { stateBytes: number; providerBytesPerResource: number } | undefined;
  private ids: Record<string, string> = {};

  constructor(
    readonly variant: Variant,
    private readonly decls: Decl[],
    private readonly server: TestServer,
    private readonly drift: DriftEdit[],
  ) {
    this.n = decls.length;
    this.stack = new PulumiStack(PROGRAMS[variant], `bench-${variant}-${this.n}`, { env: ENV[variant] });
  }

  async init(): Promise<void> {
    if (this.variant === "provider") await this.server.reset(BENCH_SEED);
    await initAccsynStack(this.stack, this.server, this.server.credentials("admin"), {
      "e2e:resources": JSON.stringify(this.decls),
    });
  }

  /**
   * One operation, timed and counted. Throws when it plans something the scenario does not expect (a
   * preview after up that is not empty, a drift preview that misses an edit): a figure from a wrong
   * plan would measure something else.
   */
  async run(op: Op): Promise<void> {
    const { variant, n, stack, server } = this;
    const preview = async (env: Record<string, string> = {}): Promise<number> =>
      changesIn((await stack.run(["preview", "--json", "--stack", stack.stack], { env })).stdout);
    // the baseline and floor are told which resources drifted: their diff plans, and their read
    // returns, the same changes as the provider finds
    const driftEnv: Record<string, string> =
      variant === "provider" ? {} : { BENCH_DRIFTED: this.drift.map((d) => d.name).join(",") };
    // the drift is made before the clock starts: only the preview that finds it is timed
    if (op === "preview-drift" && variant === "provider") await applyDrift(server, this.drift, this.ids);
    const steps: Record<Op, () => Promise<number>> = {
      up: async () => changesInText((await stack.up()).stdout, 1),
      preview: async () => {
        const changes = await preview();
        if (changes !== 0) throw new Error(`${variant}: the preview after up plans ${changes} changes`);
        return changes;
      },
      "preview-drift": async () => {
        const changes = await preview(driftEnv);
        if (changes !== this.drift.length)
          throw new Error(
            `${variant}: the drift preview plans ${changes} changes for ${this.drift.length} edits`,
          );
        return changes;
      },
      refresh: async () => {
        const changes = changesInText((await stack.refresh({ env: driftEnv })).stdout, 0);
        if (changes !== this.drift.length)
          throw new Error(
            `${variant}: the refresh records ${changes} changes for ${this.drift.length} edits`,
          );
        return changes;
      },
      destroy: async () => changesInText((await stack.destroy()).stdout, 1),
    };
    await server.resetCounters();
    const started = process.hrtime.bigint();
    const changes = await steps[op]();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const c = await counts(server);
    this.ops.push({ op, seconds, apiCalls: c.total, byUri: c.byUri, changes });
    log(`${variant} N=${n} ${op}: ${seconds.toFixed(1)} s, ${c.total} API calls, ${changes} changes`);
    if (op === "up") {
      const { ids, ...figures } = stateFigures(await stack.exportState());
      this.ids = ids;
      this.figures = figures;
    }
  }

  result(): Pass {
    if (this.figures === undefined) throw new Error(`${this.variant}: no state figures (up did not run)`);
    return { variant: this.variant, n: this.n, ops: this.ops, ...this.figures };
  }
}

/**
 * up, preview, drift then preview, refresh, destroy, for each variant on its own stack, interleaved
 * operation by operation in the order given (A B C for up, then A B C for preview...): the samples
 * compared are seconds apart, so a drift in the machine's speed falls on every variant alike. The
 * baseline and floor make no API calls, so the provider's counters are theirs alone.
 */
export async function runPasses(
  variants: readonly Variant[],
  decls: Decl[],
  server: TestServer,
  drift: DriftEdit[],
): Promise<Pass[]> {
  const runs = variants.map((v) => new PassRun(v, decls, server, drift));
  try {
    for (const r of runs) await r.init();
    for (const op of OPS) for (const r of runs) await r.run(op);
    return runs.map((r) => r.result());
  } finally {
    for (const r of runs) await r.stack.removeStack();
  }
}

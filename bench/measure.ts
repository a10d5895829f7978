/**
 * One pass of the five operations over one workload, for the provider (the accsyn resources of
 * tests/fixtures/workspace against accsyn-local) or the baseline (bench/programs/baseline: the same
 * resources with a provider that returns at once). Each pass gets a new stack on its own file
 * backend and, for the provider, a freshly seeded accsyn-local.
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

/**
 * up, preview, drift then preview, refresh, destroy. Throws when an operation plans something the
 * scenario does not expect (a preview after up that is not empty, a drift preview that misses an
 * edit): a figure from a wrong plan would measure something else.
 */
export async function runPass(
  variant: Variant,
  decls: Decl[],
  server: TestServer,
  drift: DriftEdit[],
): Promise<Pass> {
  const n = decls.length;
  const stack = new PulumiStack(PROGRAMS[variant], `bench-${variant}-${n}`, { env: ENV[variant] });
  const ops: OpSample[] = [];
  try {
    if (variant === "provider") await server.reset(BENCH_SEED);
    await initAccsynStack(stack, server, server.credentials("admin"), {
      "e2e:resources": JSON.stringify(decls),
    });
    const timed = async (op: Op, run: () => Promise<number>): Promise<void> => {
      await server.resetCounters();
      const started = process.hrtime.bigint();
      const changes = await run();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const c = await counts(server);
      ops.push({ op, seconds, apiCalls: c.total, byUri: c.byUri, changes });
      log(`${variant} N=${n} ${op}: ${seconds.toFixed(1)} s, ${c.total} API calls, ${changes} changes`);
    };
    const preview = async (env: Record<string, string> = {}): Promise<number> =>
      changesIn((await stack.run(["preview", "--json", "--stack", stack.stack], { env })).stdout);

    await timed("up", async () => changesInText((await stack.up()).stdout, 1));
    const { ids, ...figures } = stateFigures(await stack.exportState());
    await timed("preview", async () => {
      const changes = await preview();
      if (changes !== 0) throw new Error(`${variant}: the preview after up plans ${changes} changes`);
      return changes;
    });
    const drifted = drift.map((d) => d.name);
    if (variant === "provider") await applyDrift(server, drift, ids);
    await timed("preview-drift", async () => {
      const changes = await preview(variant === "provider" ? {} : { BENCH_DRIFTED: drifted.join(",") });
      if (changes !== drift.length)
        throw new Error(`${variant}: the drift preview plans ${changes} changes for ${drift.length} edits`);
      return changes;
    });
    await timed("refresh", async () => changesInText((await stack.refresh()).stdout, 0));
    await timed("destroy", async () => changesInText((await stack.destroy()).stdout, 1));
    return { variant, n, ops, ...figures };
  } finally {
    await stack.removeStack();
  }
}

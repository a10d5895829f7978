/** The shape of bench/results/latest.json, and how passes become its medians. */
import type { Op, Pass } from "./measure";

export interface ScaleRow {
  n: number;
  op: Op;
  /** Median wall time of the provider's passes. */
  seconds: number;
  /** Median wall time of the baseline's passes. */
  baselineSeconds: number;
  ratio: number;
  /** Median wall time of the floor's passes (the no-op with a state as small as the provider's). */
  floorSeconds: number;
  /** seconds / floorSeconds. */
  floorRatio: number;
  /** Median API calls of the provider's passes (the baseline makes none; checked). */
  apiCalls: number;
  /** API calls by envelope uri of the provider's pass with the median count. */
  apiCallsByUri: Record<string, number>;
  /** Mutating calls (not GET, not login) of that pass. */
  mutatingCalls: number;
  /** Resources the operation changed or planned to change. */
  changes: number;
  samples: { seconds: number[]; baselineSeconds: number[]; floorSeconds: number[]; apiCalls: number[] };
}

export interface StateRow {
  n: number;
  stateBytes: number;
  baselineStateBytes: number;
  floorStateBytes: number;
}

export interface ThrottledRun {
  n: number;
  seconds: number;
  /** Mutating calls / 30 per second: the least time the service's rate limit allows. */
  floorSeconds: number;
  ratio: number;
  responses429: number;
  apiCalls: number;
  mutatingCalls: number;
  /** All calls / 30: the floor for the calls the provider made, lookups included. */
  allCallsFloorSeconds: number;
  rateLimit: { perSecond: number; burst: number };
  latencyMs: number;
  /** The median unthrottled `up` of the same N from the scale runs, when one ran. */
  unthrottledSeconds?: number;
  apiCallsByUri: Record<string, number>;
}

export interface FaultRun {
  seconds: number;
  completed: boolean;
  error?: string;
  duplicates: number;
  duplicatesByKind: Record<string, string[]>;
  driftAfter: number;
  apiCalls: number;
  /** The injected throttles as replied (the other faults leave no reply to count). */
  replies429: number;
}

export interface FaultsResult {
  n: number;
  faultRate: number;
  /** Every run completed in one `up`. */
  completed: boolean;
  /** Summed over the runs. */
  duplicates: number;
  /** The largest over the runs. */
  driftAfter: number;
  runs: FaultRun[];
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  pulumi: string;
  loadAverageAtStart: number[];
}

export interface BenchResults {
  generatedAt: string;
  durationSeconds: number;
  /** False while the run is going, or when it was stopped: the figures so far. */
  complete: boolean;
  /** Steps that failed (the run went on without their figures). */
  errors: { step: string; message: string }[];
  repetitions: number;
  mix: Record<string, Record<string, number>>;
  /**
   * Mutating calls the goal allows, by "N op": one per entity created (a Grant's ACLs one per rule;
   * a Collection's files go with its create) or removed (Homes are retained by default: none).
   */
  expectedMutating: Record<string, number>;
  machine: Machine;
  scale: ScaleRow[];
  providerBytesPerResource: number;
  baselineProviderBytesPerResource: number;
  floorProviderBytesPerResource: number;
  state: StateRow[];
  throttled?: ThrottledRun;
  faults?: FaultsResult;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** The medians of each (N, operation) over the provider's, the baseline's and the floor's passes. */
export function scaleRows(passes: Pass[], mutating: (byUri: Record<string, number>) => number): ScaleRow[] {
  const rows: ScaleRow[] = [];
  const ns = [...new Set(passes.map((p) => p.n))].sort((a, b) => a - b);
  for (const n of ns) {
    const of = (v: Pass["variant"]) => passes.filter((p) => p.n === n && p.variant === v);
    const provider = of("provider");
    const baseline = of("baseline");
    const floor = of("floor");
    for (const { op } of provider[0]?.ops ?? []) {
      const ps = provider.map((p) => p.ops.find((o) => o.op === op)).filter((o) => o !== undefined);
      const bs = baseline.map((p) => p.ops.find((o) => o.op === op)).filter((o) => o !== undefined);
      const fs = floor.map((p) => p.ops.find((o) => o.op === op)).filter((o) => o !== undefined);
      const calls = ps.map((o) => o.apiCalls);
      const mid = ps.find((o) => o.apiCalls === median(calls)) ?? ps[0];
      const seconds = median(ps.map((o) => o.seconds));
      const baselineSeconds = median(bs.map((o) => o.seconds));
      const floorSeconds = fs.length ? median(fs.map((o) => o.seconds)) : 0;
      rows.push({
        n,
        op,
        seconds: round(seconds, 2),
        baselineSeconds: round(baselineSeconds, 2),
        ratio: round(seconds / baselineSeconds, 2),
        floorSeconds: round(floorSeconds, 2),
        floorRatio: floorSeconds > 0 ? round(seconds / floorSeconds, 2) : 0,
        apiCalls: median(calls),
        apiCallsByUri: mid.byUri,
        mutatingCalls: mutating(mid.byUri),
        changes: mid.changes,
        samples: {
          seconds: ps.map((o) => round(o.seconds, 2)),
          baselineSeconds: bs.map((o) => round(o.seconds, 2)),
          floorSeconds: fs.map((o) => round(o.seconds, 2)),
          apiCalls: calls,
        },
      });
    }
  }
  return rows;
}

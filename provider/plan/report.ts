import { type AccessReview, reviewAccess } from "./access";
import { type Drift, driftOf } from "./drift";
import { type Operation, type Plan, buildPlan } from "./model";
import type { Preview } from "./preview";
import { type Risk, risksOf } from "./risks";
import type { UnmanagedAccess } from "./unmanaged";

/** Everything a review shows, as data (`accsyn-plan --json` prints it). */
export interface Report {
  stack: string;
  refreshed: boolean;
  counts: Record<Operation, number>;
  risks: Risk[];
  access: AccessReview;
  drift: Drift[];
  /** ACLs on the stack's shares that no Grant declares (filled by the drift check, which reads them). */
  unmanaged: UnmanagedAccess[];
  plan: Plan;
}

export function reportOf(preview: Preview): Report {
  const plan = buildPlan(preview);
  const counts: Record<Operation, number> = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  for (const r of plan.resources) counts[r.op]++;
  return {
    stack: plan.stack,
    refreshed: plan.refreshed,
    counts,
    risks: risksOf(plan),
    access: reviewAccess(plan),
    drift: driftOf(plan),
    unmanaged: [],
    plan,
  };
}

/** The gates `--fail-on` accepts, each with the test that trips it. */
export const GATES = {
  delete: (r: Report) => r.counts.delete > 0,
  replace: (r: Report) => r.counts.replace > 0,
  "access-widen": (r: Report) =>
    r.access.invited.length > 0 ||
    r.access.changes.some((c) => ["gained", "widened", "changed"].includes(c.verdict)),
  access: (r: Report) => r.access.changes.length > 0 || r.access.invited.length > 0,
  drift: (r: Report) => r.drift.length > 0 || r.unmanaged.length > 0,
  change: (r: Report) => r.counts.create + r.counts.update + r.counts.replace + r.counts.delete > 0,
} as const satisfies Record<string, (r: Report) => boolean>;

export type Gate = keyof typeof GATES;

export function isGate(s: string): s is Gate {
  return Object.prototype.hasOwnProperty.call(GATES, s);
}

/** The gates the report trips, in the order given. */
export function tripped(report: Report, gates: readonly Gate[]): Gate[] {
  return gates.filter((g) => GATES[g](report));
}

/** The report as plain data: the kinds' definitions (functions, schemas) reduced to their names. */
export function reportJson(report: Report): unknown {
  const { plan, ...rest } = report;
  return {
    ...rest,
    resources: plan.resources.map(({ kind: _kind, fields, ...r }) => ({
      ...r,
      fields: fields.map(({ meta, ...f }) => ({ ...f, change: meta?.change })),
    })),
  };
}

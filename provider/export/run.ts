/** One export from a client: read the workspace, decide the program, time it. */
import type { AccsynClient } from "../client";
import { type PlanOptions, planExport } from "./build";
import type { ExportPlan } from "./model";
import { readSnapshot } from "./snapshot";

export interface ExportRun {
  readonly plan: ExportPlan;
  /** Entities read (shares, users, servers, ACLs, collection files). */
  readonly entitiesRead: number;
  /** Requests sent to accsyn, login included. */
  readonly requests: number;
  readonly ms: number;
}

/** Progress lines: one each time the entities read pass another multiple of `every`. */
export function progressEvery(
  every: number,
  write: (line: string) => void,
): (n: number, what: string) => void {
  let reported = 0;
  return (n, what) => {
    const step = Math.floor(n / every);
    if (step <= reported) return;
    reported = step;
    write(`read ${n} entities (${what})`);
  };
}

export async function runExport(
  client: AccsynClient,
  opts: PlanOptions = {},
  progress: (n: number, what: string) => void = () => {},
  warn: (line: string) => void = () => {},
): Promise<ExportRun> {
  const start = performance.now();
  const before = client.stats().requests;
  let entitiesRead = 0;
  const snap = await readSnapshot(client, {
    progress: (n, what) => {
      entitiesRead = n;
      progress(n, what);
    },
    warn,
  });
  const plan = planExport(snap, opts);
  return {
    plan,
    entitiesRead,
    requests: client.stats().requests - before,
    ms: performance.now() - start,
  };
}

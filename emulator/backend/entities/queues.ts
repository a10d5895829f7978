/**
 * Job queues (job type 2 on the service). accsyn-local seeds the three the
 * official suite looks for (`Queue WHERE name='medium'`) and lets them be read;
 * a job runs in the queue it names, else the queue of a share it involves (seed
 * 000: "the queue (ID or code) to put jobs in, when involving this share"), else
 * the default queue. Queues cannot be created or edited through accsyn-local.
 */
import { NotFoundError } from "../../errors";
import type { Store } from "../../store";
import { ID_RE, newId } from "../../util";
import type { Ctx } from "../core/context";
import type { FindFlags } from "../core/find";
import { findSeeded } from "./directory";
import type { ShareDoc, Stamped } from "../core/model";

export interface QueueDoc extends Stamped {
  code: string;
  name: string;
  type: "queue";
  priority: number;
  default: boolean;
  status: "enabled" | "disabled";
}

const SEEDED: readonly [string, number][] = [
  ["high", 1000],
  ["medium", 500],
  ["low", 100],
];

export function seedQueues(store: Store, now: string): void {
  for (const [code, priority] of SEEDED)
    store.put("queue", {
      id: newId(),
      code,
      name: code,
      type: "queue",
      priority,
      default: code === "medium",
      status: "enabled",
      created: now,
      creator: "system",
      modified: now,
      modifier: "system",
    } satisfies QueueDoc);
}

/** The queue named by id or code (case-insensitive), if any. */
export function queueByRef(store: Store, ref: unknown): QueueDoc | undefined {
  if (typeof ref !== "string" || !ref.trim()) return undefined;
  const r = ref.trim().toLowerCase();
  if (ID_RE.test(r)) {
    const q = store.get<QueueDoc>("queue", r);
    if (q) return q;
  }
  return store.list<QueueDoc>("queue").find((q) => q.code.toLowerCase() === r);
}

/** A queue given on job create must exist (404 naming it). */
export function requireQueue(store: Store, ref: string, what: string): QueueDoc {
  const q = queueByRef(store, ref);
  if (!q) throw new NotFoundError(`${what}: no queue '${ref}' (queue/find lists them)`);
  return q;
}

/** The queue a new job runs in: its own, else the first share's that names a queue, else the default. */
export function queueForJob(
  store: Store,
  own: string | undefined,
  shareIds: string[],
  what: string,
): string | undefined {
  if (own) return requireQueue(store, own, what).id;
  for (const id of shareIds) {
    const q = queueByRef(store, store.get<ShareDoc>("share", id)?.queue);
    if (q) return q.id;
  }
  return store.list<QueueDoc>("queue").find((q) => q.default)?.id;
}

/** Admins and employees read queues; standard users have no use for them. */
export function findQueues(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  return findSeeded(ctx, "queue", query, flags, id);
}

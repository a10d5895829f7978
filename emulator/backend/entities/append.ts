/**
 * `append: true` on job create (the official suite's test_append_to_upload):
 * the new files join the caller's latest job between the same two sides (the
 * same machine or user, the same shares), finished or not, instead of making a
 * new job; a finished job goes back to `waiting`. Without such a job, create
 * goes on as usual.
 */
import { type Ctx, stamp } from "../core/context";
import { JOB_FINISHED, type JobDoc, type TaskDoc } from "../core/model";
import { newTask, setJobStatus } from "./job-common";
import { type Party, destinationFor } from "./parties";

function target(ctx: Ctx, sources: Party[], dest: Party, shareIds: string[]): JobDoc | undefined {
  return ctx.store
    .list<JobDoc>("job")
    .filter(
      (j) =>
        !j._deleted &&
        j.user === ctx.actor.id &&
        j.source === sources[0].party &&
        j.destination === dest.party &&
        shareIds.every((id) => j._shares.includes(id)),
    )
    .sort((a, b) => b._seq - a._seq)[0];
}

/** The job the sources were appended to, or undefined when there is none to append to. */
export function appendToJob(ctx: Ctx, sources: Party[], dest: Party, shareIds: string[]): JobDoc | undefined {
  const j = target(ctx, sources, dest, shareIds);
  if (!j) return undefined;
  const existing = ctx.store.list<TaskDoc>("task").filter((t) => t.job === j.id);
  for (const s of sources) {
    const dst = { ...dest.task, path: destinationFor(dest, s.task.path || s.path) };
    const dup = existing.find((t) => t.source.path === s.task.path && t.destination.path === dst.path);
    if (dup) {
      // The same file again is retried, as task/create does by default.
      dup.status = "queued";
      dup.finished = null;
      ctx.store.put("task", dup);
      continue;
    }
    const t = newTask(j, s.task, dst, ctx.now);
    existing.push(t);
    ctx.store.put("task", t);
  }
  if (JOB_FINISHED.includes(j.status)) setJobStatus(ctx.store, j, "waiting", ctx.now);
  ctx.store.put("job", stamp(ctx, j));
  return j;
}

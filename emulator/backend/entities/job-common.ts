/** What transfers and their tasks share: the caller's own job, new tasks, and status changes (done finishes tasks). */
import { BadRequestError, NotFoundError } from "../../errors";
import type { Store } from "../../store";
import { newUuid } from "../../util";
import { type Ctx, isAdmin, stamp } from "../core/context";
import { JOB_FINISHED, type JobDoc, type TaskDoc, type TaskParty } from "../core/model";

/** A live job the caller may change: admins any, others their own. */
export function ownJob(ctx: Ctx, id: unknown): JobDoc {
  if (typeof id !== "string" || !id) throw new BadRequestError(`${ctx.op}: 'id' (the job id) is required`);
  const j = ctx.store.get<JobDoc>("job", id.toLowerCase());
  // Another user's job answers like an unknown id: ids cannot be probed.
  if (!j || j._deleted || (!isAdmin(ctx) && j.user !== ctx.actor.id))
    throw new NotFoundError(`No transfer with id '${id}'`);
  return j;
}

/** A new queued task; its uri is the job's next sequence number. */
export function newTask(job: JobDoc, src: TaskParty, dst: TaskParty, now: string): TaskDoc {
  const uri = String(job._taskSeq++);
  return {
    id: newUuid(),
    job: job.id,
    uri,
    status: "queued",
    priority: job.priority,
    size: 0,
    time: 0,
    created: now,
    finished: null,
    metadata: {},
    source: src,
    destination: dst,
  };
}

/** Done and aborted set `finished` (done also finishes every task not excluded); other statuses clear it. */
export function setJobStatus(store: Store, j: JobDoc, status: string, now: string): void {
  j.status = status;
  if (JOB_FINISHED.includes(status)) {
    j.finished = now;
    if (status === "done") {
      j.progress = 100;
      for (const t of store.list<TaskDoc>("task").filter((x) => x.job === j.id && x.status !== "excluded")) {
        t.status = "done";
        t.finished = now;
        store.put("task", t);
      }
    }
  } else j.finished = null;
}

export function abortJobs(ctx: Ctx, jobs: JobDoc[]): void {
  for (const j of jobs) {
    j.status = "aborted";
    j.finished = ctx.now;
    ctx.store.put("job", stamp(ctx, j));
  }
}

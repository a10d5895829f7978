/**
 * Transfer jobs (seed 001). Jobs do not progress by themselves: their status
 * changes through `transfer/edit` or the control plane's
 * `POST /_accsyn-local/jobs/<id>/advance` (init → waiting → running → done).
 */
import { BadRequestError, NotFoundError } from "../../errors";
import type { Store } from "../../store";
import { newId, nowStamp } from "../../util";
import { type Ctx, isAdmin, publicView, stamp } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { JOB_FINISHED, type JobDoc, type UserDoc } from "../core/model";
import { optObject, optString } from "../core/validate";
import { jobView, partyAliases } from "../core/views";
import { TRANSFER, checkInput } from "../fields";
import { appendToJob } from "./append";
import { requireOnlineApp } from "./apps";
import { deliveryUpload } from "./delivery-uploads";
import { newTask, ownJob, setJobStatus } from "./job-common";
import { type Party, basename, destinationFor, parseParty } from "./parties";
import { queueForJob } from "./queues";

/** A side on the caller's own machine (an absolute path), which needs the caller's desktop app. */
const onCallersMachine = (ctx: Ctx, p: Party): boolean =>
  p.party === `user:${ctx.actor.id}` && !p.task.client && !!p.task.path;

const JOB_WRITABLE = ["waiting", "paused", "aborted", "done"];
const JOB_CREATE_STATUSES = ["init", "waiting", "paused"];

function nextSeq(store: Store): number {
  const n = Number(store.getMeta("jobseq") ?? "0") + 1;
  store.setMeta("jobseq", String(n));
  return n;
}

export function createJob(ctx: Ctx, raw: unknown): Record<string, unknown>[] {
  const what = ctx.op;
  const d = checkInput(TRANSFER, "create", raw, what);
  if (d.type !== undefined && d.type !== null && d.type !== "transfer" && d.type !== 1)
    throw new BadRequestError(`${what}: only transfer jobs are emulated`);
  const sourcesRaw = Array.isArray(d.source) ? d.source : [d.source];
  if (sourcesRaw.length === 0)
    throw new BadRequestError(
      `${what}: 'source' is required (a path on accsyn notation or an absolute path)`,
    );
  const upload = d.parent !== undefined && d.parent !== null ? deliveryUpload(ctx, d.parent) : undefined;
  const destRaw = d.destination ?? upload?.destination;
  if (destRaw === undefined || destRaw === null)
    throw new BadRequestError(
      `${what}: give a 'destination' (only an upload to a delivery, 'parent', has a default one)`,
    );
  const sources = sourcesRaw.map((s) => parseParty(ctx, s, `${what}: source`, "read"));
  const dest = parseParty(ctx, destRaw, `${what}: destination`, "write");
  if (sources.some((s) => s.party !== sources[0].party))
    throw new BadRequestError(
      `${what}: all sources must be on the same side (all shares or all local paths)`,
    );
  if (!sources[0].shareId && !dest.shareId)
    throw new BadRequestError(`${what}: the source or the destination must be on a share (accsyn notation)`);
  const status = optString(d, "status", what) ?? "init";
  if (!JOB_CREATE_STATUSES.includes(status))
    throw new BadRequestError(
      `${what}: a new transfer's status must be one of ${JOB_CREATE_STATUSES.join(", ")}`,
    );
  if ([...sources, dest].some((p) => onCallersMachine(ctx, p))) requireOnlineApp(ctx, what);
  const shareIds = [
    ...new Set([...sources.map((s) => s.shareId), dest.shareId].filter((x): x is string => !!x)),
  ];
  if (d.append === true) {
    const appended = appendToJob(ctx, sources, dest, shareIds);
    if (appended) return [jobView(ctx, appended)];
  }
  const queue = queueForJob(ctx.store, optString(d, "queue", what), shareIds, what);
  const priority = (d.priority as number | null | undefined) ?? 1;
  const name =
    optString(d, "name", what)?.trim() || basename(sources[0].task.path || sources[0].path) || "transfer";
  const job: JobDoc = {
    id: newId(),
    type: "transfer",
    code: name,
    name,
    status,
    source: sources[0].party,
    destination: dest.party,
    source_path: sources.map((s) => s.path).join(","),
    destination_path: dest.path,
    progress: 0,
    size: 0,
    speed: -1.0,
    etr: "",
    finished: null,
    metadata: optObject(d, "metadata", what) ?? {},
    priority,
    user: ctx.actor.id,
    parent: upload?.delivery.id ?? null,
    _shares: shareIds,
    ...(queue ? { queue } : {}),
    _seq: nextSeq(ctx.store),
    _taskSeq: 0,
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  const tasks = sources.map((s) => {
    const dst = { ...dest.task, path: destinationFor(dest, s.task.path || s.path) };
    return newTask(job, s.task, dst, ctx.now);
  });
  ctx.store.put("job", job);
  for (const t of tasks) ctx.store.put("task", t);
  return [jobView(ctx, job)];
}

export function findJobs(ctx: Ctx, query: unknown, flags: FindFlags, id?: string): Record<string, unknown>[] {
  const node = compileQuery(query);
  const views = ctx.store
    .list<JobDoc>("job")
    .filter((j) => {
      if (id) return j.id === id.toLowerCase();
      if (j._deleted) return flags.archived;
      if (JOB_FINISHED.includes(j.status)) return flags.finished || flags.archived;
      return true;
    })
    .filter((j) => isAdmin(ctx) || j.user === ctx.actor.id)
    .map((j) => ({ j, v: jobView(ctx, j) }))
    .filter(({ j, v }) =>
      matches(node, v, {
        user: [ctx.store.get<UserDoc>("user", j.user)?.code],
        source: partyAliases(ctx, j.source),
        destination: partyAliases(ctx, j.destination),
      }),
    )
    .map(({ v }) => v);
  return finish(views, flags);
}

export function editJob(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown>[] {
  const j = ownJob(ctx, id);
  const d = checkInput(TRANSFER, "update", raw, ctx.op);
  if (d.name !== undefined) {
    const n = optString(d, "name", ctx.op)?.trim();
    if (!n) throw new BadRequestError(`${ctx.op}: 'name' must be a non-empty string`);
    j.name = n;
    j.code = n;
  }
  if (d.metadata !== undefined) j.metadata = optObject(d, "metadata", ctx.op) ?? {};
  if (d.priority !== undefined) {
    if (typeof d.priority !== "number") throw new BadRequestError(`${ctx.op}: 'priority' must be an integer`);
    j.priority = d.priority;
  }
  if (d.status !== undefined) {
    if (typeof d.status !== "string" || !JOB_WRITABLE.includes(d.status))
      throw new BadRequestError(
        `${ctx.op}: status '${String(d.status)}' is not writable; writable statuses are ${JOB_WRITABLE.join(", ")}`,
      );
    setJobStatus(ctx.store, j, d.status, ctx.now);
  }
  ctx.store.put("job", stamp(ctx, j));
  return [jobView(ctx, j)];
}

export function deleteJob(ctx: Ctx, id: unknown): boolean {
  const j = ownJob(ctx, id);
  if (!JOB_FINISHED.includes(j.status)) {
    j.status = "aborted";
    j.finished = ctx.now;
  }
  j._deleted = true;
  ctx.store.put("job", stamp(ctx, j));
  return true;
}

/** Control plane: move a job one step along init → waiting → running → done, or to a given status. */
export function advanceJob(store: Store, id: string, body: Record<string, unknown>): Record<string, unknown> {
  const j = store.get<JobDoc>("job", id.toLowerCase());
  if (!j || j._deleted) throw new NotFoundError(`No transfer with id '${id}'`);
  const order = ["init", "waiting", "running", "done"];
  const status =
    typeof body.status === "string" ? body.status : (order[order.indexOf(j.status) + 1] ?? j.status);
  const all = ["init", "waiting", "running", "paused", "failed", "aborted", "done"];
  if (!all.includes(status)) throw new BadRequestError(`Unknown job status '${status}'`);
  const now = nowStamp();
  setJobStatus(store, j, status, now);
  if (typeof body.progress === "number") j.progress = Math.max(0, Math.min(100, Math.round(body.progress)));
  else if (status === "running" && j.progress === 0) j.progress = 50;
  j.modified = now;
  store.put("job", j);
  return publicView(j);
}

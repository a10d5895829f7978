/** Tasks of a transfer (seed 001): added as paths or {source, destination}, edited in groups, never deleted. */
import { BadRequestError, ConflictError, NotFoundError, forbidden } from "../../errors";
import { type Ctx, isAdmin, stamp } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { JOB_FINISHED, type JobDoc, type TaskDoc, type TaskParty } from "../core/model";
import { isHomePath, isNotation } from "../core/notation";
import { checkPathText, isAbsolutePath, optBool, optObject } from "../core/validate";
import { taskView } from "../core/views";
import { TASK, checkInput } from "../fields";
import { requireOnlineApp } from "./apps";
import { newTask, ownJob, setJobStatus } from "./job-common";
import { basename, checkSharePart, jobSharePath, joinPath } from "./parties";

const TASK_WRITABLE = ["queued", "failed", "onhold", "excluded", "done"];

/** One element of `tasks`: a path mirrored to the job's destination, or a {source, destination} object. */
function taskPaths(ctx: Ctx, j: JobDoc, item: unknown): { src: string; dst: string } {
  if (typeof item === "string") {
    if (!j.destination_path)
      throw new BadRequestError(`${ctx.op}: tasks without a destination need a job that mirrors paths`);
    if (!item.trim()) throw new BadRequestError(`${ctx.op}: a task needs a 'source' path`);
    checkPathText(item, ctx.op);
    return { src: item, dst: joinPath(j.destination_path, basename(item)) };
  }
  if (item === null || typeof item !== "object" || Array.isArray(item))
    throw new BadRequestError(`${ctx.op}: each task must be a path or a {source, destination} object`);
  const o = checkInput(TASK, "create", item, `${ctx.op} task`, { within: "tasks" });
  if (typeof o.source !== "string" || !o.source.trim())
    throw new BadRequestError(`${ctx.op}: a task needs a 'source' path`);
  if (typeof o.destination !== "string" || !o.destination)
    throw new BadRequestError(`${ctx.op}: a task needs a 'destination' path`);
  return { src: checkPathText(o.source, ctx.op), dst: checkPathText(o.destination, ctx.op) };
}

/**
 * A task side written on accsyn notation or `~` names its own share (the job
 * then uses it too); any other path stays on the job's side, as written. A
 * destination at a share's root or ending with `/` is a directory the source goes into.
 */
function sharePart(
  ctx: Ctx,
  j: JobDoc,
  raw: string,
  mode: "read" | "write",
  src?: string,
): TaskParty | undefined {
  if (!isNotation(raw) && !isHomePath(raw)) return undefined;
  const r = jobSharePath(ctx, raw, ctx.op, mode);
  if (!j._shares.includes(r.share.id)) j._shares.push(r.share.id);
  const dir = src !== undefined && (!r.rel || /[/\\]$/.test(raw));
  const path = dir ? [r.rel, basename(src)].filter(Boolean).join("/") : r.rel;
  return { path, v: r.share.parent ?? r.share.id, s: r.share.id };
}

export function createTasks(ctx: Ctx, jobId: unknown, raw: unknown): unknown {
  const j = ownJob(ctx, jobId);
  if (j.user !== ctx.actor.id && [j.source, j.destination].some((p) => p.startsWith("user:")))
    throw forbidden(
      ctx.actor.role,
      ctx.op,
      `only the job's user may add files from/to their own machine (job ${j.id} belongs to another user)`,
    );
  const d = checkInput(TASK, "create", raw, ctx.op);
  const allow = optBool(d, "allow_duplicates", ctx.op) ?? true;
  const replace = optBool(d, "replace_duplicates", ctx.op) ?? false;
  const spec = d.tasks;
  const single = !Array.isArray(spec);
  const items: unknown[] = Array.isArray(spec) ? spec : [spec];
  if (items.length === 0)
    throw new BadRequestError(
      `${ctx.op}: 'tasks' must be a list of paths or {source, destination} object(s)`,
    );
  const existing = ctx.store.list<TaskDoc>("task").filter((t) => t.job === j.id);
  const result: TaskDoc[] = [];
  for (const item of items) {
    const { src: srcRaw, dst: dstPath } = taskPaths(ctx, j, item);
    let src: TaskParty;
    const srcShare = sharePart(ctx, j, srcRaw, "read");
    if (srcShare) {
      src = srcShare;
    } else if (isAbsolutePath(srcRaw)) {
      src = { path: srcRaw, user: ctx.actor.id };
    } else {
      src = { ...(existing[0]?.source ?? {}), path: srcRaw };
    }
    const dst: TaskParty = sharePart(ctx, j, dstPath, "write", srcRaw) ?? {
      ...(existing[0]?.destination ?? {}),
      path: dstPath,
    };
    checkSharePart(ctx, src, "read");
    checkSharePart(ctx, dst, "write");
    // A side on the caller's machine needs the caller's desktop app, as on job create.
    if ([src, dst].some((p) => p.user === ctx.actor.id && !p.client && isAbsolutePath(p.path)))
      requireOnlineApp(ctx, ctx.op);
    const dup = existing.find((t) => t.source.path === src.path && t.destination.path === dst.path);
    if (dup && !replace) {
      if (!allow)
        throw new ConflictError(
          `Task '${dup.uri}' (${dup.id}) of job ${j.id} already has source '${src.path}' and destination '${dst.path}'`,
        );
      dup.status = "queued";
      dup.finished = null;
      ctx.store.put("task", dup);
      result.push(dup);
      continue;
    }
    if (dup) {
      dup.status = "excluded";
      ctx.store.put("task", dup);
    }
    const t = newTask(j, src, dst, ctx.now);
    existing.push(t);
    ctx.store.put("task", t);
    result.push(t);
  }
  if (JOB_FINISHED.includes(j.status)) setJobStatus(ctx.store, j, "waiting", ctx.now);
  ctx.store.put("job", stamp(ctx, j));
  const views = result.map((t) => taskView(ctx, t));
  if (single) return views;
  if (items.every((i) => typeof i === "string")) return { success: true, tasks: views };
  return views;
}

export function findTasks(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const parent = flags.parent ?? id;
  if (!parent) throw new BadRequestError("Task queries need the parent job id (entityid/parent)");
  const j = ctx.store.get<JobDoc>("job", parent);
  if (!j || (!isAdmin(ctx) && j.user !== ctx.actor.id))
    throw new NotFoundError(`No transfer with id '${parent}'`);
  const views = ctx.store
    .list<TaskDoc>("task")
    .filter((t) => t.job === j.id)
    .map((t) => taskView(ctx, t))
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

function editOne(ctx: Ctx, tasks: TaskDoc[], jobId: string, item: unknown): TaskDoc {
  const d = checkInput(TASK, "update", item, ctx.op);
  const t = tasks.find(
    (x) =>
      (typeof d.id === "string" && x.id === d.id.toLowerCase()) ||
      (d.id === undefined && d.uri !== undefined && x.uri === String(d.uri)),
  );
  if (!t) throw new NotFoundError(`${ctx.op}: job ${jobId} has no task ${String(d.id ?? d.uri)}`);
  if (d.status !== undefined) {
    if (typeof d.status !== "string" || !TASK_WRITABLE.includes(d.status))
      throw new BadRequestError(
        `${ctx.op}: task status '${String(d.status)}' is not writable; writable: ${TASK_WRITABLE.join(", ")}`,
      );
    t.status = d.status;
    t.finished = d.status === "done" ? ctx.now : null;
  }
  if (typeof d.priority === "number") t.priority = d.priority;
  if (d.metadata !== undefined) t.metadata = optObject(d, "metadata", ctx.op) ?? {};
  ctx.store.put("task", t);
  return t;
}

export function editTasks(ctx: Ctx, jobId: unknown, raw: unknown): Record<string, unknown>[] {
  const j = ownJob(ctx, jobId);
  if (!Array.isArray(raw) || raw.length === 0)
    throw new BadRequestError(
      `${ctx.op}: data must be a non-empty list of {id or uri, status/priority/metadata}`,
    );
  const tasks = ctx.store.list<TaskDoc>("task").filter((t) => t.job === j.id);
  return raw.map((item) => editOne(ctx, tasks, j.id, item)).map((t) => taskView(ctx, t));
}

/**
 * Transfer jobs and their tasks (seed 001). Jobs do not progress by themselves:
 * their status changes through `transfer/edit` or the control plane's
 * `POST /_accsyn-local/jobs/<id>/advance` (init → waiting → running → done).
 */
import { BadRequestError, ConflictError, NotFoundError, forbidden } from "../errors";
import type { Store } from "../store";
import { newId, newUuid, nowStamp } from "../util";
import { type Ctx, isAdmin, mainSite, publicView, stamp, userHr } from "./context";
import { type FindFlags, compileQuery, finish, matches } from "./find";
import {
  JOB_FINISHED,
  type JobDoc,
  type ShareDoc,
  type TaskDoc,
  type TaskParty,
  type UserDoc,
} from "./model";
import { type SharePath, resolveNotation, served } from "./shares";
import { requirePathAccess } from "./acls";
import { resolveUser } from "./users";
import {
  type Data,
  asData,
  isAbsolutePath,
  relativePath,
  optBool,
  optObject,
  optString,
  rejectUnknown,
} from "./validate";

const JOB_WRITABLE = ["waiting", "paused", "aborted", "done"];
const JOB_CREATE_STATUSES = ["init", "waiting", "paused"];
const TASK_WRITABLE = ["queued", "failed", "onhold", "excluded", "done"];
const JOB_FIELDS = [
  "name",
  "code",
  "type",
  "source",
  "destination",
  "status",
  "metadata",
  "priority",
  "allow_duplicates",
  "replace_duplicates",
];

// ---------------------------------------------------------------- shared helpers

export function activeJobsUsing(store: Store, shareIds: string[]): JobDoc[] {
  const ids = new Set(shareIds);
  return store
    .list<JobDoc>("job")
    .filter((j) => !j._deleted && !JOB_FINISHED.includes(j.status) && j._shares.some((s) => ids.has(s)));
}

export function abortJobs(ctx: Ctx, jobs: JobDoc[]): void {
  for (const j of jobs) {
    j.status = "aborted";
    j.finished = ctx.now;
    ctx.store.put("job", stamp(ctx, j));
  }
}

interface Party {
  party: string;
  path: string;
  task: TaskParty;
  shareId?: string;
}

function basename(p: string): string {
  const parts = p.split(/[/\\]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") || dir.endsWith("\\") ? `${dir}${name}` : `${dir}/${name}`;
}

/** Parse one side of a transfer: accsyn notation, `client=<id>:/path`, `user:<id|email>`, or an absolute path. */
/** A share path a job may use: the caller's ACL rules allow it, and its volume is served. */
function jobSharePath(ctx: Ctx, s: string, what: string, mode: "read" | "write"): SharePath {
  const r = resolveNotation(ctx, s, what);
  requirePathAccess(ctx, r.share, r.rel, mode);
  const vol =
    r.share.type === "volume"
      ? r.share
      : r.share.parent
        ? ctx.store.get<ShareDoc>("share", r.share.parent)
        : undefined;
  if (vol && !served(vol))
    throw new ConflictError(
      `${what}: volume '${vol.code}' (${vol.id}) is offline: no server serves it; assign a server before submitting jobs`,
    );
  return r;
}

function parseParty(ctx: Ctx, raw: unknown, what: string, mode: "read" | "write"): Party {
  if (typeof raw !== "string" || !raw.trim()) throw new BadRequestError(`${what} must be a non-empty string`);
  const s = raw.trim();
  if (/^(volume|folder|share|home|collection)=/i.test(s)) {
    const r = jobSharePath(ctx, s, what, mode);
    const v = r.share.type === "volume" ? r.share.id : (r.share.parent ?? r.share.id);
    return {
      party: `workspace:${ctx.workspace.id}`,
      path: s,
      task: { path: r.rel, v, s: r.share.id },
      shareId: r.share.id,
    };
  }
  const client = /^client=([0-9a-f]{24}):(.*)$/i.exec(s);
  if (client) {
    return {
      party: `user:${ctx.actor.id}`,
      path: client[2],
      task: { path: client[2], client: client[1].toLowerCase(), user: ctx.actor.id },
    };
  }
  const user = /^user[:=](.+)$/i.exec(s);
  if (user) {
    const u = resolveUser(ctx.store, user[1]);
    if (!u) throw new NotFoundError(`${what}: no user '${user[1]}'`);
    return { party: `user:${u.id}`, path: "", task: { path: "", user: u.id } };
  }
  if (isAbsolutePath(s))
    return { party: `user:${ctx.actor.id}`, path: s, task: { path: s, user: ctx.actor.id } };
  throw new BadRequestError(
    `${what}: '${s}' is neither accsyn notation (share=<code>/path, volume=, folder=, home=, collection=), ` +
      `client=<id>:<path>, user:<id> nor an absolute path`,
  );
}

function partyHr(ctx: Ctx, party: string): string {
  const [kind, id] = party.split(":");
  if (kind === "user") return userHr(ctx.store.get<UserDoc>("user", id), id);
  if (kind === "workspace") return `workspace:${ctx.workspace.code}(${ctx.workspace.id})`;
  return party;
}

function partyAliases(ctx: Ctx, party: string): unknown[] {
  const [kind, id] = party.split(":");
  if (kind === "user") {
    const u = ctx.store.get<UserDoc>("user", id);
    return [id, u?.code];
  }
  return [id, ctx.workspace.code, mainSite(ctx.store)?.code];
}

export function jobView(ctx: Ctx, j: JobDoc): Record<string, unknown> {
  return {
    ...publicView(j),
    source_hr: partyHr(ctx, j.source),
    destination_hr: partyHr(ctx, j.destination),
    user_hr: userHr(ctx.store.get<UserDoc>("user", j.user), j.user),
    parent_hr: null,
    uri: j.name,
  };
}

function taskView(ctx: Ctx, t: TaskDoc): Record<string, unknown> {
  const j = ctx.store.get<JobDoc>("job", t.job);
  return { ...publicView(t), job_hr: j ? `${j.name}[${j._seq}](${j.id})` : `(${t.job})` };
}

function ownJob(ctx: Ctx, id: unknown): JobDoc {
  if (typeof id !== "string" || !id) throw new BadRequestError(`${ctx.op}: 'id' (the job id) is required`);
  const j = ctx.store.get<JobDoc>("job", id.toLowerCase());
  if (!j || j._deleted) throw new NotFoundError(`No transfer with id '${id}'`);
  if (!isAdmin(ctx) && j.user !== ctx.actor.id)
    throw forbidden(ctx.actor.role, ctx.op, `job ${j.id} belongs to another user`);
  return j;
}

function nextSeq(store: Store): number {
  const n = Number(store.getMeta("jobseq") ?? "0") + 1;
  store.setMeta("jobseq", String(n));
  return n;
}

function newTask(job: JobDoc, src: TaskParty, dst: TaskParty, now: string): TaskDoc {
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

// ---------------------------------------------------------------- transfers

export function createJob(ctx: Ctx, raw: unknown): Record<string, unknown>[] {
  const what = ctx.op;
  const d = asData(raw, what);
  rejectUnknown(d, JOB_FIELDS, what);
  if (d.type !== undefined && d.type !== "transfer" && d.type !== 1)
    throw new BadRequestError(`${what}: only transfer jobs are emulated`);
  const sourcesRaw = Array.isArray(d.source) ? d.source : [d.source];
  if (d.source === undefined || sourcesRaw.length === 0)
    throw new BadRequestError(
      `${what}: 'source' is required (a path on accsyn notation or an absolute path)`,
    );
  if (d.destination === undefined) throw new BadRequestError(`${what}: 'destination' is required`);
  const sources = sourcesRaw.map((s) => parseParty(ctx, s, `${what}: source`, "read"));
  const dest = parseParty(ctx, d.destination, `${what}: destination`, "write");
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
  const priority = d.priority ?? 1;
  if (typeof priority !== "number" || !Number.isInteger(priority))
    throw new BadRequestError(`${what}: 'priority' must be an integer`);
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
    parent: null,
    _shares: [...new Set([...sources.map((s) => s.shareId), dest.shareId].filter((x): x is string => !!x))],
    _seq: nextSeq(ctx.store),
    _taskSeq: 0,
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  const tasks = sources.map((s) => {
    const dst = {
      ...dest.task,
      path: dest.task.path ? joinPath(dest.task.path, basename(s.task.path || s.path)) : "",
    };
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
  const d = asData(raw, ctx.op);
  rejectUnknown(d, ["status", "name", "metadata", "priority"], ctx.op);
  if (d.name !== undefined) {
    const n = optString(d, "name", ctx.op)?.trim();
    if (!n) throw new BadRequestError(`${ctx.op}: 'name' must be a non-empty string`);
    j.name = n;
    j.code = n;
  }
  if (d.metadata !== undefined) j.metadata = optObject(d, "metadata", ctx.op) ?? {};
  if (d.priority !== undefined) {
    if (typeof d.priority !== "number" || !Number.isInteger(d.priority))
      throw new BadRequestError(`${ctx.op}: 'priority' must be an integer`);
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

function setJobStatus(store: Store, j: JobDoc, status: string, now: string): void {
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
export function advanceJob(store: Store, id: string, body: Data): Record<string, unknown> {
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

// ---------------------------------------------------------------- tasks

/** A task side on a share (inherited from the job's first task) obeys the caller's ACL rules too. */
function checkSharePart(ctx: Ctx, part: TaskParty, mode: "read" | "write"): void {
  if (!part.s || isAbsolutePath(part.path)) return;
  const share = ctx.store.get<ShareDoc>("share", part.s);
  if (!share || share._deleted)
    throw new NotFoundError(`${ctx.op}: the job's share ${part.s} no longer exists`);
  requirePathAccess(ctx, share, relativePath(part.path, ctx.op), mode);
}

export function createTasks(ctx: Ctx, jobId: unknown, raw: unknown): unknown {
  const j = ownJob(ctx, jobId);
  if (j.user !== ctx.actor.id && [j.source, j.destination].some((p) => p.startsWith("user:")))
    throw forbidden(
      ctx.actor.role,
      ctx.op,
      `only the job's user may add files from/to their own machine (job ${j.id} belongs to another user)`,
    );
  const d = asData(raw, ctx.op);
  rejectUnknown(d, ["tasks", "allow_duplicates", "replace_duplicates"], ctx.op);
  const allow = optBool(d, "allow_duplicates", ctx.op) ?? true;
  const replace = optBool(d, "replace_duplicates", ctx.op) ?? false;
  const spec = d.tasks;
  const single = spec !== null && typeof spec === "object" && !Array.isArray(spec);
  const items: unknown[] = Array.isArray(spec) ? spec : single ? [spec] : [];
  if (items.length === 0)
    throw new BadRequestError(
      `${ctx.op}: 'tasks' must be a list of paths or {source, destination} object(s)`,
    );
  const existing = ctx.store.list<TaskDoc>("task").filter((t) => t.job === j.id);
  const result: TaskDoc[] = [];
  for (const item of items) {
    let srcRaw: unknown;
    let dstPath: string;
    if (typeof item === "string") {
      srcRaw = item;
      if (!j.destination_path)
        throw new BadRequestError(`${ctx.op}: tasks without a destination need a job that mirrors paths`);
      dstPath = joinPath(j.destination_path, basename(item));
    } else if (item !== null && typeof item === "object" && !Array.isArray(item)) {
      const o = item as Data;
      rejectUnknown(o, ["source", "destination"], `${ctx.op} task`);
      srcRaw = o.source;
      if (typeof o.destination !== "string" || !o.destination)
        throw new BadRequestError(`${ctx.op}: a task needs a 'destination' path`);
      dstPath = o.destination;
    } else throw new BadRequestError(`${ctx.op}: each task must be a path or a {source, destination} object`);
    if (typeof srcRaw !== "string" || !srcRaw.trim())
      throw new BadRequestError(`${ctx.op}: a task needs a 'source' path`);
    let src: TaskParty;
    if (/^(volume|folder|share|home|collection)=/i.test(srcRaw)) {
      const r = jobSharePath(ctx, srcRaw, ctx.op, "read");
      src = { path: r.rel, v: r.share.parent ?? r.share.id, s: r.share.id };
      if (!j._shares.includes(r.share.id)) j._shares.push(r.share.id);
    } else if (isAbsolutePath(srcRaw)) {
      src = { path: srcRaw, user: ctx.actor.id };
    } else {
      const tmpl = existing[0];
      src = { ...(tmpl?.source ?? {}), path: srcRaw };
    }
    const dstTmpl = existing[0]?.destination ?? {};
    const dst: TaskParty = { ...dstTmpl, path: dstPath };
    checkSharePart(ctx, src, "read");
    checkSharePart(ctx, dst, "write");
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

export function editTasks(ctx: Ctx, jobId: unknown, raw: unknown): Record<string, unknown>[] {
  const j = ownJob(ctx, jobId);
  if (!Array.isArray(raw) || raw.length === 0)
    throw new BadRequestError(
      `${ctx.op}: data must be a non-empty list of {id or uri, status/priority/metadata}`,
    );
  const tasks = ctx.store.list<TaskDoc>("task").filter((t) => t.job === j.id);
  const out: TaskDoc[] = [];
  for (const item of raw) {
    const d = asData(item, ctx.op);
    for (const k of Object.keys(d))
      if (!["id", "uri", "status", "priority", "metadata"].includes(k))
        throw new BadRequestError(
          `${ctx.op}: only status, priority and metadata of a task can be modified, not '${k}'`,
        );
    const t = tasks.find(
      (x) =>
        (typeof d.id === "string" && x.id === d.id.toLowerCase()) ||
        (d.id === undefined && d.uri !== undefined && x.uri === String(d.uri)),
    );
    if (!t) throw new NotFoundError(`${ctx.op}: job ${j.id} has no task ${String(d.id ?? d.uri)}`);
    if (d.status !== undefined) {
      if (typeof d.status !== "string" || !TASK_WRITABLE.includes(d.status))
        throw new BadRequestError(
          `${ctx.op}: task status '${String(d.status)}' is not writable; writable: ${TASK_WRITABLE.join(", ")}`,
        );
      t.status = d.status;
      t.finished = d.status === "done" ? ctx.now : null;
    }
    if (d.priority !== undefined) {
      if (typeof d.priority !== "number" || !Number.isInteger(d.priority))
        throw new BadRequestError(`${ctx.op}: task 'priority' must be an integer`);
      t.priority = d.priority;
    }
    if (d.metadata !== undefined) t.metadata = optObject(d, "metadata", ctx.op) ?? {};
    ctx.store.put("task", t);
    out.push(t);
  }
  return out.map((t) => taskView(ctx, t));
}

/**
 * Deliveries (job type 7 on the service): a named set of files on the default
 * volume for a list of recipients. accsyn-local keeps the delivery and its
 * recipients; the files reach it only through uploads, which need file transfer
 * (accsyn-local moves no bytes: its servers act as offline), so a delivery can be
 * created, given recipients, aborted and deleted, but submitting it (status
 * `pending`) is refused with the reason the service gives for an empty delivery.
 */
import { BadRequestError, ConflictError, NotFoundError, forbidden } from "../../errors";
import { ID_RE, newId } from "../../util";
import { type Ctx, isAdmin, publicView, requireRole, stamp, userHr } from "../core/context";
import { canSeeShare } from "../core/access";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { defaultVolume } from "../core/lookup";
import { JOB_FINISHED, type JobDoc, type Stamped, type UserDoc } from "../core/model";
import { optObject, optString } from "../core/validate";
import { DELIVERY, checkInput } from "../fields";
import { queueForJob } from "./queues";

export interface Recipient {
  user: string;
  actioned: boolean;
  created: string;
}

export interface DeliveryDoc extends Stamped {
  type: "delivery";
  code: string;
  name: string;
  description: string;
  status: string;
  public: boolean;
  user: string;
  metadata: Record<string, unknown>;
  queue: string | null;
  finished: string | null;
  _recipients: Recipient[];
  _deleted?: boolean;
}

/** Employees deliver from volumes granted to them; a delivery lives on the default volume. */
export function createDelivery(ctx: Ctx, raw: unknown): Record<string, unknown>[] {
  requireRole(ctx, ["admin", "employee"], "deliveries are sent by admins and employees");
  const d = checkInput(DELIVERY, "create", raw, ctx.op);
  const name = (optString(d, "name", ctx.op) ?? "").trim();
  if (!name) throw new BadRequestError(`${ctx.op}: 'name' must be a non-empty string`);
  const vol = defaultVolume(ctx.store);
  if (!vol) throw new ConflictError(`${ctx.op}: the workspace has no default volume to hold the delivery`);
  if (!canSeeShare(ctx, vol))
    throw forbidden(
      ctx.actor.role,
      ctx.op,
      `the default volume '${vol.code}' is not granted to ${ctx.actor.code}`,
    );
  const doc: DeliveryDoc = {
    id: newId(),
    type: "delivery",
    code: name,
    name,
    description: optString(d, "description", ctx.op) ?? "",
    status: "init",
    public: false,
    user: ctx.actor.id,
    metadata: optObject(d, "metadata", ctx.op) ?? {},
    queue: queueForJob(ctx.store, optString(d, "queue", ctx.op), [vol.id], ctx.op) ?? null,
    finished: null,
    _recipients: [],
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  ctx.store.put("delivery", doc);
  return [deliveryView(ctx, doc)];
}

export function deliveryView(ctx: Ctx, d: DeliveryDoc): Record<string, unknown> {
  return {
    ...publicView(d),
    user_hr: userHr(ctx.store.get<UserDoc>("user", d.user), d.user),
    recipients: d._recipients.length,
    ...(d._deleted ? { archived: true } : {}),
  };
}

/** Admins see every delivery; others those they created, and recipients those submitted to them. */
function canSee(ctx: Ctx, d: DeliveryDoc): boolean {
  if (isAdmin(ctx) || d.user === ctx.actor.id) return true;
  return d.status !== "init" && d._recipients.some((r) => r.user === ctx.actor.id);
}

/** The delivery with this id the caller can see; an invisible one answers like an unknown id. */
export function visibleDelivery(ctx: Ctx, id: unknown): DeliveryDoc {
  const key = typeof id === "string" ? id.toLowerCase() : "";
  const d = ID_RE.test(key) ? ctx.store.get<DeliveryDoc>("delivery", key) : undefined;
  if (!d || d._deleted || !canSee(ctx, d)) throw new NotFoundError(`No delivery with id '${String(id)}'`);
  return d;
}

/** Managing (edit, delete, recipients) is for admins and the delivery's creator; recipients only see it. */
export function managedDelivery(ctx: Ctx, id: unknown): DeliveryDoc {
  requireRole(ctx, ["admin", "employee"], "deliveries are managed by admins and their creator");
  const d = visibleDelivery(ctx, id);
  if (!isAdmin(ctx) && d.user !== ctx.actor.id)
    throw forbidden(ctx.actor.role, ctx.op, `delivery ${d.id} was created by another user`);
  return d;
}

export function findDeliveries(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const views = ctx.store
    .list<DeliveryDoc>("delivery")
    .filter((d) => {
      if (id) return d.id === id.toLowerCase();
      if (d._deleted) return flags.archived;
      if (JOB_FINISHED.includes(d.status)) return flags.finished || flags.archived;
      return true;
    })
    .filter((d) => canSee(ctx, d))
    .map((d) => ({ d, v: deliveryView(ctx, d) }))
    .filter(({ d, v }) => matches(node, v, { user: [ctx.store.get<UserDoc>("user", d.user)?.code] }))
    .map(({ v }) => v);
  return finish(views, flags);
}

export function editDelivery(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown>[] {
  const d = managedDelivery(ctx, id);
  const data = checkInput(DELIVERY, "update", raw, ctx.op);
  if (JOB_FINISHED.includes(d.status))
    throw new ConflictError(`${ctx.op}: delivery ${d.id} is ${d.status} and can no longer change`);
  if (data.name !== undefined && data.name !== null) {
    const n = String(data.name).trim();
    if (!n) throw new BadRequestError(`${ctx.op}: 'name' must be a non-empty string`);
    d.name = n;
    d.code = n;
  }
  if (data.description !== undefined && data.description !== null) d.description = String(data.description);
  if (data.metadata !== undefined && data.metadata !== null)
    d.metadata = optObject(data, "metadata", ctx.op) ?? {};
  if (data.status !== undefined && data.status !== null) setStatus(ctx, d, String(data.status));
  ctx.store.put("delivery", stamp(ctx, d));
  return [deliveryView(ctx, d)];
}

/** The delivery's upload jobs (transfer/create with `parent` = the delivery), not deleted. */
function uploadsOf(ctx: Ctx, deliveryId: string): JobDoc[] {
  return ctx.store.list<JobDoc>("job").filter((j) => j.parent === deliveryId && !j._deleted);
}

function setStatus(ctx: Ctx, d: DeliveryDoc, status: string): void {
  if (status === "aborted") {
    d.status = "aborted";
    d.finished = ctx.now;
    return;
  }
  if (status !== "pending")
    throw new BadRequestError(
      `${ctx.op}: status '${status}' is not writable; writable: pending (submit), aborted`,
    );
  if (d.status !== "init")
    throw new ConflictError(`${ctx.op}: delivery ${d.id} is already submitted (${d.status})`);
  if (d._recipients.length === 0)
    throw new ConflictError(`${ctx.op}: delivery ${d.id} has no recipients; add one with job/recipient/add`);
  const uploads = uploadsOf(ctx, d.id);
  if (!uploads.some((j) => j.status === "done"))
    throw new ConflictError(
      `${ctx.op}: delivery ${d.id} has no files; ` +
        (uploads.length
          ? "its uploads have not finished (accsyn-local moves no bytes: its servers act as offline)"
          : "upload them first (transfer/create with 'parent' = the delivery)"),
    );
  // The service passes a submitted delivery through `pending` to `waiting` once it has
  // set up the recipients' downloads; accsyn-local does that at once.
  d.status = "waiting";
}

export function deleteDelivery(ctx: Ctx, id: unknown): boolean {
  const d = managedDelivery(ctx, id);
  if (!JOB_FINISHED.includes(d.status)) {
    d.status = "aborted";
    d.finished = ctx.now;
  }
  d._deleted = true;
  ctx.store.put("delivery", stamp(ctx, d));
  return true;
}

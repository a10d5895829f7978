/**
 * Settings (`GET`/`PUT`/`DELETE setting`): named string values kept per
 * workspace or per entity (a share, a user, a job, delivery or queue). The
 * service has built-in defaults accsyn-local does not know, so `omit_defaults`
 * changes nothing here, and `upstream` adds only the workspace's own settings.
 * Who may read and write follows who may see and manage the entity; an entity
 * the caller cannot see answers like an unknown id.
 */
import { BadRequestError, NotFoundError, forbidden } from "../../errors";
import { ID_RE, newId } from "../../util";
import { type Ctx, isAdmin, requireRole, stamp } from "../core/context";
import { canManageShare, canSeeShare } from "../core/access";
import type { JobDoc, ShareDoc, Stamped, UserDoc } from "../core/model";
import { MAX_DICT_JSON } from "../fields/descriptor";
import { type DeliveryDoc, managedDelivery, visibleDelivery } from "./deliveries";
import type { QueueDoc } from "./queues";

export interface SettingDoc extends Stamped {
  /** workspace | share | user | job (jobs, deliveries and queues share one namespace of ids). */
  scope: Scope;
  entity: string;
  name: string;
  value: string;
}

type Scope = "workspace" | "share" | "user" | "job";

const SCOPES: Record<string, Scope> = {
  workspace: "workspace",
  share: "share",
  volume: "share",
  folder: "share",
  home: "share",
  collection: "share",
  user: "user",
  job: "job",
  transfer: "job",
  delivery: "job",
  queue: "job",
};

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const KEYS: Record<"GET" | "PUT" | "DELETE", string[]> = {
  GET: ["entitytype", "name", "integration", "data", "recursive", "upstream", "omit_defaults", "share"],
  PUT: ["entitytype", "name", "value"],
  DELETE: ["entitytype", "name"],
};

type Method = keyof typeof KEYS;

interface Target {
  scope: Scope;
  entity: string;
}

function parse(ctx: Ctx, method: Method, raw: unknown): Record<string, unknown> {
  const d = raw === null || raw === undefined ? {} : raw;
  if (typeof d !== "object" || Array.isArray(d))
    throw new BadRequestError(`${ctx.op} expects an object as data, got ${JSON.stringify(raw)}`);
  const data = d as Record<string, unknown>;
  for (const k of Object.keys(data))
    if (!KEYS[method].includes(k))
      throw new BadRequestError(
        `Unknown attribute '${k}' for ${method} setting; allowed: ${KEYS[method].join(", ")}`,
      );
  if (data.integration !== undefined && data.integration !== null)
    throw new BadRequestError(`${ctx.op}: integration settings are not emulated by accsyn-local`);
  return data;
}

function settingName(ctx: Ctx, v: unknown, required: boolean): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw new BadRequestError(`${ctx.op}: 'name' is required`);
    return undefined;
  }
  if (typeof v !== "string" || !NAME_RE.test(v))
    throw new BadRequestError(
      `${ctx.op}: 'name' must be 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  return v;
}

/** Resolve the entity a setting belongs to, checking the caller may read (or, with write, change) it. */
function target(ctx: Ctx, et: unknown, id: string | undefined, write: boolean): Target {
  const name = et === undefined || et === null ? "workspace" : et;
  const scope = typeof name === "string" ? SCOPES[name.trim().toLowerCase()] : undefined;
  if (!scope)
    throw new BadRequestError(
      `${ctx.op}: 'entitytype' must be one of ${Object.keys(SCOPES).join(", ")}, got ${JSON.stringify(name)}`,
    );
  if (scope === "workspace") {
    if (id && id !== ctx.workspace.id) throw new NotFoundError(`${ctx.op}: no workspace with id '${id}'`);
    requireRole(ctx, write ? ["admin"] : ["admin", "employee"]);
    return { scope, entity: ctx.workspace.id };
  }
  if (!id) throw new BadRequestError(`${ctx.op}: the ${scope} setting needs the entity 'id'`);
  const unknown = (): NotFoundError => new NotFoundError(`${ctx.op}: no ${String(name)} with id '${id}'`);
  if (!ID_RE.test(id)) throw unknown();
  if (scope === "share") {
    const s = ctx.store.get<ShareDoc>("share", id);
    if (!s || s._deleted || !canSeeShare(ctx, s)) throw unknown();
    if (write && !canManageShare(ctx, s))
      throw forbidden(ctx.actor.role, ctx.op, `${ctx.actor.code} does not manage share '${s.code}'`);
  } else if (scope === "user") {
    const u = ctx.store.get<UserDoc>("user", id);
    const self = id === ctx.actor.id;
    if (!u || (!self && ctx.actor.role === "standard")) throw unknown();
    if (write && !self && !isAdmin(ctx))
      throw forbidden(ctx.actor.role, ctx.op, "only admins change other users' settings");
  } else {
    jobTarget(ctx, id, write, unknown);
  }
  return { scope, entity: id };
}

/** A job-scope id names a transfer, a delivery or a queue. */
function jobTarget(ctx: Ctx, id: string, write: boolean, unknown: () => NotFoundError): void {
  const j = ctx.store.get<JobDoc>("job", id);
  if (j) {
    if (j._deleted || (!isAdmin(ctx) && j.user !== ctx.actor.id)) throw unknown();
    return;
  }
  if (ctx.store.get<DeliveryDoc>("delivery", id)) {
    if (write) managedDelivery(ctx, id);
    else visibleDelivery(ctx, id);
    return;
  }
  if (ctx.store.get<QueueDoc>("queue", id)) {
    requireRole(ctx, write ? ["admin"] : ["admin", "employee"]);
    return;
  }
  throw unknown();
}

function settingsOf(ctx: Ctx, t: Target): SettingDoc[] {
  return ctx.store.list<SettingDoc>("setting").filter((s) => s.scope === t.scope && s.entity === t.entity);
}

/** One value (`name` given; null when unset) or all of the entity's settings as a dict. */
export function getSetting(ctx: Ctx, id: string | undefined, raw: unknown): unknown {
  const d = parse(ctx, "GET", raw);
  const t = target(ctx, d.entitytype, id, false);
  const name = settingName(ctx, d.name, false);
  const upstream = d.upstream === true && t.scope !== "workspace";
  const own = settingsOf(ctx, t);
  const inherited = upstream ? settingsOf(ctx, { scope: "workspace", entity: ctx.workspace.id }) : [];
  const all: Record<string, string> = {};
  for (const s of [...inherited, ...own]) all[s.name] = s.value;
  if (name !== undefined) return all[name] ?? null;
  return all;
}

export function putSetting(ctx: Ctx, id: string | undefined, raw: unknown): boolean {
  const d = parse(ctx, "PUT", raw);
  const t = target(ctx, d.entitytype, id, true);
  const name = settingName(ctx, d.name, true) as string;
  if (typeof d.value !== "string")
    throw new BadRequestError(
      `${ctx.op}: 'value' must be a string (serialise objects as JSON, dates as ISO 8601)`,
    );
  if (d.value.length > MAX_DICT_JSON)
    throw new BadRequestError(
      `${ctx.op}: 'value' is at most ${MAX_DICT_JSON} characters (got ${d.value.length})`,
    );
  const existing = settingsOf(ctx, t).find((s) => s.name === name);
  const doc: SettingDoc = existing ?? {
    id: newId(),
    scope: t.scope,
    entity: t.entity,
    name,
    value: d.value,
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  doc.value = d.value;
  ctx.store.put("setting", stamp(ctx, doc));
  return true;
}

/** `true` when the setting existed and is gone, `false` when there was none. */
export function deleteSetting(ctx: Ctx, id: string | undefined, raw: unknown): boolean {
  const d = parse(ctx, "DELETE", raw);
  const t = target(ctx, d.entitytype, id, true);
  const name = settingName(ctx, d.name, true) as string;
  const existing = settingsOf(ctx, t).find((s) => s.name === name);
  if (!existing) return false;
  ctx.store.delete("setting", existing.id);
  return true;
}

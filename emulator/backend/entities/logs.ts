/**
 * The audit log (`log/find`): one entry per change an API event made, written in
 * the event's own transaction (so a failed event leaves none). Entries name the
 * operation and the entity, never the data sent (which may hold secrets). The
 * newest MAX_ENTRIES are kept, so the log cannot grow without bound.
 */
import { BadRequestError } from "../../errors";
import { type Ctx, isAdmin, publicView, requireRole } from "../core/context";
import type { Doc } from "../../store";

export interface LogDoc extends Doc {
  _seq: number;
  _user: string;
  date: string;
  user: string;
  method: string;
  uri: string;
  entitytype: string;
  entityid: string | null;
  message: string;
}

const MAX_ENTRIES = 10_000;
const SORT_KEYS = ["date", "user", "uri", "entitytype", "message"];
const KEYS = ["entitytype", "sort", "sort_reverse", "search", "pagination"];
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** Ids follow the sequence, so the entry to prune is found without a scan. */
const idOf = (seq: number): string => seq.toString(16).padStart(24, "0");

export function recordLog(ctx: Ctx, method: string, uri: string, entityId: string | null): void {
  const seq = Number(ctx.store.getMeta("logseq") ?? "0") + 1;
  ctx.store.setMeta("logseq", String(seq));
  const first = uri.split("/")[0].toLowerCase();
  // `transfer` and `job` are one entity type; the log files them under `job`.
  const entitytype = first === "transfer" ? "job" : first;
  const entry: LogDoc = {
    id: idOf(seq),
    _seq: seq,
    _user: ctx.actor.id,
    date: ctx.now,
    user: ctx.actor.code,
    method,
    uri,
    entitytype,
    entityid: entityId,
    message: `${ctx.actor.code}: ${method} ${uri}${entityId ? ` ${entityId}` : ""}`,
  };
  ctx.store.put("log", entry);
  if (seq > MAX_ENTRIES) ctx.store.delete("log", idOf(seq - MAX_ENTRIES));
}

function int(v: unknown, key: string, min: number): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new BadRequestError(`log/find: 'pagination.${key}' must be an integer >= ${min}`);
  return v;
}

/**
 * Scope `workspace` (the default) is every entry, for admins; another entity
 * type lists the entries about that type (or, with an id, that entity): all of
 * them for admins, the caller's own for others. Sorted by `sort` (default date,
 * oldest first; `sort_reverse` for newest first).
 */
export function findLogs(ctx: Ctx, id: string | undefined, raw: unknown): Record<string, unknown>[] {
  const d = raw === null || raw === undefined ? {} : raw;
  if (typeof d !== "object" || Array.isArray(d))
    throw new BadRequestError("log/find expects an object as data");
  const data = d as Record<string, unknown>;
  for (const k of Object.keys(data))
    if (!KEYS.includes(k))
      throw new BadRequestError(`Unknown attribute '${k}' for log/find; allowed: ${KEYS.join(", ")}`);
  const et = data.entitytype ?? "workspace";
  if (typeof et !== "string" || !et.trim())
    throw new BadRequestError("log/find: 'entitytype' must be a string");
  const scope = et.trim().toLowerCase() === "transfer" ? "job" : et.trim().toLowerCase();
  const sort = data.sort ?? "date";
  if (typeof sort !== "string" || !SORT_KEYS.includes(sort))
    throw new BadRequestError(`log/find: 'sort' must be one of ${SORT_KEYS.join(", ")}`);
  if (data.sort_reverse !== undefined && data.sort_reverse !== null && typeof data.sort_reverse !== "boolean")
    throw new BadRequestError("log/find: 'sort_reverse' must be a boolean");
  const search = data.search;
  if (search !== undefined && search !== null && (typeof search !== "string" || search.length > 1024))
    throw new BadRequestError("log/find: 'search' must be a string of at most 1024 characters");
  const p = data.pagination ?? {};
  if (typeof p !== "object" || p === null || Array.isArray(p))
    throw new BadRequestError("log/find: 'pagination' must be an object {page, limit, skip}");
  const pg = p as Record<string, unknown>;
  const limit = Math.min(int(pg.limit, "limit", 1) ?? DEFAULT_LIMIT, MAX_LIMIT);
  const page = int(pg.page, "page", 1);
  const skip = int(pg.skip, "skip", 0) ?? (page ? (page - 1) * limit : 0);

  if (scope === "workspace") requireRole(ctx, ["admin"], "the workspace log is for admins");
  const needle = typeof search === "string" ? search.toLowerCase() : "";
  const key = sort as keyof LogDoc;
  const rows = ctx.store
    .list<LogDoc>("log")
    .filter(
      (l) =>
        scope === "workspace" || l.entitytype === scope || (scope === "job" && l.entitytype === "transfer"),
    )
    .filter((l) => !id || l.entityid === id.toLowerCase())
    .filter((l) => isAdmin(ctx) || l._user === ctx.actor.id)
    .filter((l) => !needle || `${l.message} ${l.uri}`.toLowerCase().includes(needle))
    .sort((a, b) => String(a[key]).localeCompare(String(b[key])) || a._seq - b._seq);
  if (data.sort_reverse === true) rows.reverse();
  return rows.slice(skip, skip + limit).map((l) => publicView(l));
}

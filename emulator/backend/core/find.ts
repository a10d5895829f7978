/** Shared machinery of every `<et>/find`: flags, query evaluation, paging, attribute projection. */
import { BadRequestError } from "../../errors";
import { evaluate, lookup, parseQuery, type QueryNode } from "../../query";
import { isObject } from "../../util";

export interface FindFlags {
  inactive: boolean;
  finished: boolean;
  archived: boolean;
  parent?: string;
  limit?: number;
  skip?: number;
  attributes?: string[];
  single: boolean;
}

function bool(data: Record<string, unknown>, key: string): boolean {
  const v = data[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean")
    throw new BadRequestError(`Find flag '${key}' must be a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function int(data: Record<string, unknown>, key: string): number | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
    throw new BadRequestError(`Find flag '${key}' must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

export function parseFlags(data: unknown): FindFlags {
  const d = isObject(data) ? (data as Record<string, unknown>) : {};
  if (data !== null && data !== undefined && !isObject(data))
    throw new BadRequestError("Find data must be an object (or null)");
  const parentRaw = d.parent ?? d.entityid;
  if (parentRaw !== undefined && parentRaw !== null && typeof parentRaw !== "string")
    throw new BadRequestError("Find flag 'parent' must be an entity id string");
  const attrs = d.attributes;
  if (
    attrs !== undefined &&
    attrs !== null &&
    !(Array.isArray(attrs) && attrs.every((a) => typeof a === "string"))
  )
    throw new BadRequestError("Find flag 'attributes' must be a list of strings");
  return {
    inactive: bool(d, "inactive") || bool(d, "offline"),
    finished: bool(d, "finished"),
    archived: bool(d, "archived"),
    parent: typeof parentRaw === "string" ? parentRaw.toLowerCase() : undefined,
    limit: int(d, "limit"),
    skip: int(d, "skip"),
    attributes: Array.isArray(attrs) && attrs.length ? (attrs as string[]) : undefined,
    single: bool(d, "single_entity_query"),
  };
}

/** Aliases: extra representations per attribute (e.g. `user` → the user's e-mail). */
export type Aliases = Record<string, unknown[]>;

export function matches(
  node: QueryNode | undefined,
  view: Record<string, unknown>,
  aliases: Aliases = {},
): boolean {
  return evaluate(node, (attr) => {
    const own = lookup(view, attr);
    const extra = aliases[attr] ?? [];
    return own === undefined ? extra : [own, ...extra];
  });
}

export function compileQuery(query: unknown): QueryNode | undefined {
  if (query !== undefined && query !== null && typeof query !== "string")
    throw new BadRequestError("The query must be a string");
  return parseQuery(query as string | undefined);
}

/** Skip/limit, then keep only the requested attributes (id is always kept). */
export function finish(items: Record<string, unknown>[], flags: FindFlags): Record<string, unknown>[] {
  let out = items.slice(flags.skip ?? 0);
  if (flags.limit) out = out.slice(0, flags.limit);
  if (flags.attributes) {
    const keep = new Set([...flags.attributes.map((a) => a.trim()), "id"]);
    out = out.map((o) => Object.fromEntries(Object.entries(o).filter(([k]) => keep.has(k))));
  }
  return out;
}

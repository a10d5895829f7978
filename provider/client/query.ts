/**
 * A typed builder for the expression after `WHERE` in an accsyn find. User input never becomes query syntax:
 * attribute names are checked against a strict pattern, string values are always quoted (with whichever quote
 * character they do not contain; a value holding both is rejected, since the language has no escape), and
 * `raw` is for trusted constants only.
 *
 * @example
 *   q.and(q.eq("parent", volumeId), q.eq("path", userPath)).toString()
 *   // => parent="664b6d76e43eb396e5e55419" AND path="projects/The Project"
 */
import { AccsynUsageError } from "./errors";

const QUERY_BRAND = Symbol("accsyn.query");

/** A rendered, safe query expression. Build one with {@link q}. */
export interface Query {
  readonly [QUERY_BRAND]: true;
  /** The expression text (what follows `WHERE`). */
  toString(): string;
}

/** A reference value such as `user:<id>` or `share:<id>`; rendered bare. */
export interface RefValue {
  readonly ref: string;
}

export type QueryValue = string | number | boolean | RefValue;

const ATTR_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const REF_KIND_RE = /^[a-z_]+$/;
const REF_ID_RE = /^[A-Za-z0-9_-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;

function usage(message: string): AccsynUsageError {
  return new AccsynUsageError(message, { operation: "query", retryable: false });
}

function make(text: string): Query {
  return Object.freeze({ [QUERY_BRAND]: true as const, toString: () => text });
}

export function isQuery(v: unknown): v is Query {
  return typeof v === "object" && v !== null && (v as Record<symbol, unknown>)[QUERY_BRAND] === true;
}

function attr(name: string): string {
  if (!ATTR_RE.test(name)) throw usage(`invalid query attribute name: ${JSON.stringify(name)}`);
  return name;
}

/**
 * Renders a string value as a quoted literal. Wildcards (`*`) are refused unless `allowWildcard`, so that an
 * equality never turns into a pattern by accident.
 */
export function quote(value: string, allowWildcard = false): string {
  if (CONTROL_RE.test(value)) throw usage("query values may not contain control characters");
  if (!allowWildcard && value.includes("*")) {
    throw usage(`query value contains "*" (a wildcard); use q.like() for patterns`);
  }
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw usage("query values may not contain both single and double quotes");
}

function value(v: QueryValue, allowWildcard = false): string {
  if (typeof v === "string") return quote(v, allowWildcard);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw usage("query numbers must be finite");
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "object" && v !== null && typeof v.ref === "string") return v.ref;
  throw usage("unsupported query value");
}

function cmp(op: string, a: string, v: QueryValue, allowWildcard = false): Query {
  return make(`${attr(a)}${op}${value(v, allowWildcard)}`);
}

function list(op: string, a: string, vs: readonly QueryValue[]): Query {
  if (vs.length === 0) throw usage(`"${op}" needs at least one value`);
  return make(`${attr(a)} ${op} (${vs.map((v) => value(v)).join(",")})`);
}

function join(op: "AND" | "OR", parts: readonly Query[]): Query {
  if (parts.length === 0) throw usage(`${op} of nothing`);
  for (const p of parts) if (!isQuery(p)) throw usage(`${op} accepts only queries built with q`);
  if (parts.length === 1) return parts[0]!;
  return make(parts.map((p) => `(${p.toString()})`).join(` ${op} `));
}

/** The query builder. */
export const q = {
  eq: (a: string, v: QueryValue): Query => cmp("=", a, v),
  ne: (a: string, v: QueryValue): Query => cmp("!=", a, v),
  lt: (a: string, v: QueryValue): Query => cmp("<", a, v),
  le: (a: string, v: QueryValue): Query => cmp("<=", a, v),
  gt: (a: string, v: QueryValue): Query => cmp(">", a, v),
  ge: (a: string, v: QueryValue): Query => cmp(">=", a, v),
  /** Equality with `*` wildcards allowed in the value. */
  like: (a: string, pattern: string): Query => cmp("=", a, pattern, true),
  in: (a: string, vs: readonly QueryValue[]): Query => list("in", a, vs),
  notIn: (a: string, vs: readonly QueryValue[]): Query => list("not in", a, vs),
  contains: (a: string, v: string): Query => make(`${attr(a)} contains ${value(v, true)}`),
  notContains: (a: string, v: string): Query => make(`${attr(a)} not contains ${value(v, true)}`),
  matches: (a: string, regex: string): Query => make(`${attr(a)} matches ${value(regex, true)}`),
  and: (...parts: Query[]): Query => join("AND", parts),
  or: (...parts: Query[]): Query => join("OR", parts),
  /** A reference value `kind:id`, e.g. `q.ref("user", id)`; the id must be a plain identifier. */
  ref: (kind: string, id: string): RefValue => {
    if (!REF_KIND_RE.test(kind) || !REF_ID_RE.test(id)) throw usage("invalid reference value");
    return { ref: `${kind}:${id}` };
  },
  /** Trusted constant expression text. Never pass user input. */
  raw: (text: string): Query => {
    if (CONTROL_RE.test(text)) throw usage("query text may not contain control characters");
    return make(text);
  },
};

/**
 * Splits a rendered literal back into its value (the inverse of {@link quote}); used by the property tests and
 * as a reference for servers.
 */
export function unquote(literal: string): string {
  const c = literal[0];
  if ((c === '"' || c === "'") && literal.length >= 2 && literal.endsWith(c)) return literal.slice(1, -1);
  return literal;
}

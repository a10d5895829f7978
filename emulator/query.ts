/**
 * The accsyn query language (wire §5): the expression after WHERE.
 *
 *   expr       := orExpr
 *   orExpr     := andExpr ("OR" andExpr)*
 *   andExpr    := primary ("AND" primary)*
 *   primary    := "(" orExpr ")" | comparison
 *   comparison := attr op value
 *               | attr ["NOT"] "IN" list
 *               | attr ["NOT"] ("CONTAINS" | "MATCHES") value
 *   op         := "=" | "!=" | "<>" | "<" | ">" | "<=" | ">="
 *   list       := "(" value ("," value)* ")" | value ("," value)*
 *   value      := bare | "double quoted" | 'single quoted'
 *
 * Keywords and values compare case-insensitively (the official client lower-cases
 * the whole expression); `*` in a value is a wildcard for `=`/`!=`/`in`.
 *
 * Every query costs time linear in what it is matched against: parentheses
 * nest at most MAX_QUERY_DEPTH deep, a query holds at most MAX_COMPARISONS
 * comparisons, wildcards and `matches` (RE2) never backtrack, and AND/OR
 * chains are evaluated without recursion.
 */
import { BadRequestError } from "./errors";
import { type Pattern, compileRegex, globMatch } from "./patterns";

export type Op = "=" | "!=" | "<" | ">" | "<=" | ">=" | "in" | "contains" | "matches";

export type QueryNode =
  | { kind: "and" | "or"; left: QueryNode; right: QueryNode }
  | { kind: "cmp"; attr: string; op: Op; negate: boolean; values: string[] };

export class QuerySyntaxError extends BadRequestError {
  constructor(query: string, pos: number, expected: string) {
    const near = query.slice(pos, pos + 20);
    super(
      `Malformed query "${query}" at position ${pos}${near ? ` near '${near}'` : " (end of query)"}: expected ${expected}`,
    );
  }
}

const ATTR_RE = /^[A-Za-z_][A-Za-z0-9_.]*/;

export const MAX_QUERY_DEPTH = 32;
export const MAX_COMPARISONS = 1000;

type Cmp = Extract<QueryNode, { kind: "cmp" }>;

/** What a comparison is matched with, prepared once per query rather than once per document. */
interface Prepared {
  exact: Set<string>;
  globs: string[];
  regex?: Pattern;
}

const prepared = new WeakMap<Cmp, Prepared>();

/** Compiles a `matches` pattern, so a bad one is a 400 even when no document is looked at. */
function prepare(node: Cmp): Prepared {
  const values = node.values.map((v) => v.toLowerCase());
  const p: Prepared = {
    exact: new Set(values.filter((v) => !v.includes("*"))),
    globs: values.filter((v) => v.includes("*")),
    regex: node.op === "matches" ? compileRegex(node.values[0]) : undefined,
  };
  prepared.set(node, p);
  return p;
}

class Parser {
  private pos = 0;
  private depth = 0;
  private comparisons = 0;
  constructor(private readonly src: string) {}

  parse(): QueryNode {
    const node = this.orExpr();
    this.ws();
    if (this.pos < this.src.length) throw this.err("AND, OR or end of query");
    return node;
  }

  private err(expected: string): QuerySyntaxError {
    return new QuerySyntaxError(this.src, this.pos, expected);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  /** Consume a keyword (case-insensitive) followed by a non-word character. */
  private keyword(word: string): boolean {
    this.ws();
    const slice = this.src.slice(this.pos, this.pos + word.length);
    if (slice.toLowerCase() !== word) return false;
    const next = this.src[this.pos + word.length];
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) return false;
    this.pos += word.length;
    return true;
  }

  private orExpr(): QueryNode {
    let left = this.andExpr();
    while (this.keyword("or")) left = { kind: "or", left, right: this.andExpr() };
    return left;
  }

  private andExpr(): QueryNode {
    let left = this.primary();
    while (this.keyword("and")) left = { kind: "and", left, right: this.primary() };
    return left;
  }

  private primary(): QueryNode {
    this.ws();
    if (this.src[this.pos] === "(") {
      if (++this.depth > MAX_QUERY_DEPTH)
        throw new BadRequestError(`The query nests parentheses deeper than ${MAX_QUERY_DEPTH} levels`);
      this.pos++;
      const node = this.orExpr();
      this.depth--;
      this.ws();
      if (this.src[this.pos] !== ")") throw this.err("')'");
      this.pos++;
      return node;
    }
    return this.comparison();
  }

  private comparison(): QueryNode {
    if (++this.comparisons > MAX_COMPARISONS)
      throw new BadRequestError(`The query holds more than ${MAX_COMPARISONS} comparisons`);
    const node = this.bareComparison();
    prepare(node);
    return node;
  }

  private bareComparison(): Cmp {
    this.ws();
    const m = ATTR_RE.exec(this.src.slice(this.pos));
    if (!m) throw this.err("an attribute name or '('");
    const attr = m[0].toLowerCase();
    this.pos += m[0].length;
    this.ws();
    for (const op of ["!=", "<>", "<=", ">=", "=", "<", ">"]) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        const value = this.value(false);
        const norm: Op = op === "<>" || op === "!=" ? "=" : (op as Op);
        return { kind: "cmp", attr, op: norm, negate: op === "!=" || op === "<>", values: [value] };
      }
    }
    const negate = this.keyword("not");
    if (this.keyword("in")) return { kind: "cmp", attr, op: "in", negate, values: this.list() };
    if (this.keyword("contains"))
      return { kind: "cmp", attr, op: "contains", negate, values: [this.value(false)] };
    if (this.keyword("matches"))
      return { kind: "cmp", attr, op: "matches", negate, values: [this.value(false)] };
    throw this.err(
      negate ? "IN, CONTAINS or MATCHES after NOT" : "an operator (= != <> < > <= >= in contains matches)",
    );
  }

  private list(): string[] {
    this.ws();
    const paren = this.src[this.pos] === "(";
    if (paren) this.pos++;
    const values = [this.value(true)];
    for (;;) {
      this.ws();
      if (this.src[this.pos] !== ",") break;
      this.pos++;
      values.push(this.value(true));
    }
    if (paren) {
      this.ws();
      if (this.src[this.pos] !== ")") throw this.err("',' or ')' closing the IN list");
      this.pos++;
    }
    return values;
  }

  private value(inList: boolean): string {
    this.ws();
    const q = this.src[this.pos];
    if (q === '"' || q === "'") {
      const end = this.src.indexOf(q, this.pos + 1);
      if (end < 0) throw this.err(`a closing ${q}`);
      const v = this.src.slice(this.pos + 1, end);
      this.pos = end + 1;
      return v.trim();
    }
    const start = this.pos;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (/\s/.test(c) || c === ")" || c === "(" || (inList && c === ",")) break;
      this.pos++;
    }
    if (this.pos === start) throw this.err("a value");
    return this.src.slice(start, this.pos);
  }
}

/** Parse a query expression; an empty/blank expression yields `undefined` (match all). */
export function parseQuery(query: string | null | undefined): QueryNode | undefined {
  if (query === null || query === undefined) return undefined;
  if (typeof query !== "string") throw new BadRequestError("The query must be a string");
  const trimmed = query.trim();
  if (!trimmed) return undefined;
  return new Parser(trimmed).parse();
}

/**
 * What a document offers for an attribute: every representation that should
 * match (an id, the code/e-mail it refers to, ...). Booleans, numbers and null
 * are given as their JSON text.
 */
export type Candidates = (attr: string) => unknown[];

function flatten(v: unknown): string[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (v === null) return ["null", "none"];
  if (typeof v === "object") return [JSON.stringify(v).toLowerCase()];
  return [String(v).toLowerCase()];
}

function cmpEq(cand: string, p: Prepared): boolean {
  return p.exact.has(cand) || p.globs.some((g) => globMatch(g, cand));
}

function cmpOrder(cand: string, value: string, op: Op): boolean {
  const a = Number(cand);
  const b = Number(value);
  const numeric = cand !== "" && value !== "" && !Number.isNaN(a) && !Number.isNaN(b);
  const c = numeric ? Math.sign(a - b) : cand < value.toLowerCase() ? -1 : cand > value.toLowerCase() ? 1 : 0;
  switch (op) {
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    default:
      return c >= 0;
  }
}

function positive(node: Cmp, cands: string[]): boolean {
  // Nodes built by hand (not by parseQuery) are prepared on first use.
  const p = prepared.get(node) ?? prepare(node);
  switch (node.op) {
    case "=":
    case "in":
      return cands.some((c) => cmpEq(c, p));
    case "contains":
      return cands.some((c) => c.includes(node.values[0].toLowerCase()));
    case "matches":
      return cands.some((c) => (p.regex as Pattern).test(c));
    default:
      return cands.some((c) => cmpOrder(c, node.values[0], node.op));
  }
}

function compare(node: Cmp, candidates: Candidates): boolean {
  const hit = positive(node, flatten(candidates(node.attr)));
  return node.negate ? !hit : hit;
}

/**
 * Evaluate a parsed query against a document's candidate values. The parser
 * builds AND/OR chains leaning left, as deep as the query is long, so a chain
 * is walked in a loop; only parentheses (at most MAX_QUERY_DEPTH) recurse.
 */
export function evaluate(node: QueryNode | undefined, candidates: Candidates): boolean {
  if (!node) return true;
  if (node.kind === "cmp") return compare(node, candidates);
  const operands: QueryNode[] = [];
  let cur: QueryNode = node;
  while (cur.kind === node.kind) {
    operands.push(cur.right);
    cur = cur.left;
  }
  operands.push(cur);
  operands.reverse();
  return node.kind === "and"
    ? operands.every((n) => evaluate(n, candidates))
    : operands.some((n) => evaluate(n, candidates));
}

/** Look a dotted attribute up in a plain document (`a.b.c`); `x.id` on a string id yields the id. */
export function lookup(doc: Record<string, unknown>, attr: string): unknown {
  const parts = attr.split(".");
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur === "string" && parts[i] === "id" && i === parts.length - 1) return cur;
    if (typeof cur !== "object") return undefined;
    const obj = cur as Record<string, unknown>;
    const key = Object.keys(obj).find((k) => k.toLowerCase() === parts[i]);
    cur = key === undefined ? undefined : obj[key];
  }
  return cur;
}

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
 */
import { BadRequestError } from "./errors";

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

class Parser {
  private pos = 0;
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
      this.pos++;
      const node = this.orExpr();
      this.ws();
      if (this.src[this.pos] !== ")") throw this.err("')'");
      this.pos++;
      return node;
    }
    return this.comparison();
  }

  private comparison(): QueryNode {
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

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${esc}$`, "s");
}

function cmpEq(cand: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v.includes("*")) return globToRegExp(v).test(cand);
  return cand === v;
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

function positive(node: Extract<QueryNode, { kind: "cmp" }>, cands: string[]): boolean {
  switch (node.op) {
    case "=":
      return cands.some((c) => cmpEq(c, node.values[0]));
    case "in":
      return cands.some((c) => node.values.some((v) => cmpEq(c, v)));
    case "contains":
      return cands.some((c) => c.includes(node.values[0].toLowerCase()));
    case "matches": {
      let re: RegExp;
      try {
        re = new RegExp(node.values[0], "i");
      } catch (e) {
        throw new BadRequestError(`Invalid regular expression '${node.values[0]}': ${(e as Error).message}`);
      }
      return cands.some((c) => re.test(c));
    }
    default:
      return cands.some((c) => cmpOrder(c, node.values[0], node.op));
  }
}

/** Evaluate a parsed query against a document's candidate values. */
export function evaluate(node: QueryNode | undefined, candidates: Candidates): boolean {
  if (!node) return true;
  if (node.kind !== "cmp")
    return node.kind === "and"
      ? evaluate(node.left, candidates) && evaluate(node.right, candidates)
      : evaluate(node.left, candidates) || evaluate(node.right, candidates);
  const cands = flatten(candidates(node.attr));
  const hit = positive(node, cands);
  return node.negate ? !hit : hit;
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

/**
 * The TypeScript program: one `new accsyn.<Kind>(name, {...})` per resource, in plan order, each
 * under a `// id <id>` comment; a resource another one refers to is held in a `const` and passed
 * as the object itself.
 */
import { headerLines } from "./header";
import { type ExportPlan, type ExportResource, Ref, type Value } from "./model";
import { referencesOf } from "./props";

const INDENT = "  ";
/** Longest value kept on one line (prettier's default width, less the indentation). */
const INLINE_MAX = 72;

function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k);
}

function isComposite(v: Value): v is readonly Value[] | { readonly [k: string]: Value } {
  return v !== null && typeof v === "object" && !(v instanceof Ref);
}

function inline(v: Value): string {
  if (v instanceof Ref) return v.target.ident;
  if (Array.isArray(v)) return `[${(v as readonly Value[]).map(inline).join(", ")}]`;
  if (isComposite(v)) {
    const entries = Object.entries(v as Record<string, Value>);
    return entries.length === 0
      ? "{}"
      : `{ ${entries.map(([k, x]) => `${key(k)}: ${inline(x)}`).join(", ")} }`;
  }
  return JSON.stringify(v);
}

/** A value at `depth`: on one line when short, else one entry per line with trailing commas. */
export function tsValue(v: Value, depth: number): string {
  const one = inline(v);
  // Like prettier: short values stay on one line, but never a list of several objects.
  const objects = Array.isArray(v) ? (v as readonly Value[]).filter(isComposite).length : 0;
  if (!isComposite(v) || (one.length <= INLINE_MAX && objects < 2)) return one;
  const pad = INDENT.repeat(depth + 1);
  const lines = Array.isArray(v)
    ? (v as readonly Value[]).map((x) => `${pad}${tsValue(x, depth + 1)},`)
    : Object.entries(v as Record<string, Value>).map(
        ([k, x]) => `${pad}${key(k)}: ${tsValue(x, depth + 1)},`,
      );
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.join("\n")}\n${INDENT.repeat(depth)}${close}`;
}

function resource(r: ExportResource, referenced: boolean): string {
  const args = Object.entries(r.props).map(([k, v]) => `${INDENT}${key(k)}: ${tsValue(v, 1)},`);
  const lead = referenced ? `const ${r.ident} = ` : "";
  const comments = [...(r.note !== undefined ? [`// ${r.note}`] : []), `// id ${r.id}`];
  return [...comments, `${lead}new accsyn.${r.kind}(${JSON.stringify(r.name)}, {`, ...args, "});"].join("\n");
}

export function emitTypeScript(plan: ExportPlan): string {
  const referenced = new Set(plan.resources.flatMap(referencesOf));
  const head = [...headerLines(plan).map((l) => `// ${l}`), 'import * as accsyn from "pulumi-accsyn";'];
  return [head.join("\n"), ...plan.resources.map((r) => resource(r, referenced.has(r)))].join("\n\n") + "\n";
}

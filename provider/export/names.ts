/**
 * Resource names: readable (derived from codes and e-mails), stable (the same workspace gives the
 * same names) and unique across the program, as Pulumi resource names and as TypeScript variables.
 * A collision takes the resource's next candidate, then a numbered suffix, in a fixed order (kind
 * order, then candidate, then id), so it is decided the same way every time.
 */
import type { ExportResource } from "./model";

/** A name part from a code or e-mail part: lower case, letters, digits, `_` and `-`. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
}

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN " +
    "Infinity accsyn pulumi require module exports"
  ).split(" "),
);

/** The TypeScript variable for a resource name: camelCase, never a reserved word. */
export function identifier(name: string): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p !== "");
  const camel = parts
    .map((p, i) =>
      i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1),
    )
    .join("");
  const safe = camel === "" ? "resource" : /^[0-9]/.test(camel) ? `_${camel}` : camel;
  return RESERVED.has(safe) ? `${safe}_` : safe;
}

/**
 * Names every resource in place, group after group (the kinds in registry order): a resource's
 * candidates may read the names of earlier groups (a Grant's from its share's). Within a group the
 * resources are named in the order of their first candidate, then id.
 */
export function assignNames(groups: readonly (readonly ExportResource[])[]): void {
  const names = new Set<string>();
  const idents = new Set<string>();
  const free = (name: string): boolean => name !== "" && !names.has(name) && !idents.has(identifier(name));
  for (const group of groups) {
    const order = group
      .map((r) => ({ r, candidates: r.candidates(r).filter((c) => c !== "") }))
      .sort((a, b) => compare(a.candidates[0] ?? "", b.candidates[0] ?? "") || compare(a.r.id, b.r.id));
    for (const { r, candidates } of order) {
      const base = candidates[0] ?? r.kind.toLowerCase();
      let name = candidates.find(free);
      for (let n = 2; name === undefined; n++) if (free(`${base}-${n}`)) name = `${base}-${n}`;
      names.add(name);
      idents.add(identifier(name));
      r.name = name;
      r.ident = identifier(name);
    }
  }
}

/** Code-point order: the same on every machine and locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

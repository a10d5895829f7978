import { isDeepStrictEqual } from "node:util";

export interface FieldDiff {
  changed: string[];
  replaces: string[];
}

/**
 * The one place that decides update versus replace. A field counts as changed when the declared
 * value differs from the live one (or, without a live read, from the last applied one); a field
 * the program leaves unset is not managed and never shows as a change. Identity fields replace,
 * and are compared with the last applied inputs, since that is what identifies the entity.
 */
export function diffFields(
  managed: readonly string[],
  replaceOn: readonly string[],
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  live: Record<string, unknown> | undefined,
  clearable: readonly string[] = [],
): FieldDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const field of managed) {
    const want = news[field];
    if (want === undefined) {
      // Removing a clearable field that this program had set clears it in accsyn.
      if (clearable.includes(field) && olds[field] !== undefined) changed.push(field);
      continue;
    }
    const base = replaceOn.includes(field) ? olds[field] : live ? live[field] : olds[field];
    if (!sameValue(want, base)) {
      changed.push(field);
      if (replaceOn.includes(field)) replaces.push(field);
    }
  }
  return { changed, replaces };
}

/** Equality as accsyn sees it: undefined and empty strings, objects and lists are the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a), normalize(b));
}

function normalize(v: unknown): unknown {
  if (v === null || v === undefined || v === "") return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(normalize);
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => [k, normalize(x)] as const)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return v;
}

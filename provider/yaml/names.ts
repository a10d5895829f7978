import { nearMatches } from "../runtime/near";

/** A reference: `${name}` as the whole string value. */
const REFERENCE = /^\$\{([^}]*)\}$/;

/** The resource name a whole-value reference names, or undefined when `value` is no reference. */
export function referenceIn(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return REFERENCE.exec(value.trim())?.[1]?.trim();
}

/** A `${` inside a longer string: a reference that is not the whole value. */
export function embedsReference(value: unknown): boolean {
  return typeof value === "string" && referenceIn(value) === undefined && value.includes("${");
}

/** "did you mean 'a' or 'b'?" for the near matches of `value`, else the fallback. */
export function didYouMean(
  value: string,
  candidates: readonly string[],
  fallback: string,
  show: (c: string) => string = (c) => `'${c}'`,
): string {
  // A one- or two-letter name "contained" in a longer one is no suggestion.
  const near = nearMatches(value, candidates).filter((c) => c.length >= Math.min(3, value.length));
  if (near.length > 0) return `did you mean ${near.map(show).join(" or ")}?`;
  return fallback;
}

/** Up to `max` names as `'a', 'b', ...` (for fixes that list what is allowed). */
export function listed(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => `'${n}'`);
  return names.length > max ? `${shown.join(", ")}, ...` : shown.join(", ");
}

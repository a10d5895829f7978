import { SECRET_SIG, UNKNOWN } from "./preview";

/** How a masked value reads; the length and content of a secret are never shown. */
export const MASK = "[secret]";
export const KNOWN_AFTER_APPLY = "(known after apply)";

/** True when Pulumi marked the value secret (as `[secret]` in previews, or with the secret signature). */
export function isSecretValue(v: unknown): boolean {
  if (v === MASK) return true;
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] !== undefined;
}

/** The value with every secret inside it (at any depth) replaced by the mask. */
export function masked(v: unknown): unknown {
  if (isSecretValue(v)) return MASK;
  if (Array.isArray(v)) return v.map(masked);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, masked(x)]));
  }
  return v;
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** One value as inline Markdown code; long values are shortened in the middle, never mid-table. */
export function show(v: unknown, max = 160): string {
  if (v === undefined || v === null || v === "") return "_unset_";
  if (isUnknown(v)) return `_${KNOWN_AFTER_APPLY}_`;
  const text = JSON.stringify(masked(v), replaceUnknown);
  const short = text.length > max ? `${text.slice(0, max - 12)} … ${text.slice(-8)}` : text;
  // Inline code cannot hold a backtick or a table's pipe; neither occurs in accsyn values often.
  return "`" + short.replace(/`/g, "'").replace(/\|/g, "\\|") + "`";
}

function replaceUnknown(_k: string, v: unknown): unknown {
  return isUnknown(v) ? KNOWN_AFTER_APPLY : v;
}

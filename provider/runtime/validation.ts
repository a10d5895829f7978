import { z } from "zod";
import { nearMatches } from "./near";
import { UNKNOWN } from "./unknown";

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * Turns zod issues into the engine's check failures, each naming the field, the problem and the fix.
 * `fieldNames` (the kind's own fields) lets an unknown top-level field be answered with the one it
 * most likely misspells.
 */
export function toFailures(
  kind: string,
  error: z.ZodError,
  resourceName?: string,
  fieldNames: readonly string[] = [],
): CheckFailure[] {
  const who = resourceName !== undefined ? `accsyn ${kind} '${resourceName}'` : `accsyn ${kind}`;
  return error.issues.flatMap((issue) => {
    const property = issue.path.join(".") || "(inputs)";
    // zod reports every unknown key of an object as one issue on the object; each is a field of its
    // own to the person reading the preview, so each gets its own failure naming it. The property
    // stays the object holding it (the engine shows that property's value beside the reason).
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const name = [...issue.path, key].join(".");
        const near = issue.path.length === 0 ? nearMatches(key, fieldNames) : [];
        const fix =
          near.length > 0
            ? `did you mean ${near.map((n) => `'${n}'`).join(" or ")}? Otherwise remove it`
            : "remove it, or correct its spelling (docs/reference.md lists the fields)";
        return {
          property,
          reason: `${who}: field '${name}': is not a field of ${kind} (unknown or misspelt). Fix: ${fix}`,
        };
      });
    }
    if (issue.code === "invalid_type" && issue.received === "undefined") {
      return { property, reason: `${who}: field '${property}' is required. Fix: give it a value` };
    }
    const own = issue.code === "custom" ? (issue.params as { fix?: unknown } | undefined)?.fix : undefined;
    const fix = typeof own === "string" ? own : (FIXES[issue.code] ?? "see the field in docs/reference.md");
    return { property, reason: `${who}: field '${property}': ${issue.message}. Fix: ${fix}` };
  });
}

const FIXES: Partial<Record<z.ZodIssueCode, string>> = {
  invalid_type: "give a value of the expected type",
  invalid_enum_value: "use one of the allowed values",
  too_small: "give at least the minimum (e.g. a non-empty value)",
  invalid_string: "use the documented format",
};

/**
 * During preview, inputs that depend on resources not created yet arrive as the engine's unknown
 * sentinel. They cannot be validated yet, so they are left out of validation (and re-checked when
 * known) instead of being rejected.
 */
export function withoutUnknowns(news: Record<string, unknown>): {
  known: Record<string, unknown>;
  unknownKeys: string[];
} {
  const known: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [k, v] of Object.entries(news)) {
    if (k === "__provider") continue;
    if (containsUnknown(v)) unknownKeys.push(k);
    else known[k] = v;
  }
  return { known, unknownKeys };
}

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

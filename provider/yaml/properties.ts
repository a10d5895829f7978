import type { z } from "zod";
import type { Field } from "../kinds/kind";
import { type AnyKind, kindNamed } from "../kinds/registry";
import { didYouMean, embedsReference, listed, referenceIn } from "./names";
import { type Source, type YamlPath, entries, valueAt } from "./source";

/** A `${name}` in a property: which field (and list index) it fills and which resource it names. */
export interface Reference {
  readonly field: string;
  readonly index?: number;
  readonly target: string;
}

export interface CheckedProperties {
  /** The properties as written (references still `${name}` strings). */
  readonly values: Record<string, unknown>;
  readonly refs: Reference[];
}

/** The fields a program may set (the internal ones are the resource class's). */
export function publicFields(kind: AnyKind): [string, Field][] {
  return Object.entries(kind.fields as Record<string, Field>).filter(([, f]) => f.change !== "internal");
}

/** The resource kinds (not User or Server) a reference field can name by `${name}`. */
export function resourceTargets(f: Field): string[] {
  return (f.ref ?? []).filter((r) => kindNamed(r) !== undefined);
}

const FIXES: Partial<Record<string, string>> = {
  invalid_type: "give a value of the expected type",
  invalid_enum_value: "use one of the allowed values",
  too_small: "give at least the minimum (e.g. a non-empty value)",
  invalid_string: "use the documented format",
};

interface Context {
  readonly src: Source;
  readonly resource: string;
  readonly kind: AnyKind;
  /** Every resource name of the file with its kind name (undefined when its kind is unknown). */
  readonly kinds: ReadonlyMap<string, string | undefined>;
  readonly path: YamlPath;
}

/**
 * Checks a resource's `properties` with its kind's own zod schema (the same one the provider's
 * `check` runs), after checking each `${name}` reference against the file's resources. Every
 * finding is reported to the source with its position.
 */
export function checkProperties(ctx: Context): CheckedProperties {
  const { src, kind, path } = ctx;
  const fields = new Map(publicFields(kind));
  const values: Record<string, unknown> = {};
  const refs: Reference[] = [];
  const report = (at: YamlPath, field: string, problem: string, fix: string, key?: string) =>
    src.report(at, { resource: ctx.resource, kind: kind.name, field, problem, fix }, key);

  for (const [key, at] of entries(src, path) ?? []) {
    const f = fields.get(key);
    if (!f) {
      const fix = didYouMean(
        key,
        [...fields.keys()],
        `remove it; ${kind.name} takes ${listed([...fields.keys()])}`,
      );
      report(path, key, `unknown property of ${kind.name}`, fix, key);
      continue;
    }
    const value = valueAt(src, at);
    values[key] = value;
    const list = Array.isArray(value) ? (value as unknown[]) : undefined;
    const items = list ?? [value];
    items.forEach((item, i) => {
      const ref = checkReference(ctx, key, f, item, list ? [...at, i] : at);
      if (ref !== undefined)
        refs.push(list ? { field: key, index: i, target: ref } : { field: key, target: ref });
    });
  }

  const candidate = { ...values };
  for (const r of refs) {
    const f = fields.get(r.field);
    const targetKind = ctx.kinds.get(r.target);
    if (!f?.kindField || targetKind === undefined) continue;
    const given = candidate[f.kindField];
    if (given !== undefined && given !== targetKind) {
      report(
        [...path, f.kindField],
        f.kindField,
        `is '${String(given)}' but '\${${r.target}}' is a ${targetKind}`,
        `remove '${f.kindField}' (a reference sets it)`,
      );
    }
    candidate[f.kindField] = targetKind;
  }

  const parsed = kind.schema.safeParse(candidate);
  if (!parsed.success) for (const issue of parsed.error.issues) reportIssue(ctx, fields, issue);
  return { values, refs };
}

/** Checks one string of a field for a reference; returns the resource it names when valid. */
function checkReference(
  ctx: Context,
  key: string,
  f: Field,
  value: unknown,
  at: YamlPath,
): string | undefined {
  const report = (problem: string, fix: string) =>
    ctx.src.report(at, { resource: ctx.resource, kind: ctx.kind.name, field: key, problem, fix });
  const targets = resourceTargets(f);
  const name = referenceIn(value);
  if (name === undefined) {
    if (embedsReference(value) && targets.length > 0)
      report(
        "a reference must be the whole value",
        `write only '\${<resource name>}', e.g. '\${${[...ctx.kinds.keys()][0] ?? "projects"}}'`,
      );
    return undefined;
  }
  if (targets.length === 0) {
    const what = f.ref ? `a ${f.ref.join(" or ")} id or code` : "the value itself";
    report(`does not take a reference to a resource`, `give ${what}`);
    return undefined;
  }
  if (name === ctx.resource) {
    report(`'\${${name}}' refers to the resource itself`, `name another ${targets.join(" or ")} resource`);
    return undefined;
  }
  if (!ctx.kinds.has(name)) {
    const fix = didYouMean(
      name,
      [...ctx.kinds.keys()],
      `declare a resource '${name}' under 'resources', or give a ${targets.join(" or ")} id or code`,
      (c) => `'\${${c}}'`,
    );
    report(`'\${${name}}' names no resource in this file`, fix);
    return undefined;
  }
  const targetKind = ctx.kinds.get(name);
  if (targetKind !== undefined && !targets.includes(targetKind)) {
    report(
      `takes a ${targets.join(" or ")}, but '\${${name}}' is a ${targetKind}`,
      `name a ${targets.join(" or ")} resource`,
    );
    return undefined;
  }
  return name;
}

function reportIssue(ctx: Context, fields: Map<string, Field>, issue: z.ZodIssue): void {
  const at = [...ctx.path, ...issue.path];
  const field = issue.path.join(".") || undefined;
  const report = (problem: string, fix: string, where: YamlPath = at, key?: string, name = field) =>
    ctx.src.report(
      where,
      {
        resource: ctx.resource,
        kind: ctx.kind.name,
        ...(name !== undefined ? { field: name } : {}),
        problem,
        fix,
      },
      key,
    );

  if (issue.code === "invalid_type" && issue.received === "undefined") {
    const f = fields.get(String(issue.path[0]));
    const first = f?.doc.split(". ")[0]?.replace(/\.$/, "");
    const hint = first ? `: ${first.charAt(0).toLowerCase()}${first.slice(1)}` : "";
    report(`is required${hint}`, `add '${field ?? "it"}' under properties`);
    return;
  }
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(fields.get(String(issue.path[0]))?.items ?? {});
    for (const key of issue.keys) {
      const fix = didYouMean(
        key,
        known,
        known.length > 0 ? `remove it; allowed: ${listed(known)}` : "remove it",
      );
      report(`unknown entry '${key}'`, fix, at, key, [...issue.path, key].join("."));
    }
    return;
  }
  if (issue.code === "invalid_type") {
    report(
      `must be ${article(issue.expected)}, not ${article(issue.received)}`,
      typeFix(issue.expected, valueAt(ctx.src, at)),
    );
    return;
  }
  if (issue.code === "invalid_enum_value") {
    const options = issue.options.map(String);
    const fix = didYouMean(String(issue.received), options, `use one of ${listed(options)}`);
    report(`'${String(issue.received)}' is not allowed`, fix);
    return;
  }
  const own = issue.code === "custom" ? (issue.params as { fix?: unknown } | undefined)?.fix : undefined;
  const fix = typeof own === "string" ? own : (FIXES[issue.code] ?? "see the field in docs/reference.md");
  report(issue.message.replace(/\.$/, ""), fix);
}

/** YAML's own readings behind most type mistakes: `yes` is text, an unquoted `2024` a number. */
function typeFix(expected: string, value: unknown): string {
  if (expected === "boolean" && typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value)) {
    return `write true or false (YAML 1.2 reads '${value}' as text)`;
  }
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean")) {
    return `quote it, "${String(value)}" (unquoted, YAML reads it as a ${typeof value})`;
  }
  return `give ${article(expected)}`;
}

function article(type: string): string {
  if (type === "array") return "a list";
  if (type === "object") return "a map";
  if (type === "null") return "empty (null)";
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

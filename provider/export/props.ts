/**
 * Turns the values read for an entity into the properties a program declares, using only the
 * kind's own definition: fields the kind does not have are a bug here, internal and secret fields
 * are never written, a value equal to the schema's default is left out, and the result must pass
 * the kind's schema (as `pulumi preview` would check it).
 */
import { isDeepStrictEqual } from "node:util";
import type { AnyKind } from "../kinds/registry";
import { type ExportResource, Ref, type Value } from "./model";

/** What the schema fills in when the field is left out, or undefined. */
function schemaDefault(kind: AnyKind, field: string): unknown {
  const f = kind.fields[field];
  const parsed = f?.schema.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/**
 * The declared properties, in the given order with `adopt` last; undefined values and values equal
 * to the field's default are left out.
 */
export function declared(
  kind: AnyKind,
  values: Readonly<Record<string, Value | undefined>>,
): Record<string, Value> {
  const out: Record<string, Value> = {};
  const keys = [...Object.keys(values).filter((k) => k !== "adopt"), ...("adopt" in values ? ["adopt"] : [])];
  for (const key of keys) {
    const f = kind.fields[key];
    if (f === undefined) throw new Error(`accsyn-export: ${kind.name} has no field '${key}'`);
    const v = values[key];
    if (v === undefined || f.change === "internal" || f.secret === true) continue;
    if (!(v instanceof Ref) && isDeepStrictEqual(v, schemaDefault(kind, key))) continue;
    out[key] = v;
  }
  return out;
}

/** A reference as the engine hands it to the provider: the target's id. */
function resolved(v: Value): unknown {
  if (v instanceof Ref) return v.target.id;
  if (Array.isArray(v)) return v.map(resolved);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v as Record<string, Value>).map(([k, x]) => [k, resolved(x)]));
  }
  return v;
}

/**
 * Why the kind's schema refuses the properties (undefined when it accepts them): each problem as
 * `field: message`. References count as their target's id, and fill the field the kind names
 * (a Grant's `shareType`), as the resource class does.
 */
export function refusal(kind: AnyKind, props: Readonly<Record<string, Value>>): string | undefined {
  const input: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(props)) {
    input[key] = resolved(v);
    const kindField = kind.fields[key]?.kindField;
    if (v instanceof Ref && kindField !== undefined) input[kindField] = v.target.kind;
  }
  const parsed = kind.schema.safeParse(input);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((i) => `${i.path.join(".") || "(resource)"}: ${i.message}`).join("; ");
}

/** The resources a resource refers to. */
export function referencesOf(r: ExportResource): ExportResource[] {
  const out: ExportResource[] = [];
  const walk = (v: Value): void => {
    if (v instanceof Ref) out.push(v.target);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v as Record<string, Value>).forEach(walk);
  };
  Object.values(r.props).forEach(walk);
  return out;
}

/**
 * The resource reference (docs/reference.md), generated from the registry so it cannot go stale:
 * `node provider/dist/docs/reference.js docs/reference.md` rewrites it, and a test fails when the
 * checked-in file differs from what the registry says.
 */
import * as fs from "node:fs";
import { z } from "zod";
import type { Field, Kind, UnmanagedTarget } from "../kinds/kind";
import { KINDS } from "../kinds/registry";

/** The schema a field's value is checked against, without optional/default/refinement wrappers. */
export function inner(s: z.ZodTypeAny): z.ZodTypeAny {
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return inner(s.unwrap());
  if (s instanceof z.ZodDefault) return inner(s.removeDefault());
  if (s instanceof z.ZodEffects) return inner(s.innerType());
  return s;
}

function typeOf(s: z.ZodTypeAny): string {
  const t = inner(s);
  if (t instanceof z.ZodString) return "string";
  if (t instanceof z.ZodBoolean) return "boolean";
  if (t instanceof z.ZodNumber) return "number";
  if (t instanceof z.ZodEnum) return (t.options as string[]).map((o) => `\`"${o}"\``).join(" | ");
  if (t instanceof z.ZodArray) return `${typeOf(t.element)}[]`;
  if (t instanceof z.ZodRecord) return "object (any keys)";
  if (t instanceof z.ZodObject) return "object";
  return "value";
}

const CHANGE: Record<Field["change"], string> = {
  update: "updates in place",
  replace: "**replaces**",
  "write-only": "sent with writes, not compared",
  provider: "state only (no API call)",
  internal: "",
};

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function filledByReference(kind: Kind): Set<string> {
  return new Set(Object.values(kind.fields).flatMap((f) => (f.kindField ? [f.kindField] : [])));
}

const UNMANAGED: readonly string[] = ["User", "Server"] satisfies UnmanagedTarget[];

function fieldType(f: Field): string {
  if (!f.ref) return typeOf(f.schema);
  const list = inner(f.schema) instanceof z.ZodArray;
  const managed = f.ref.filter((r) => !UNMANAGED.includes(r));
  const key = f.ref.includes("User") ? "e-mail" : "code";
  const what =
    managed.length > 0
      ? `${managed.join(" / ")} resource, or its id or ${key}`
      : `${f.ref.join(" / ")} id or ${key}`;
  return list ? `list of ${what}` : what;
}

/** The deletion policies a kind allows, its default marked (empty when it has none). */
export function deletionPolicies(kind: Kind): string {
  const f = kind.fields.deletionPolicy;
  if (!f) return "";
  const options =
    inner(f.schema) instanceof z.ZodEnum
      ? ((inner(f.schema) as z.ZodEnum<[string]>).options as string[])
      : [];
  return options.map((o) => (o === f.default ? `\`${o}\` (default)` : `\`${o}\``)).join(" / ");
}

/** The natural key's alternatives, in order (`code, else volume + path`). */
export function naturalKey(kind: Kind): string {
  return kind.naturalKey.map((alt) => alt.join(" + ")).join(", else ");
}

function summary(kinds: readonly Kind[]): string[] {
  const rows = kinds.map((k) => {
    const replaces = k.replaceOn.length > 0 ? k.replaceOn.map((f) => `\`${f}\``).join(", ") : "nothing";
    return `| [\`${k.name}\`](#${k.name.toLowerCase()}) | ${naturalKey(k)} | ${replaces} | ${deletionPolicies(k)} |`;
  });
  return [
    "| resource | natural key | replaces on | destroy (`deletionPolicy`) |",
    "|---|---|---|---|",
    ...rows,
  ];
}

function section(kind: Kind): string[] {
  const filled = filledByReference(kind);
  const rows = Object.entries(kind.fields)
    .filter(([, f]) => f.change !== "internal")
    .map(([name, f]) => {
      const required = !f.schema.isOptional() && !filled.has(name) ? "yes" : "";
      const extra = [
        f.default !== undefined ? `Default: ${f.default}.` : "",
        f.access ? `Access: ${f.access}.` : "",
      ]
        .filter(Boolean)
        .join(" ");
      return `| \`${name}\` | ${cell(fieldType(f))} | ${required} | ${CHANGE[f.change]} | ${cell(`${f.doc}${extra ? ` ${extra}` : ""}`)} |`;
    });
  const out = [
    `## ${kind.name}`,
    "",
    kind.doc,
    "",
    `Type token \`pulumi-nodejs:dynamic/accsyn:${kind.name}\`. Natural key: ${naturalKey(kind)}.`,
    "",
    "| field | type | required | on change | meaning |",
    "|---|---|---|---|---|",
    ...rows,
  ];
  for (const [name, f] of Object.entries(kind.fields)) {
    if (!f.items) continue;
    out.push("", `\`${name}\` entries:`, "");
    for (const [sub, s] of Object.entries(f.items)) {
      out.push(`- \`${sub}\`: ${s.doc}${s.access ? ` (access: ${s.access})` : ""}`);
    }
  }
  const outputs = Object.entries(kind.outputs);
  if (outputs.length > 0) {
    out.push("", "Outputs besides the inputs:", "");
    for (const [name, doc] of outputs) out.push(`- \`${name}\`: ${doc}`);
  }
  return out;
}

/** The reference as Markdown. */
export function renderReference(kinds: readonly Kind[] = KINDS): string {
  return [
    "# Resource reference",
    "",
    "<!-- Generated from provider/kinds by provider/docs/reference.ts; do not edit by hand. -->",
    "",
    ...summary(kinds),
    "",
    ...kinds.flatMap((k) => [...section(k), ""]),
  ].join("\n");
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: node provider/dist/docs/reference.js <output.md>");
    process.exit(2);
  }
  fs.writeFileSync(target, renderReference());
}

/**
 * The YAML workspace (the format of /examples/yaml-workspace, read by `pulumi-accsyn/yaml`): each
 * resource under its name with `kind`, a `# id <id>` comment and `properties`; a reference is the
 * string `${name}`. Written by hand rather than by a YAML library so that the comments sit where
 * the format puts them and the output is the same bytes for the same workspace.
 */
import { headerLines } from "./header";
import { type ExportPlan, type ExportResource, Ref, type Value } from "./model";

/** Where editors find the JSON Schema of the format, relative to the project directory. */
export const SCHEMA_COMMENT =
  "# yaml-language-server: $schema=./node_modules/pulumi-accsyn/schema/workspace.schema.json";

const INDENT = "  ";

/** Plain scalars YAML 1.1 or 1.2 would read as something other than a string. */
const NOT_A_STRING =
  /^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.inf|\.nan)$/i;

/** A string as a plain scalar when that reads back as the same string, else double-quoted (JSON is valid there). */
export function yamlString(s: string): string {
  const plain =
    /^[A-Za-z0-9_/.$@(=][^\n\r\t]*$/.test(s) &&
    !/[:#]\s|\s#|:$|[{}[\],&*!|>'"%`]/.test(s) &&
    !/\s$/.test(s) &&
    !NOT_A_STRING.test(s);
  return plain ? s : JSON.stringify(s);
}

function scalar(v: Value): string {
  if (v instanceof Ref) return `\${${v.target.name}}`;
  if (typeof v === "string") return yamlString(v);
  return JSON.stringify(v);
}

function isComposite(v: Value): v is readonly Value[] | { readonly [k: string]: Value } {
  return v !== null && typeof v === "object" && !(v instanceof Ref);
}

function yamlKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(k) && !NOT_A_STRING.test(k) ? k : JSON.stringify(k);
}

/** The lines of `key: value` at `depth`, block style. */
function entry(k: string, v: Value, depth: number): string[] {
  const pad = INDENT.repeat(depth);
  if (!isComposite(v)) return [`${pad}${yamlKey(k)}: ${scalar(v)}`];
  const empty = Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0;
  if (empty) return [`${pad}${yamlKey(k)}: ${Array.isArray(v) ? "[]" : "{}"}`];
  return [`${pad}${yamlKey(k)}:`, ...block(v, depth + 1)];
}

function block(v: readonly Value[] | { readonly [k: string]: Value }, depth: number): string[] {
  if (!Array.isArray(v)) {
    return Object.entries(v as Record<string, Value>).flatMap(([k, x]) => entry(k, x, depth));
  }
  const pad = INDENT.repeat(depth);
  return (v as readonly Value[]).flatMap((item) => {
    if (!isComposite(item)) return [`${pad}- ${scalar(item)}`];
    const inner = block(item, depth + 1);
    if (inner.length === 0) return [`${pad}- ${Array.isArray(item) ? "[]" : "{}"}`];
    // The first line of the item goes after the dash.
    return [`${pad}- ${(inner[0] as string).trimStart()}`, ...inner.slice(1)];
  });
}

function resource(r: ExportResource): string[] {
  return [
    ...(r.note !== undefined ? [`  # ${r.note}`] : []),
    `  ${yamlKey(r.name)}:`,
    `    kind: ${r.kind}`,
    `    # id ${r.id}`,
    "    properties:",
    ...block(r.props, 3),
  ];
}

export function emitYaml(plan: ExportPlan): string {
  const lines = [
    SCHEMA_COMMENT,
    ...headerLines(plan).map((l) => `# ${l}`),
    plan.resources.length > 0 ? "resources:" : "resources: {}",
    ...plan.resources.flatMap((r, i) => [...(i > 0 ? [""] : []), ...resource(r)]),
  ];
  return lines.join("\n") + "\n";
}

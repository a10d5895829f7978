/**
 * The JSON Schema of YAML workspace files (provider/schema/workspace.schema.json), generated from
 * each kind's zod fields so editors complete and check exactly what the loader accepts:
 * `node provider/dist/docs/schema.js provider/schema/workspace.schema.json` rewrites it, and a test
 * fails when the checked-in file is stale.
 */
import * as fs from "node:fs";
import * as prettier from "prettier";
import { z } from "zod";
import { zodToJsonSchema } from "zod-to-json-schema";
import type { Field, Kind } from "../kinds/kind";
import { KINDS, kindNamed } from "../kinds/registry";

type JsonSchema = Record<string, unknown>;

// Its generic signature sends the compiler into an endless instantiation on the kinds' schemas;
// nothing here needs more than "a schema in, JSON out".
const toJson = zodToJsonSchema as (schema: unknown, options: object) => JsonSchema;

const REFERENCE_PATTERN = "^\\$\\{[^}]+\\}$";

/** Optional-ness is the object's `required`; converted as is it would be `anyOf: [{not: {}}, ...]`. */
function required(s: z.ZodTypeAny): z.ZodTypeAny {
  return s instanceof z.ZodOptional ? required(s.unwrap()) : s;
}

/** Adds the sub-field docs (`items` of the metadata) to an object's or a list of objects' properties. */
function withItemDocs(schema: JsonSchema, items: Field["items"]): JsonSchema {
  if (!items) return schema;
  const target = (schema.type === "array" ? schema.items : schema) as JsonSchema | undefined;
  const props = target?.properties as Record<string, JsonSchema> | undefined;
  for (const [name, sub] of Object.entries(items)) {
    const p = props?.[name];
    if (p) props[name] = { description: sub.doc, ...p };
  }
  return schema;
}

function fieldSchema(f: Field): JsonSchema {
  const { $schema: _drop, ...own } = toJson(required(f.schema), {
    $refStrategy: "none",
    applyRegexFlags: true,
    target: "jsonSchema7",
  });
  const targets = (f.ref ?? []).filter((r) => kindNamed(r) !== undefined);
  const description =
    targets.length > 0
      ? `${f.doc} A reference to a ${targets.join(" or ")} of this file is written \`\${name}\`.`
      : f.doc;
  return withItemDocs({ description, ...own }, f.items);
}

/** Fields a reference fills from the resource it names (a Grant's `shareType`): never required. */
function filledByReference(kind: Kind): Set<string> {
  return new Set(Object.values(kind.fields).flatMap((f) => (f.kindField ? [f.kindField] : [])));
}

function propertiesSchema(kind: Kind): JsonSchema {
  const fields = Object.entries(kind.fields).filter(([, f]) => f.change !== "internal");
  const filled = filledByReference(kind);
  return {
    description: kind.doc,
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(fields.map(([name, f]) => [name, fieldSchema(f)])),
    required: fields.filter(([name, f]) => !f.schema.isOptional() && !filled.has(name)).map(([name]) => name),
  };
}

const reference = {
  type: "string",
  pattern: REFERENCE_PATTERN,
  description: "`${name}`: a resource of this file.",
};

/** The workspace schema (draft-07, which editors' YAML language servers and ajv both read). */
export function workspaceSchema(kinds: readonly Kind[] = KINDS): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "pulumi-accsyn YAML workspace",
    description:
      "accsyn resources declared in YAML, read by pulumi-accsyn/yaml (generated from the kinds' schemas by provider/docs/schema.ts).",
    type: "object",
    additionalProperties: false,
    required: ["resources"],
    properties: {
      resources: {
        description: "The resources, by Pulumi resource name (referred to elsewhere as `${name}`).",
        type: ["object", "null"],
        additionalProperties: { $ref: "#/definitions/resource" },
      },
      settings: { description: "Reserved for settings of the whole file.", type: ["object", "null"] },
    },
    definitions: {
      resource: {
        type: "object",
        additionalProperties: false,
        required: ["kind", "properties"],
        properties: {
          kind: { description: "The resource kind.", enum: kinds.map((k) => k.name) },
          properties: { description: "The kind's fields, as in the TypeScript Args.", type: "object" },
          options: { $ref: "#/definitions/options" },
        },
        allOf: kinds.map((k) => ({
          if: { properties: { kind: { const: k.name } }, required: ["kind"] },
          then: { properties: { properties: { $ref: `#/definitions/${k.name}` } } },
        })),
      },
      options: {
        description: "Pulumi resource options.",
        type: "object",
        additionalProperties: false,
        properties: {
          protect: { description: "Refuse to delete the resource.", type: "boolean" },
          dependsOn: {
            description: "Resources of this file to create first, besides the ones referred to.",
            type: "array",
            items: reference,
          },
        },
      },
      ...Object.fromEntries(kinds.map((k) => [k.name, propertiesSchema(k)])),
    },
  };
}

/** The schema file's text, formatted as the repository's prettier check wants it. */
export async function renderWorkspaceSchema(): Promise<string> {
  const options = (await prettier.resolveConfig(__filename)) ?? {};
  return prettier.format(JSON.stringify(workspaceSchema(), null, 2), { ...options, parser: "json" });
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    console.error("usage: node provider/dist/docs/schema.js <workspace.schema.json>");
    process.exit(2);
  }
  void renderWorkspaceSchema().then((text) => fs.writeFileSync(target, text));
}

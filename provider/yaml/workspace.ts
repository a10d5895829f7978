import * as fs from "node:fs";
import * as path from "node:path";
import { type AnyKind, KINDS, kindNamed } from "../kinds/registry";
import { WorkspaceFileError } from "./errors";
import { didYouMean, listed, referenceIn } from "./names";
import { dependencyOrder } from "./order";
import { type Reference, checkProperties } from "./properties";
import { Source, type YamlPath, entries, isMapAt, isSeqAt, valueAt } from "./source";

/** The resource options a workspace file may set. */
export interface ResourceOptions {
  readonly protect?: boolean;
  /** Resources (by name) this one waits for besides the ones it refers to. */
  readonly dependsOn: readonly string[];
}

/** One checked resource of a workspace file. */
export interface ResourceSpec {
  /** The Pulumi resource name (its key under `resources`). */
  readonly name: string;
  /** The resource's kind (its definition from the registry; `kind.name` is `Volume`, `Folder`, ...). */
  readonly kind: AnyKind;
  /** The properties as written; `${name}` references are still strings (see `refs`). */
  readonly properties: Readonly<Record<string, unknown>>;
  readonly refs: readonly Reference[];
  readonly options: ResourceOptions;
}

/** A checked workspace file: its resources in dependency order (each after what it refers to). */
export interface Workspace {
  readonly file: string;
  readonly resources: readonly ResourceSpec[];
}

const TOP_LEVEL = ["resources", "settings"];
const RESOURCE_KEYS = ["kind", "properties", "options"];
const OPTION_KEYS = ["protect", "dependsOn"];
const KIND_NAMES = KINDS.map((k) => k.name);

/**
 * Parses and checks a workspace file's text: the YAML, each resource's kind, its properties with
 * the kind's zod schema, every `${name}` reference and the options. Throws a `WorkspaceFileError`
 * listing every mistake with its line and column.
 */
export function parseWorkspace(text: string, file = "workspace.yaml"): Workspace {
  const src = new Source(file, text);
  const resources = src.parsed ? checkFile(src) : [];
  if (src.issues.length > 0) {
    const sorted = [...src.issues].sort((a, b) => a.line - b.line || a.column - b.column);
    throw new WorkspaceFileError(file, sorted);
  }
  return { file, resources };
}

/** Reads and checks a workspace file (see `parseWorkspace`); errors name it relative to the working directory. */
export function readWorkspace(file: string): Workspace {
  const rel = path.relative(process.cwd(), file);
  const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    // A missing or unreadable file is the user's to fix, like any mistake in it: same error, no stack.
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new WorkspaceFileError(shown, [
      {
        file: shown,
        line: 1,
        column: 1,
        problem: `the file cannot be read (${reason})`,
        fix: `check the path (${path.resolve(file)}) or create the file`,
      },
    ]);
  }
  return parseWorkspace(text, shown);
}

function checkFile(src: Source): ResourceSpec[] {
  if (!isMapAt(src, [])) {
    src.report([], {
      problem: "the file must be a map with a 'resources' entry",
      fix: "start the file with 'resources:'",
    });
    return [];
  }
  for (const [key] of entries(src, []) ?? []) {
    if (TOP_LEVEL.includes(key)) continue;
    src.report(
      [],
      {
        field: key,
        problem: "unknown top-level entry",
        fix: didYouMean(key, TOP_LEVEL, "remove it; the file has 'resources' (and optionally 'settings')"),
      },
      key,
    );
  }
  const top = valueAt(src, []) as Record<string, unknown>;
  if (!("resources" in top)) {
    src.report([], { problem: "no 'resources' entry", fix: "declare the resources under 'resources:'" });
    return [];
  }
  if (top.resources === null) return [];
  if (!isMapAt(src, ["resources"])) {
    src.report(["resources"], {
      field: "resources",
      problem: "must be a map of resource name to resource",
      fix: "write 'resources:' then one 'name:' entry per resource, each with 'kind' and 'properties'",
    });
    return [];
  }
  const list = entries(src, ["resources"]) ?? [];
  const kinds = new Map(
    list.map(([name, at]) => [name, kindNamed(String(valueAt(src, [...at, "kind"])))?.name]),
  );
  const specs = new Map<string, ResourceSpec>();
  for (const [name, at] of list) {
    const spec = checkResource(src, name, at, kinds);
    if (spec) specs.set(name, spec);
  }
  return ordered(src, list, specs);
}

function checkResource(
  src: Source,
  name: string,
  at: YamlPath,
  kinds: ReadonlyMap<string, string | undefined>,
): ResourceSpec | undefined {
  const report = (
    where: YamlPath,
    field: string | undefined,
    problem: string,
    fix: string,
    key?: string,
    kind?: string,
  ) =>
    src.report(
      where,
      {
        resource: name,
        ...(kind !== undefined ? { kind } : {}),
        ...(field !== undefined ? { field } : {}),
        problem,
        fix,
      },
      key,
    );
  if (!isMapAt(src, at)) {
    report(
      at,
      undefined,
      "must be a map with 'kind' and 'properties'",
      `write 'kind: Folder' (one of ${listed(KIND_NAMES)}) and 'properties:' beneath '${name}:'`,
    );
    return undefined;
  }
  const keys = (entries(src, at) ?? []).map(([k]) => k);
  for (const key of keys.filter((k) => !RESOURCE_KEYS.includes(k))) {
    report(
      at,
      key,
      "unknown entry of a resource",
      didYouMean(key, RESOURCE_KEYS, `remove it; a resource has ${listed(RESOURCE_KEYS)}`),
      key,
    );
  }
  const kindValue = valueAt(src, [...at, "kind"]);
  const kind = typeof kindValue === "string" ? kindNamed(kindValue) : undefined;
  if (!keys.includes("kind"))
    report(at, "kind", "has no kind", `add 'kind:' with one of ${listed(KIND_NAMES)}`);
  else if (!kind) {
    const fix = didYouMean(String(kindValue), KIND_NAMES, `use one of ${listed(KIND_NAMES)}`);
    report([...at, "kind"], "kind", `'${String(kindValue)}' is not a resource kind`, fix);
  }
  const options = checkOptions(src, name, [...at, "options"], kinds, kind?.name);
  const propsAt = [...at, "properties"];
  if (!keys.includes("properties")) {
    if (kind)
      report(
        at,
        "properties",
        "has no properties",
        `add 'properties:' with the ${kind.name}'s fields (docs/reference.md)`,
        undefined,
        kind.name,
      );
    return undefined;
  }
  if (!isMapAt(src, propsAt)) {
    report(
      propsAt,
      "properties",
      "must be a map of field to value",
      "write one 'field: value' line per property beneath 'properties:'",
      undefined,
      kind?.name,
    );
    return undefined;
  }
  if (!kind) return undefined;
  const { values, refs } = checkProperties({ src, resource: name, kind, kinds, path: propsAt });
  return { name, kind, properties: values, refs, options };
}

function checkOptions(
  src: Source,
  name: string,
  at: YamlPath,
  kinds: ReadonlyMap<string, string | undefined>,
  kind?: string,
): ResourceOptions {
  const report = (where: YamlPath, field: string, problem: string, fix: string, key?: string) =>
    src.report(where, { resource: name, ...(kind !== undefined ? { kind } : {}), field, problem, fix }, key);
  const value = valueAt(src, at);
  if (value === undefined || value === null) return { dependsOn: [] };
  if (!isMapAt(src, at)) {
    report(
      at,
      "options",
      "must be a map",
      "write 'protect: true' and/or 'dependsOn: [${name}]' beneath 'options:'",
    );
    return { dependsOn: [] };
  }
  const opts = value as Record<string, unknown>;
  for (const key of Object.keys(opts).filter((k) => !OPTION_KEYS.includes(k))) {
    report(
      at,
      `options.${key}`,
      "unknown option",
      didYouMean(key, OPTION_KEYS, `remove it; the options are ${listed(OPTION_KEYS)}`),
      key,
    );
  }
  if (opts.protect !== undefined && typeof opts.protect !== "boolean") {
    report(
      [...at, "protect"],
      "options.protect",
      "must be true or false",
      "write 'protect: true' or 'protect: false'",
    );
  }
  const dependsOn: string[] = [];
  if (opts.dependsOn !== undefined) {
    const list = isSeqAt(src, [...at, "dependsOn"]) ? (opts.dependsOn as unknown[]) : undefined;
    if (!list)
      report(
        [...at, "dependsOn"],
        "options.dependsOn",
        "must be a list of '${name}' references",
        "write 'dependsOn: [${other}]'",
      );
    (list ?? []).forEach((item, i) => {
      const target = referenceIn(item);
      const where = [...at, "dependsOn", i];
      if (target === undefined)
        report(
          where,
          "options.dependsOn",
          `'${String(item)}' is not a '\${name}' reference`,
          `write '\${${String(item)}}'`,
        );
      else if (!kinds.has(target))
        report(
          where,
          "options.dependsOn",
          `'\${${target}}' names no resource in this file`,
          didYouMean(
            target,
            [...kinds.keys()],
            `declare a resource '${target}' or remove it`,
            (c) => `'\${${c}}'`,
          ),
        );
      else dependsOn.push(target);
    });
  }
  return { ...(typeof opts.protect === "boolean" ? { protect: opts.protect } : {}), dependsOn };
}

/** The checked resources in dependency order; a reference cycle is reported where it starts. */
function ordered(src: Source, list: [string, YamlPath][], specs: Map<string, ResourceSpec>): ResourceSpec[] {
  const needs = new Map(
    [...specs.values()].map((s) => [s.name, [...s.refs.map((r) => r.target), ...s.options.dependsOn]]),
  );
  const { order, cycle } = dependencyOrder(
    list.map(([n]) => n).filter((n) => specs.has(n)),
    needs,
  );
  if (cycle) {
    const [first, second] = cycle as [string, string];
    const ref = specs.get(first)?.refs.find((r) => r.target === second);
    const at: YamlPath = ref
      ? ["resources", first, "properties", ref.field, ...(ref.index !== undefined ? [ref.index] : [])]
      : ["resources", first, "options", "dependsOn", dependsOnIndex(src, first, second)];
    src.report(at, {
      resource: first,
      ...(specs.get(first) ? { kind: specs.get(first)?.kind.name } : {}),
      ...(ref ? { field: ref.field } : { field: "options.dependsOn" }),
      problem: `reference cycle: ${cycle.join(" -> ")}; none of them can be created first`,
      fix: "give one of them an id or code instead of a '${name}' reference, or drop a dependsOn",
    });
  }
  return order.flatMap((n) => specs.get(n) ?? []);
}

/** Where in a resource's dependsOn list `target` is named. */
function dependsOnIndex(src: Source, name: string, target: string): number {
  const list = valueAt(src, ["resources", name, "options", "dependsOn"]);
  return Array.isArray(list)
    ? Math.max(
        0,
        list.findIndex((item) => referenceIn(item) === target),
      )
    : 0;
}

/**
 * Generated inputs for every registered kind: a valid arbitrary per kind (what a program may
 * declare), and an invalid one built from it by breaking exactly one field in a known way, labelled
 * with the field the provider's error must name. The generic breakages (wrong JSON type, empty
 * string, value outside an enum, missing required field, unknown field, empty list) are derived from
 * each kind's zod schema, so a field added to a kind is broken too; the semantic ones (absolute
 * paths, '..', rules granting nothing, marker keys, ...) are written per kind.
 *
 * Values are what a program passes as Args (no `resourceName`/`stack`, which the resource class
 * adds) and plain JSON, so the same case runs in-process and through the real engine.
 */
import fc from "fast-check";
import { z } from "zod";
import { inner } from "pulumi-accsyn/docs/reference";
import { KINDS } from "pulumi-accsyn/kinds/registry";
import type { Field } from "pulumi-accsyn/kinds/kind";
import { MARKER_KEY } from "pulumi-accsyn/kinds/marker";
import { UNKNOWN } from "pulumi-accsyn/runtime/unknown";

export type Props = Record<string, unknown>;
export type KindName = "Volume" | "Folder" | "Home" | "Collection" | "VolumeServer" | "Grant";
export const KIND_NAMES: readonly KindName[] = [
  "Volume",
  "Folder",
  "Home",
  "Collection",
  "VolumeServer",
  "Grant",
];

/** Entities of the workspace that valid inputs refer to (they must exist for preview to pass). */
export interface Workspace {
  /** Code of an active volume. */
  readonly volume: string;
  /** E-mails of active users, none with a home or an ACL on `volume`. */
  readonly users: readonly string[];
  /** Codes of servers, none assigned to `volume`. */
  readonly servers: readonly string[];
}

/** The workspace the engine's fresh accsyn-local has (DEMO_SEED), plus a volume the caller creates. */
export const SEEDED: Workspace = {
  volume: "props_vol",
  users: ["employee@example.com", "standard@example.com"],
  servers: ["hq-server", "sto-server"],
};

export interface InvalidInput {
  readonly kind: KindName;
  /** The breakage, e.g. "wrong JSON type" or "absolute path". */
  readonly label: string;
  /** The field the error must name, as in `field '<name>'` (`rules.0.path`, `paths.linux`). */
  readonly field: string;
  /** The Args, one field broken. */
  readonly args: Props;
  /** Top-level fields replaced by the engine's unknown value (preview before they are known). */
  readonly unknown: readonly string[];
}

// ---- valid inputs ---------------------------------------------------------------------------

const lower = "abcdefghijklmnopqrstuvwxyz0123456789";
const word = (min = 1, max = 8) =>
  fc.string({ unit: fc.constantFrom(...lower.split("")), minLength: min, maxLength: max });
/** Printable text that never starts with '@' (the engine fixture's reference syntax). */
const text = (maxLength = 24) =>
  fc.string({ maxLength }).filter((s) => !s.startsWith("@") && !s.includes("\u0000"));
/** A display name: any text around a letter or digit (accsyn derives a folder's code from those). */
const nonEmptyText = fc.tuple(text(12), word(1, 4), text(8)).map(([a, w, b]) => `${a}${w}${b}`);
/** A share code accsyn takes: a letter or digit, then letters, digits, '_', '-' or '.'. */
const code = fc
  .tuple(word(1, 1), fc.string({ unit: fc.constantFrom(..."abc123_-.".split("")), maxLength: 10 }))
  .map(([a, b]) => `p${a}${b}`);
const relPath = fc.array(word(1, 6), { minLength: 1, maxLength: 4 }).map((xs) => xs.join("/"));
const jsonLeaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const metadata = fc.dictionary(
  word(1, 8).filter((k) => k !== MARKER_KEY),
  fc.oneof(
    jsonLeaf,
    fc.array(jsonLeaf, { maxLength: 3 }),
    fc.dictionary(word(1, 4), jsonLeaf, { maxKeys: 2 }),
  ),
  { maxKeys: 3 },
);

/** Optional fields: each present or absent (never `undefined`-valued, which JSON cannot carry). */
function withOptional(
  required: Record<string, fc.Arbitrary<unknown>>,
  optional: Record<string, fc.Arbitrary<unknown>>,
) {
  return fc.record(
    { ...required, ...optional },
    { requiredKeys: Object.keys(required) },
  ) as fc.Arbitrary<Props>;
}

const shareOptional = {
  description: text(40),
  email: fc.emailAddress(),
  metadata,
  status: fc.constantFrom("enabled", "disabled"),
  adopt: fc.boolean(),
};

function validArgs(kind: KindName, ws: Workspace): fc.Arbitrary<Props> {
  const user = fc.constantFrom(...ws.users);
  const server = fc.constantFrom(...ws.servers);
  switch (kind) {
    case "Volume": {
      const osPath = fc.array(word(1, 6), { minLength: 1, maxLength: 3 }).map((xs) => `/${xs.join("/")}`);
      const paths = fc
        .record(
          {
            linux: osPath,
            windows: osPath.map((p) => `D:${p.replace(/\//g, "\\")}`),
            mac: osPath,
            linux_vpn: osPath,
            windows_vpn: osPath,
            mac_vpn: osPath,
          },
          { requiredKeys: [] },
        )
        .filter((p) => p.linux !== undefined || p.windows !== undefined || p.mac !== undefined);
      return withOptional(
        { name: nonEmptyText, code, paths },
        {
          ...shareOptional,
          server,
          deletionPolicy: fc.constantFrom("deactivate", "delete", "retain"),
        },
      );
    }
    case "Folder":
      return withOptional(
        { name: nonEmptyText, volume: fc.constant(ws.volume), path: relPath },
        { ...shareOptional, code, deletionPolicy: fc.constantFrom("deactivate", "delete", "retain") },
      );
    case "Home":
      return withOptional(
        { user },
        {
          ...shareOptional,
          name: nonEmptyText,
          code,
          volume: fc.constant(ws.volume),
          deletionPolicy: fc.constantFrom("retain", "delete"),
        },
      );
    case "Collection": {
      const file = fc
        .tuple(
          fc.constantFrom("volume", "folder", "share", "home", "collection"),
          word(1, 6),
          fc.option(relPath),
        )
        .map(([k, c, p]) => `${k}=${c}${p === null ? "" : `/${p}`}`);
      return withOptional(
        { name: nonEmptyText, code, files: fc.uniqueArray(file, { minLength: 1, maxLength: 3 }) },
        { ...shareOptional, deletionPolicy: fc.constantFrom("deactivate", "delete", "retain") },
      );
    }
    case "VolumeServer":
      return withOptional(
        { volume: fc.constant(ws.volume), server },
        { adopt: fc.boolean(), deletionPolicy: fc.constantFrom("delete", "retain") },
      );
    case "Grant": {
      const rule = fc
        .record(
          { path: fc.oneof(relPath, fc.constant("/")), read: fc.boolean(), write: fc.boolean() },
          {
            requiredKeys: ["path"],
          },
        )
        .filter((r) => r.read === true || r.write === true);
      return withOptional(
        {
          user,
          share: fc.constant(ws.volume),
          shareType: fc.constant("Volume"),
          rules: fc.uniqueArray(rule, { minLength: 1, maxLength: 3, selector: (r) => r.path }),
        },
        {
          invite: fc.boolean(),
          notify: fc.boolean(),
          message: text(40),
          adopt: fc.boolean(),
          deletionPolicy: fc.constantFrom("delete", "retain"),
        },
      );
    }
  }
}

/** What a program may declare for `kind`, referring to entities of `ws`. */
export function validInputs(kind: KindName, ws: Workspace = SEEDED): fc.Arbitrary<Props> {
  return validArgs(kind, ws);
}

// ---- breakages ------------------------------------------------------------------------------
//
// Each breakage is built once per kind and applied to each generated declaration: `apply` breaks
// the field in the declaration it gets (a list element by `pick`, modulo the list's length) and
// says which field that is.

type Path = readonly (string | number)[];

interface Broken {
  readonly field: string;
  readonly args: Props;
}

interface Breakage {
  readonly label: string;
  readonly apply: (args: Props) => Broken;
  /** Checked across fields (the kind's checkMore), which runs only once every field is known. */
  readonly allKnown?: true;
}

/** The step into a list: an element index, or the element `pick` selects in the list at hand. */
type Step = string | { readonly pick: true };

function isRecord(v: unknown): v is Props {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The concrete path of `steps` in `args` (a pick: `n` modulo the list's length, 0 for a new list). */
function resolve(args: Props, steps: readonly Step[], n: number): Path {
  const path: (string | number)[] = [];
  let at: unknown = args;
  for (const s of steps) {
    if (typeof s === "string") {
      path.push(s);
      at = isRecord(at) ? at[s] : undefined;
    } else {
      const len = Array.isArray(at) ? at.length : 0;
      const i = len === 0 ? 0 : n % len;
      path.push(i);
      at = Array.isArray(at) ? at[i] : undefined;
    }
  }
  return path;
}

function getAt(v: unknown, path: Path): unknown {
  return path.reduce<unknown>(
    (at, k) => (isRecord(at) || Array.isArray(at) ? (at as Props)[k] : undefined),
    v,
  );
}

/** `v` with the value at `path` replaced (missing lists and objects on the way are made). */
function setAt(v: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [k, ...rest] = path as [string | number, ...Path];
  if (typeof k === "number") {
    const xs = Array.isArray(v) ? [...(v as unknown[])] : [];
    xs[k] = setAt(xs[k], rest, value);
    return xs;
  }
  const o = isRecord(v) ? { ...v } : {};
  o[k] = setAt(o[k], rest, value);
  return o;
}

function withoutKey(args: Props, key: string): Props {
  const { [key]: _gone, ...rest } = args;
  return rest;
}

/** A breakage that sets the value at `steps` to one drawn from `values`. */
function setting(
  label: string,
  steps: readonly Step[],
  values: fc.Arbitrary<unknown>,
): fc.Arbitrary<Breakage> {
  return fc.tuple(values, fc.nat()).map(([v, n]) => ({
    label,
    apply: (args) => {
      const path = resolve(args, steps, n);
      return { field: path.join("."), args: setAt(args, path, v) as Props };
    },
  }));
}

function isRequired(schema: z.ZodTypeAny): boolean {
  return !schema.safeParse(undefined).success;
}

const OTHER_TYPES = {
  string: fc.string({ maxLength: 6 }).filter((s) => !s.startsWith("@")),
  number: fc.integer(),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.integer(), { maxLength: 2 }),
  object: fc.dictionary(word(1, 4), fc.integer(), { maxKeys: 2 }),
};
const JSON_TYPE_OF: Record<string, keyof typeof OTHER_TYPES> = {
  ZodString: "string",
  ZodEnum: "string",
  ZodBoolean: "boolean",
  ZodArray: "array",
  ZodObject: "object",
  ZodRecord: "object",
};

/** JSON values of another type than `schema` takes, so zod must refuse each one. */
function wrongType(schema: z.ZodTypeAny): fc.Arbitrary<unknown> {
  const mine = JSON_TYPE_OF[schema.constructor.name];
  if (mine === undefined)
    throw new Error(`no JSON type known for ${schema.constructor.name}: extend JSON_TYPE_OF`);
  return fc.oneof(
    ...Object.entries(OTHER_TYPES)
      .filter(([k]) => k !== mine)
      .map(([, a]) => a),
  );
}

/** Spellings of `name` that are no field: the typos a person makes, then anything unknown. */
function misspelt(name: string, fields: readonly string[]): fc.Arbitrary<string> {
  const typos = [
    name.slice(0, -1),
    `${name}s`,
    name.charAt(0).toUpperCase() + name.slice(1),
    name.length > 2 ? `${name[1]}${name[0]}${name.slice(2)}` : `${name}_`,
    name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  ].filter((k) => k !== "" && !fields.includes(k));
  const unknown = word(3, 10).filter((k) => !fields.includes(k));
  return typos.length > 0 ? fc.oneof(fc.constantFrom(...typos), unknown) : unknown;
}

/** The breakages a value gets from the shape of its schema. */
function shapeBreakages(steps: readonly Step[], schema: z.ZodTypeAny): fc.Arbitrary<Breakage>[] {
  const c = inner(schema);
  const out = [setting("wrong JSON type", steps, wrongType(c))];
  if (c instanceof z.ZodString && !c.safeParse("").success)
    out.push(setting("empty string", steps, fc.constant("")));
  if (c instanceof z.ZodEnum) {
    const options = c.options as string[];
    const bad = fc
      .oneof(fc.constantFrom(...options.map((o) => o.toUpperCase()), "offline", "archive"), word(1, 8))
      .filter((v) => !options.includes(v));
    out.push(setting("value outside the enum", steps, bad));
  }
  if (c instanceof z.ZodArray) {
    if (!c.safeParse([]).success) out.push(setting("empty list", steps, fc.constant([])));
    out.push(...shapeBreakages([...steps, { pick: true }], c.element as z.ZodTypeAny));
  }
  if (c instanceof z.ZodObject) {
    const shape = c.shape as Record<string, z.ZodTypeAny>;
    for (const [key, sub] of Object.entries(shape)) out.push(...shapeBreakages([...steps, key], sub));
    if (c._def.unknownKeys === "strict") {
      const keys = Object.keys(shape);
      const misspeltKey = fc.constantFrom(...keys).chain((k) => misspelt(k, keys));
      out.push(
        fc.tuple(misspeltKey, fc.nat()).map(([k, n]) => ({
          label: "unknown field",
          apply: (args) => {
            const path = [...resolve(args, steps, n), k];
            return { field: path.join("."), args: setAt(args, path, true) as Props };
          },
        })),
      );
    }
  }
  return out;
}

/** Breakages derived from the kind's registered fields (all but the ones the resource class sets). */
function derivedBreakages(kind: KindName): fc.Arbitrary<Breakage>[] {
  const k = KINDS.find((x) => x.name === kind);
  if (!k) throw new Error(`no registered kind ${kind}`);
  const fields = Object.entries(k.fields as Record<string, Field>).filter(([, f]) => f.change !== "internal");
  const names = Object.keys(k.fields);
  const out: fc.Arbitrary<Breakage>[] = [];
  for (const [name, f] of fields) {
    out.push(...shapeBreakages([name], f.schema));
    if (isRequired(f.schema))
      out.push(
        fc.constant({
          label: "missing required field",
          apply: (args: Props) => ({ field: name, args: withoutKey(args, name) }),
        }),
      );
  }
  const misspeltField = fc.constantFrom(...fields.map(([n]) => n)).chain((n) => misspelt(n, names));
  out.push(
    fc.tuple(misspeltField, fc.oneof(OTHER_TYPES.string, fc.integer(), fc.boolean())).map(([key, v]) => ({
      label: "unknown or misspelt field",
      apply: (args: Props) => ({ field: key, args: { ...args, [key]: v } }),
    })),
  );
  return out;
}

const CONTROL = fc.constantFrom(
  "\u0000",
  "\n",
  "\t",
  "\u001f",
  "\u007f",
  "\u200b",
  "\u202e",
  "\ufeff",
  "\u00ad",
);
const DOTS = fc.constantFrom("..", "...", ".. ", " ..", "\uff0e\uff0e");
const ABSOLUTE = fc.oneof(
  relPath.map((p) => `/${p}`),
  relPath.map((p) => ` /${p}`),
  relPath.map((p) => `C:\\${p.replace(/\//g, "\\")}`),
  relPath.map((p) => `\\${p.replace(/\//g, "\\")}`),
);

/** A relative path broken the ways accsyn refuses (label, path). */
const brokenPath = fc.oneof(
  ABSOLUTE.map((p) => ["absolute path", p] as const),
  fc.tuple(relPath, DOTS, relPath).map(([a, d, b]) => ["segment of dots", `${a}/${d}/${b}`] as const),
  fc.tuple(relPath, CONTROL).map(([a, c]) => ["control or invisible character", `${a}${c}x`] as const),
  word(8, 8).map((w) => ["longer than 4096 characters", w.repeat(513)] as const),
);

/** A breakage of the list element `pick` selects: `make` gets the element and returns the broken one. */
function element<T>(
  label: (t: T) => string,
  list: string,
  values: fc.Arbitrary<T>,
  make: (t: T, current: unknown) => unknown,
  field: (i: number) => string = (i) => `${list}.${i}`,
): fc.Arbitrary<Breakage> {
  return fc.tuple(values, fc.nat()).map(([t, n]) => ({
    label: label(t),
    apply: (args) => {
      const [, i] = resolve(args, [list, { pick: true }], n) as [string, number];
      const path = [list, i];
      return { field: field(i), args: setAt(args, path, make(t, getAt(args, path))) as Props };
    },
  }));
}

/** The breakages that need to know what the field means. */
function semanticBreakages(kind: KindName): fc.Arbitrary<Breakage>[] {
  const out: fc.Arbitrary<Breakage>[] = [];
  if (["Volume", "Folder", "Home", "Collection"].includes(kind)) {
    out.push(
      setting(
        "the provider's marker key in metadata",
        ["metadata"],
        metadata.map((m) => ({ ...m, [MARKER_KEY]: { resource: "x/y/Folder/z" } })),
      ),
      setting(
        "code with a character accsyn refuses",
        ["code"],
        fc
          .tuple(code, fc.constantFrom(" ", "/", "=", "!", "é", "\u200b"), fc.boolean())
          .map(([c, ch, first]) => (first ? `${ch}${c}` : `${c}${ch}x`)),
      ),
      setting("blank name", ["name"], fc.constantFrom(" ", "   ", "\t", " \n ")),
      setting(
        "status that cannot be set",
        ["status"],
        fc.constantFrom("offline", "online", "ENABLED", "deleted"),
      ),
    );
  }
  if (kind === "Volume") {
    out.push(
      setting(
        "paths without the serving OS's path",
        ["paths"],
        fc.record({ linux_vpn: fc.constant("/vpn"), mac_vpn: fc.constant("/vpn") }, { requiredKeys: [] }),
      ),
    );
  }
  if (kind === "Folder") {
    out.push(
      fc.tuple(brokenPath).map(([[label, p]]) => ({
        label,
        apply: (args: Props) => ({ field: "path", args: { ...args, path: p } }),
      })),
      setting("the volume root", ["path"], fc.constantFrom(".", "./", "./.", " . ")),
      fc.constantFrom("---", "!", "é", "__", "? ?").map((name) => ({
        label: "name without a letter or digit, and no code",
        allKnown: true as const,
        apply: (args: Props) => ({ field: "name", args: withoutKey({ ...args, name }, "code") }),
      })),
    );
  }
  if (kind === "Collection") {
    out.push(
      element(
        ([[label]]) => `file: ${label}`,
        "files",
        fc.tuple(brokenPath, fc.constantFrom("volume", "folder", "home")),
        ([[label, p], k]) => (label === "absolute path" ? p : `${k}=props/${p}`),
      ),
      element(
        () => "file not in accsyn notation",
        "files",
        fc.constantFrom("drive", "server", "vol", ""),
        (k) => `${k}=x/y`,
      ),
    );
  }
  if (kind === "Grant") {
    out.push(
      element(
        () => "rule with neither read nor write",
        "rules",
        fc.constantFrom({}, { read: false }, { write: false }, { read: false, write: false }),
        (rights, r) => ({ path: isRecord(r) ? r.path : "/", ...rights }),
      ),
      element(
        ([label]) => `rule path: ${label}`,
        "rules",
        brokenPath,
        ([, p], r) => ({ ...(isRecord(r) ? r : {}), path: p }),
        (i) => `rules.${i}.path`,
      ),
      fc.tuple(fc.nat(), fc.constantFrom("./", "", "././")).map(([n, prefix]) => ({
        label: "the same rule path twice",
        apply: (args: Props) => {
          const rules = args.rules as Props[];
          const r = rules[n % rules.length] as Props;
          const again = { path: r.path === "/" ? prefix || "." : `${prefix}${String(r.path)}//`, read: true };
          return { field: "rules", args: { ...args, rules: [...rules, again] } };
        },
      })),
    );
  }
  if (kind === "Grant" || kind === "Home") {
    out.push(
      setting(
        "neither a user id nor an e-mail",
        ["user"],
        fc.oneof(
          word(1, 10),
          word(1, 6).map((w) => `${w}@@example.com`),
          word(1, 6).map((w) => `${w} x@example.com`),
          word(1, 6).map((w) => `${w}@example.com\u200b`),
          word(1, 6).map((w) => `${w}@`),
        ),
      ),
    );
  }
  return out;
}

/** The breakages of each kind, built once: derived and semantic ones weigh the same, whatever their number. */
const breakagesOf = new Map<KindName, fc.Arbitrary<Breakage>>();
function breakages(kind: KindName): fc.Arbitrary<Breakage> {
  let b = breakagesOf.get(kind);
  if (b === undefined) {
    const groups = [derivedBreakages(kind), semanticBreakages(kind)].filter((g) => g.length > 0);
    b = fc.oneof(...groups.map((g) => fc.oneof(...g)));
    breakagesOf.set(kind, b);
  }
  return b;
}

/**
 * Invalid inputs for `kind`: a valid declaration with exactly one field broken. With `unknowns`,
 * some other top-level fields are replaced by the engine's unknown value, as in a preview where
 * they come from resources not created yet: the broken field must still be refused.
 */
export function invalidInputs(
  kind: KindName,
  opts: { ws?: Workspace; unknowns?: boolean } = {},
): fc.Arbitrary<InvalidInput> {
  return fc
    .tuple(validArgs(kind, opts.ws ?? SEEDED), breakages(kind), fc.array(fc.boolean(), { maxLength: 16 }))
    .map(([args, b, mask]) => {
      const broken = b.apply(args);
      const top = broken.field.split(".")[0] as string;
      // Unknown keys and fields checked across fields stay known (the unknown value would hide them).
      const others = Object.keys(broken.args).filter((k) => k !== top && k in args);
      const unknown =
        opts.unknowns === true && b.allKnown !== true ? others.filter((_, i) => mask[i] === true) : [];
      return {
        kind,
        label: b.label,
        field: broken.field,
        args: Object.fromEntries(
          Object.entries(broken.args).map(([k, v]) => [k, unknown.includes(k) ? UNKNOWN : v]),
        ),
        unknown,
      };
    });
}

/**
 * A few invalid inputs of `kind` for slow paths (a real `pulumi preview` each): drawn from the same
 * arbitrary with a fixed seed, all fields known, so a run is reproducible and names its case.
 */
export function sampleInvalid(kind: KindName, count: number, seed: number): InvalidInput[] {
  return fc.sample(invalidInputs(kind), { numRuns: count, seed });
}

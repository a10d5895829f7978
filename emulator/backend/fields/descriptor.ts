/**
 * Field descriptors: one per entity kind (the files beside this one), the single
 * source of both request validation (which keys `<kind>/create` and `<kind>/edit`
 * accept, their JSON types, which are required) and the `attributes` reply. A key
 * the descriptor does not mark writable is refused as unknown or read-only, so the
 * two can never disagree. Rules beyond the JSON shape (code syntax, paths, roles)
 * stay with each kind's entity rules.
 */
import { BadRequestError } from "../../errors";
import { isObject } from "../../util";

export type FieldType =
  | "string"
  | "objectid"
  | "uuid"
  | "bool"
  | "int"
  | "float"
  | "dict"
  | "list"
  | "datetime";

export interface Field {
  readonly name: string;
  /** The type the `attributes` reply states (and a request must send, see `accepts`). */
  readonly type: FieldType;
  readonly description: string;
  /** Accepted by `<kind>/create`. */
  readonly create?: boolean;
  /** Accepted by `<kind>/edit`. */
  readonly update?: boolean;
  /** Must be present (not null) on create. */
  readonly required?: boolean;
  /** Other JSON types a request may send for it (a transfer source: one path or a list). */
  readonly accepts?: readonly FieldType[];
  /** Writable by admins only; others are refused as for a read-only attribute. */
  readonly adminOnly?: boolean;
  /** A second name for another field in requests (both given must agree). */
  readonly aliasOf?: string;
  /** Accepted inside each element of this list field rather than at the top level (tasks). */
  readonly within?: string;
  /** Picks the entity in a list edit (a task's id or uri) rather than changing it. */
  readonly selector?: boolean;
  /** Longest string accepted (default MAX_STRING); paths take MAX_PATH. */
  readonly maxLength?: number;
}

/**
 * Size caps, so a stored value cannot make every later find slow (a 30 MB name
 * made each share/find take 3 s): strings, objects (as JSON) and list lengths.
 */
export const MAX_STRING = 1024;
export const MAX_DICT_JSON = 256 * 1024;
export const MAX_LIST_ITEMS = 100_000;

export interface KindFields {
  /** The entity type as written in uris and `attributes WHERE entitytype=<kind>`. */
  readonly kind: string;
  readonly fields: readonly Field[];
}

export type Mode = "create" | "update";
export type Data = Record<string, unknown>;

/**
 * One row of the `attributes` reply. `code` (the attribute's name again) and
 * `public` are what the official suite checks in every row
 * (test_find_entitytypes: each row includes `code`, `name`, `public`); every
 * attribute listed is readable through the API, so `public` is always true.
 */
export interface AttributeRow {
  code: string;
  public: boolean;
  name: string;
  type: FieldType;
  create: boolean;
  update: boolean;
  required: boolean;
  description: string;
}

export function attributeRows(desc: KindFields): AttributeRow[] {
  return desc.fields.map((f) => ({
    code: f.name,
    public: true,
    name: f.name,
    type: f.type,
    create: !!f.create,
    update: !!f.update,
    required: !!f.required,
    description: f.description,
  }));
}

function typeOk(v: unknown, t: FieldType): boolean {
  switch (t) {
    case "string":
    case "objectid":
    case "uuid":
    case "datetime":
      return typeof v === "string";
    case "bool":
      return typeof v === "boolean";
    case "int":
      return typeof v === "number" && Number.isInteger(v);
    case "float":
      return typeof v === "number" && Number.isFinite(v);
    case "dict":
      return isObject(v);
    case "list":
      return Array.isArray(v);
  }
}

const TYPE_WORDS: Record<FieldType, string> = {
  string: "a string",
  objectid: "an id (string)",
  uuid: "an id (string)",
  datetime: "a date string",
  bool: "a boolean",
  int: "an integer",
  float: "a number",
  dict: "an object",
  list: "a list",
};

function checkSize(f: Field, v: unknown, op: string): void {
  const max = f.maxLength ?? MAX_STRING;
  if (typeof v === "string" && v.length > max)
    throw new BadRequestError(`${op}: '${f.name}' is at most ${max} characters (got ${v.length})`);
  if (Array.isArray(v) && v.length > MAX_LIST_ITEMS)
    throw new BadRequestError(`${op}: '${f.name}' holds at most ${MAX_LIST_ITEMS} items (got ${v.length})`);
  if (isObject(v) && JSON.stringify(v).length > MAX_DICT_JSON)
    throw new BadRequestError(`${op}: '${f.name}' is at most ${MAX_DICT_JSON} characters as JSON`);
}

/** The fields a request may send at the top level (or inside `within`) in this mode. */
export function writableFields(desc: KindFields, mode: Mode, admin: boolean, within?: string): Field[] {
  return desc.fields.filter(
    (f) =>
      (mode === "create" ? f.create : f.update || f.selector) &&
      (!f.adminOnly || admin) &&
      f.within === within,
  );
}

/**
 * Check a request's data against the descriptor: an object; only writable keys;
 * each non-null value of its type; aliases folded into their field; on create,
 * the required fields present. Returns the data with aliases folded. Null means
 * "not given" (the service's clients send it for unset optional attributes).
 */
export function checkInput(
  desc: KindFields,
  mode: Mode,
  raw: unknown,
  op: string,
  opts: { admin?: boolean; within?: string } = {},
): Data {
  if (!isObject(raw))
    throw new BadRequestError(`${op} expects an object as data, got ${JSON.stringify(raw) ?? "nothing"}`);
  const allowed = writableFields(desc, mode, opts.admin ?? true, opts.within);
  const byName = new Map(allowed.map((f) => [f.name, f]));
  const out: Data = { ...raw };
  for (const [k, v] of Object.entries(raw)) {
    const f = byName.get(k);
    if (!f)
      throw new BadRequestError(
        `Unknown or read-only attribute '${k}' for ${op}; allowed: ${allowed.map((x) => x.name).join(", ")}`,
      );
    if (v === null || v === undefined) continue;
    const types = [f.type, ...(f.accepts ?? [])];
    if (!types.some((t) => typeOk(v, t)))
      throw new BadRequestError(`${op}: '${k}' must be ${types.map((t) => TYPE_WORDS[t]).join(" or ")}`);
    checkSize(f, v, op);
    if (f.aliasOf) {
      const other = raw[f.aliasOf];
      if (other !== undefined && other !== null && other !== v)
        throw new BadRequestError(`${op}: '${k}' is another name for '${f.aliasOf}'; give one of them`);
      out[f.aliasOf] = v;
      delete out[k];
    }
  }
  if (mode === "create")
    for (const f of allowed)
      if (f.required && (out[f.name] === undefined || out[f.name] === null))
        throw new BadRequestError(`${op}: '${f.name}' is required (${f.description})`);
  return out;
}

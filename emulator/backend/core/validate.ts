/** Small input validators shared by the entity rules; each failure is a 400 naming the field. */
import { BadRequestError } from "../../errors";
import { MAX_PATH, isObject } from "../../util";

export type Data = Record<string, unknown>;

export function asData(data: unknown, op: string): Data {
  if (!isObject(data))
    throw new BadRequestError(`${op} expects an object as data, got ${JSON.stringify(data)}`);
  return data as Data;
}

export function reqString(data: Data, key: string, what: string): string {
  const v = data[key];
  if (typeof v !== "string" || !v.trim())
    throw new BadRequestError(`${what}: '${key}' is required (non-empty string)`);
  return v.trim();
}

export function optString(data: Data, key: string, what: string): string | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new BadRequestError(`${what}: '${key}' must be a string`);
  return v;
}

export function optBool(data: Data, key: string, what: string): boolean | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new BadRequestError(`${what}: '${key}' must be a boolean`);
  return v;
}

export function optObject(data: Data, key: string, what: string): Record<string, unknown> | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new BadRequestError(`${what}: '${key}' must be an object`);
  return v as Record<string, unknown>;
}

/** Control characters (NUL, newline, ...) and invisible ones (zero-width, bidi overrides, soft hyphen, BOM). */
const HIDDEN = "\\u0000-\\u001f\\u007f\\u00ad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\ufeff";
const HIDDEN_RE = new RegExp(`[${HIDDEN}]`);

/** An e-mail: one @, no whitespace, no control or invisible characters (a look-alike of another user's e-mail). */
export const EMAIL_RE = new RegExp(`^[^\\s@${HIDDEN}]+@[^\\s@${HIDDEN}]+$`);

/** Any path: no control or invisible characters, at most MAX_PATH characters. */
export function checkPathText(p: string, what: string): string {
  if (HIDDEN_RE.test(p))
    throw new BadRequestError(
      `${what}: path ${JSON.stringify(p.slice(0, 200))} contains a control or invisible character (NUL, newline, zero-width, ...)`,
    );
  if (p.length > MAX_PATH) throw new BadRequestError(`${what}: a path is at most ${MAX_PATH} characters`);
  return p;
}

/** An absolute path: `/x`, `\\x` or a drive letter `X:`. */
export function isAbsolutePath(p: string): boolean {
  return /^([/\\]|[A-Za-z]:)/.test(p.trim());
}

const CODE_RE = /^[a-z0-9][a-z0-9_.\-@]*$/i;

export function validCode(code: string, what: string): string {
  if (!CODE_RE.test(code))
    throw new BadRequestError(
      `${what}: invalid code '${code}' (letters, digits, '_', '-', '.', starting with a letter or digit)`,
    );
  return code;
}

/** "TheProject" → "theproject", "Shared project assets" → "shared_project_assets". */
export function deriveCode(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** A path relative to a share: no absolute paths, no `..`; normalised to `a/b/c` ("" = the root). */
export function relativePath(p: string, what: string): string {
  const s = p.trim().replace(/\\/g, "/");
  if (s.startsWith("/") && s.replace(/\/+/g, "") !== "")
    throw new BadRequestError(`${what}: path '${p}' must be relative, not absolute`);
  if (/^[A-Za-z]:/.test(s))
    throw new BadRequestError(`${what}: path '${p}' must be relative, not a drive path`);
  checkPathText(s, what);
  const parts = s.split("/").filter((x) => x && x !== ".");
  // `.. `, full-width dots and the like read as `..` on some systems: any all-dots segment but `.` is refused.
  if (parts.some((x) => /^\.+$/.test(x.normalize("NFKC").trim())))
    throw new BadRequestError(
      `${what}: path '${p}' may not contain '..' (nor a segment of dots such as '.. ' or full-width dots)`,
    );
  return parts.join("/");
}

/** Rules every share kind shares: the one code namespace, writable statuses, the base document and common edits. */
import { BadRequestError, ConflictError, NotFoundError, forbidden } from "../../errors";
import type { Store } from "../../store";
import { ID_RE, newId } from "../../util";
import { canSeeShare } from "../core/access";
import { type Ctx, isAdmin } from "../core/context";
import { liveShares, shareByCode } from "../core/lookup";
import type { ShareDoc, ShareType } from "../core/model";
import {
  type Data,
  deriveCode,
  optObject,
  optString,
  relativePath,
  reqString,
  validCode,
} from "../core/validate";

export function assertCodeFree(store: Store, code: string, selfId?: string): void {
  const c = code.toLowerCase();
  const clash = liveShares(store).find((s) => s.id !== selfId && s.code.toLowerCase() === c);
  if (!clash) return;
  if (clash.inactive)
    throw new ConflictError(
      `Code '${code}' is taken by the inactive ${clash.type} '${clash.name}' (${clash.id}); ` +
        `re-activate it with ${clash.type}/activate (id or bare code as query) or choose another code`,
    );
  throw new ConflictError(`Code '${code}' is already used by ${clash.type} '${clash.name}' (${clash.id})`);
}

export function writableStatus(v: unknown, what: string): "enabled" | "disabled" {
  if (v !== "enabled" && v !== "disabled")
    throw new BadRequestError(
      `${what}: status '${String(v)}' is not writable; writable statuses are enabled, disabled`,
    );
  return v;
}

/** The code given (validated) or derived from the name, free among all live shares. */
export function codeFor(ctx: Ctx, d: Data, name: string, what: string): string {
  const given = optString(d, "code", what);
  const code = given !== undefined && given.trim() ? validCode(given.trim(), what) : deriveCode(name);
  if (!code) throw new BadRequestError(`${what}: cannot derive a code from name '${name}'; supply 'code'`);
  assertCodeFree(ctx.store, code);
  return code;
}

/** A new share document with the attributes every kind has. */
export function baseShare(
  ctx: Ctx,
  type: ShareType,
  d: Data,
  what: string,
  name: string,
  code: string,
): ShareDoc {
  return {
    id: newId(),
    type,
    code,
    name,
    description: optString(d, "description", what) ?? "",
    email: optString(d, "email", what) ?? "",
    metadata: optObject(d, "metadata", what) ?? {},
    queue: optString(d, "queue", what) ?? null,
    inactive: false,
    _status: d.status === undefined || d.status === null ? "enabled" : writableStatus(d.status, what),
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
}

/** Apply one common attribute of an edit; false when `key` is not common (the kind handles it). */
export function editCommon(ctx: Ctx, s: ShareDoc, d: Data, key: string, what: string): boolean {
  switch (key) {
    case "name":
      s.name = reqString(d, key, what);
      return true;
    case "code": {
      const code = validCode(reqString(d, key, what), what);
      assertCodeFree(ctx.store, code, s.id);
      s.code = code;
      return true;
    }
    case "description":
    case "email":
      s[key] = optString(d, key, what) ?? "";
      return true;
    case "metadata":
      s.metadata = optObject(d, key, what) ?? {};
      return true;
    case "queue":
      s.queue = optString(d, key, what) ?? null;
      return true;
    case "status":
      s._status = writableStatus(d[key], what);
      return true;
    default:
      return false;
  }
}

/** A path beneath a volume: relative, not its root. */
export function subPath(raw: string, what: string): string {
  const p = relativePath(raw, what);
  if (!p) throw new BadRequestError(`${what}: 'path' must name a folder beneath the volume, not its root`);
  return p;
}

/** The active volume a folder or home goes on, by id or code. */
export function activeVolume(ctx: Ctx, id: unknown, what: string): ShareDoc {
  if (typeof id !== "string") throw new BadRequestError(`${what}: 'parent' (volume id) is required`);
  const byId = ID_RE.test(id.toLowerCase()) ? ctx.store.get<ShareDoc>("share", id.toLowerCase()) : undefined;
  const vol = byId && !byId._deleted ? byId : shareByCode(ctx.store, "volume", id);
  if (!vol || vol.type !== "volume" || !canSeeShare(ctx, vol)) {
    // A volume the caller cannot see is refused exactly like one that does not exist.
    if (isAdmin(ctx)) throw new NotFoundError(`${what}: no volume '${id}'`);
    throw forbidden(ctx.actor.role, what, `volume '${id}' is not granted to ${ctx.actor.code}`);
  }
  if (vol.inactive) throw new ConflictError(`${what}: volume '${vol.code}' (${vol.id}) is inactive`);
  return vol;
}

/** Employees create folders and homes only on volumes they can see (a default volume may not be). */
export function requireVolumeAccess(ctx: Ctx, vol: ShareDoc, what: string): void {
  if (!canSeeShare(ctx, vol))
    throw forbidden(ctx.actor.role, what, `volume '${vol.code}' is not granted to ${ctx.actor.code}`);
}

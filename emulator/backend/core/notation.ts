/**
 * accsyn path notation (`volume=<code>/path`, `folder=`, `home=`, `collection=`,
 * `share=`) resolved to a share, and the relaxed forms the official client's
 * suite writes: `~` / `~/<path>` (the caller's home) and a bare relative path
 * (the default volume's root).
 */
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../../errors";
import { canSeeShare } from "./access";
import { type Ctx, isAdmin } from "./context";
import { type ShareKind, defaultVolume, homeOf, shareByCode } from "./lookup";
import type { ShareDoc } from "./model";
import { isAbsolutePath, relativePath } from "./validate";

export interface SharePath {
  share: ShareDoc;
  /** The share type as written (`share` for any). */
  kind: string;
  /** The path beneath the share, normalised (`""` = its root). */
  rel: string;
}

const NOTATION_RE = /^(volume|folder|share|home|collection)=([^/\\]+)(?:[/\\](.*))?$/i;
const HOME_RE = /^~(?:[/\\](.*))?$/;

/** Does the string start like accsyn notation (`<share type>=`)? */
export function isNotation(p: string): boolean {
  return /^(volume|folder|share|home|collection)=/i.test(p);
}

/**
 * `~` or `~/<path>`: the caller's home. Only these two forms: `~x` stays a
 * relative file name (`~$report.docx` is one), not another user's home.
 */
export function isHomePath(p: string): boolean {
  return HOME_RE.test(p.trim());
}

/** A share the caller may name in a path: live, visible (else refused like an unknown code), active. */
function usable(ctx: Ctx, share: ShareDoc | undefined, kind: string, code: string, what: string): ShareDoc {
  // A share the caller cannot see is refused exactly like one that does not exist: codes cannot be probed.
  if (!share || !canSeeShare(ctx, share)) {
    if (isAdmin(ctx)) throw new NotFoundError(`${what}: no ${kind} with code '${code}'`);
    throw new ForbiddenError(`Role '${ctx.actor.role}' may not use ${kind} '${code}' in ${ctx.op}`);
  }
  if (share.inactive) throw new ConflictError(`${what}: ${share.type} '${share.code}' is inactive`);
  return share;
}

/** Resolve a path on accsyn notation to a live, active share the caller can see. */
export function resolveNotation(ctx: Ctx, p: unknown, what: string, allowCollection = true): SharePath {
  if (typeof p !== "string" || !p.trim())
    throw new BadRequestError(`${what}: a path must be a non-empty string`);
  const m = NOTATION_RE.exec(p.trim());
  if (!m) {
    if (isAbsolutePath(p))
      throw new BadRequestError(
        `${what}: path '${p}' is absolute; use accsyn notation (volume=<code>/path, folder=, home=, share=)`,
      );
    throw new BadRequestError(`${what}: path '${p}' is not on accsyn notation (<share type>=<code>/<path>)`);
  }
  const kind = m[1].toLowerCase() as ShareKind;
  if (kind === "collection" && !allowCollection)
    throw new BadRequestError(`${what}: a collection cannot contain files of another collection`);
  const found = shareByCode(ctx.store, kind, m[2]);
  const share = usable(
    ctx,
    !allowCollection && found?.type === "collection" ? undefined : found,
    kind,
    m[2],
    what,
  );
  return { share, kind, rel: relativePath(m[3] ?? "", what) };
}

/**
 * A path on accsyn notation or relaxed: `~` / `~/<path>` is beneath the caller's
 * home, any other relative path beneath the default volume's root. Without a home
 * or a default volume it is a 400 naming the fix. The caller's own home is never
 * hidden from them, but using it still needs an ACL on it (homes grant none by
 * themselves, seed 000), checked by the caller's rule as for `home=<code>`.
 */
export function resolveRelaxed(ctx: Ctx, p: string, what: string): SharePath {
  const s = p.trim();
  if (isNotation(s) || isAbsolutePath(s)) return resolveNotation(ctx, s, what);
  const home = HOME_RE.exec(s);
  if (home) {
    const share = homeOf(ctx.store, ctx.actor.id);
    if (!share)
      throw new BadRequestError(
        `${what}: '${s}' means your home, and ${ctx.actor.code} has none; create it ` +
          `(Home create with code '${ctx.actor.code}') or name a share (home=<code>/..., volume=<code>/...)`,
      );
    if (share.inactive) throw new ConflictError(`${what}: home '${share.code}' is inactive`);
    return { share, kind: "home", rel: relativePath(home[1] ?? "", what) };
  }
  const vol = defaultVolume(ctx.store);
  if (!vol)
    throw new BadRequestError(
      `${what}: '${s}' is a relative path, which means the default volume's root, and there is no ` +
        `default volume; create a volume (default: true) or name a share (volume=<code>/${s})`,
    );
  return { share: usable(ctx, vol, "volume", vol.code, what), kind: "volume", rel: relativePath(s, what) };
}

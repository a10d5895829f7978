/** accsyn path notation (`volume=<code>/path`, `folder=`, `home=`, `collection=`, `share=`) resolved to a share. */
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../../errors";
import { canSeeShare } from "./access";
import { type Ctx, isAdmin } from "./context";
import { type ShareKind, shareByCode } from "./lookup";
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

/** Does the string start like accsyn notation (`<share type>=`)? */
export function isNotation(p: string): boolean {
  return /^(volume|folder|share|home|collection)=/i.test(p);
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
  const share = shareByCode(ctx.store, kind, m[2]);
  // A share the caller cannot see is refused exactly like one that does not exist: codes cannot be probed.
  if (!share || (!allowCollection && share.type === "collection") || !canSeeShare(ctx, share)) {
    if (isAdmin(ctx)) throw new NotFoundError(`${what}: no ${kind} with code '${m[2]}'`);
    throw new ForbiddenError(`Role '${ctx.actor.role}' may not use ${kind} '${m[2]}' in ${ctx.op}`);
  }
  if (share.inactive) throw new ConflictError(`${what}: ${share.type} '${share.code}' is inactive`);
  return { share, kind, rel: relativePath(m[3] ?? "", what) };
}

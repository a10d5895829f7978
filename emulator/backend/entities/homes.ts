/** Home rules (seed 000): one per user, beneath the main volume unless a parent is given; no automatic grant. */
import { BadRequestError, ConflictError, NotFoundError } from "../../errors";
import type { Ctx } from "../core/context";
import { defaultVolume, liveShares, resolveUser } from "../core/lookup";
import type { ShareDoc, UserDoc } from "../core/model";
import { type Data, EMAIL_RE, optString } from "../core/validate";
import { activeVolume, baseShare, codeFor, requireVolumeAccess, subPath } from "./share-common";

/** The owner: `user` (id or e-mail), else the user whose e-mail is the `code`. */
function owner(ctx: Ctx, d: Data, what: string): UserDoc {
  if (d.user !== undefined && d.user !== null) {
    const user = resolveUser(ctx.store, d.user);
    if (!user) throw new NotFoundError(`${what}: no user '${String(d.user)}'`);
    return user;
  }
  const code = optString(d, "code", what)?.trim() ?? "";
  if (!EMAIL_RE.test(code))
    throw new BadRequestError(
      `${what}: name the owner with 'user' (id or e-mail), or with 'code' = the user's e-mail`,
    );
  const user = resolveUser(ctx.store, code);
  if (!user) throw new NotFoundError(`${what}: no user '${code}'`);
  return user;
}

export function newHome(ctx: Ctx, d: Data, what: string): ShareDoc {
  const user = owner(ctx, d, what);
  const existing = liveShares(ctx.store).find((s) => s.type === "home" && s.user === user.id);
  if (existing)
    throw new ConflictError(`User '${user.code}' already has home '${existing.code}' (${existing.id})`);
  let vol: ShareDoc;
  if (d.parent !== undefined && d.parent !== null) vol = activeVolume(ctx, d.parent, what);
  else {
    const def = defaultVolume(ctx.store);
    if (!def)
      throw new BadRequestError(`${what}: there is no default volume to hold the home; pass 'parent'`);
    vol = def;
  }
  requireVolumeAccess(ctx, vol, what);
  const rawPath = optString(d, "path", what);
  const path = rawPath ? subPath(rawPath, what) : `homes/${user.code.split("@")[0]}`;
  const name = optString(d, "name", what)?.trim() || user.code;
  const share = baseShare(ctx, "home", d, what, name, codeFor(ctx, d, name, what));
  return Object.assign(share, { parent: vol.id, path, user: user.id });
}

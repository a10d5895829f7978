/** User (de)activation with its cascade: "Home shares cannot be deactivated, deactivate the user instead". */
import { BadRequestError, ConflictError, forbidden } from "../../errors";
import { type Ctx, isAdmin, requireRole, stamp } from "../core/context";
import { resolveUser } from "../core/lookup";
import type { ShareDoc, UserDoc } from "../core/model";
import { optString, reqString } from "../core/validate";
import { userView } from "../core/views";
import { createUser, getUser, roleOf } from "../entities/users";
import { USER, checkInput } from "../fields";

export function setUserActive(ctx: Ctx, id: unknown, query: unknown, active: boolean): boolean {
  requireRole(ctx, ["admin"]);
  const u = getUser(ctx, id ?? query);
  if (u.id === ctx.actor.id && !active) throw new BadRequestError("You cannot deactivate yourself");
  applyActive(ctx, u, active);
  return true;
}

/**
 * user/create: a new user, or a deactivated (or deleted) one brought back with
 * the same id, API key and home, taking the role and name given.
 */
export function createOrReviveUser(ctx: Ctx, raw: unknown): Record<string, unknown> {
  requireRole(ctx, ["admin"]);
  const d = checkInput(USER, "create", raw, ctx.op);
  const code = reqString(d, "code", ctx.op).toLowerCase();
  const existing = resolveUser(ctx.store, code);
  if (!existing || !existing.inactive) return createUser(ctx, d);
  if (d.role !== undefined && d.role !== null) existing.role = roleOf(d.role, ctx.op);
  const name = optString(d, "name", ctx.op);
  if (name !== undefined) existing.name = name;
  applyActive(ctx, existing, true);
  return userView(existing);
}

/** A deactivated grantee comes back with a grant that invites (admins only: a deactivation may be deliberate). */
export function reviveGrantee(ctx: Ctx, u: UserDoc, invite: boolean | undefined): void {
  if (!u.inactive) return;
  if (invite === false)
    throw new ConflictError(
      `${ctx.op}: user '${u.code}' is deactivated; grant with invite (the default) to bring them back, or user/activate`,
    );
  if (!isAdmin(ctx))
    throw forbidden(
      ctx.actor.role,
      ctx.op,
      `user '${u.code}' is deactivated; only an admin brings them back`,
    );
  applyActive(ctx, u, true);
}

function applyActive(ctx: Ctx, u: UserDoc, active: boolean): void {
  if (u.inactive === !active) return;
  u.inactive = !active;
  ctx.store.put("user", stamp(ctx, u));
  for (const h of ctx.store.list<ShareDoc>("share")) {
    if (h.type !== "home" || h.user !== u.id || h._deleted) continue;
    if (!active && !h.inactive) {
      h.inactive = true;
      h._archivedWith = u.id;
    } else if (active && h._archivedWith === u.id) {
      h.inactive = false;
      delete h._archivedWith;
    } else continue;
    ctx.store.put("share", stamp(ctx, h));
  }
}

/**
 * acl/create (grant) with its cascade: the grantee may be invited (an unknown
 * e-mail becomes a standard user) or brought back (a deactivated user is
 * activated again, with their home), then the ACL rule is added.
 */
import { BadRequestError, NotFoundError } from "../../errors";
import type { Ctx } from "../core/context";
import { resolveUser } from "../core/lookup";
import type { UserDoc } from "../core/model";
import { EMAIL_RE, optBool } from "../core/validate";
import { addGrant, grantTarget } from "../entities/acls";
import { newUser } from "../entities/users";
import { ACL, checkInput } from "../fields";
import { reviveGrantee } from "./users";

/** The user a grant names (`user:<id or e-mail>`): found (and brought back), invited, or a 404. */
export function grantee(ctx: Ctx, entity: unknown, invite: boolean | undefined): UserDoc {
  if (typeof entity !== "string" || !/^user:/i.test(entity))
    throw new BadRequestError(`${ctx.op}: 'entity' must be 'user:<id or e-mail>'`);
  const ident = entity.slice(5).trim().toLowerCase();
  const found = resolveUser(ctx.store, ident);
  if (found) {
    reviveGrantee(ctx, found, invite);
    return found;
  }
  if (invite === false || !EMAIL_RE.test(ident)) throw new NotFoundError(`${ctx.op}: no user '${ident}'`);
  const user = newUser(ctx, ident, "standard");
  ctx.store.put("user", user);
  return user;
}

export function grant(ctx: Ctx, raw: unknown): unknown[] {
  const d = checkInput(ACL, "create", raw, ctx.op);
  const share = grantTarget(ctx, d.target);
  const user = grantee(ctx, d.entity, optBool(d, "invite", ctx.op));
  return addGrant(ctx, share, user, d);
}

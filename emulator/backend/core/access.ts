/**
 * Who may see, manage and use which share: read-only decisions over ACLs and
 * roles. Every rule that needs an access decision asks here, so the rule table
 * in emulator/README.md has one implementation.
 */
import { NotFoundError, forbidden } from "../../errors";
import { type Ctx, isAdmin, requireRole } from "./context";
import { type ShareKind, aclsOfUser, getShare } from "./lookup";
import type { AclDoc, AclRule, ShareDoc } from "./model";

/** The `share:<id>` targets of the caller's ACLs (compute once per find, pass to canSeeShare). */
export function aclTargets(ctx: Ctx): Set<string> {
  return new Set(aclsOfUser(ctx.store, ctx.actor.id).map((a) => a.target));
}

/**
 * Admins see every share; others the shares they hold an ACL on; employees also
 * the folders and homes of volumes granted to them and the shares they created.
 */
export function canSeeShare(ctx: Ctx, s: ShareDoc, targets?: Set<string>): boolean {
  if (isAdmin(ctx)) return true;
  targets ??= aclTargets(ctx);
  if (targets.has(`share:${s.id}`)) return true;
  if (ctx.actor.role === "employee") {
    if (s.parent && targets.has(`share:${s.parent}`)) return true;
    if (s.type !== "volume" && s.creator === ctx.actor.code) return true;
  }
  return false;
}

/**
 * Management rights (seed 000: employees have full access to volumes granted to
 * them): admins manage every share; employees manage the folders and homes of
 * volumes they hold an ACL on, and the collections they created; volumes are
 * managed by admins only. Visibility alone (an ACL on the share itself) never
 * lets anyone edit, delete or grant on it.
 */
export function canManageShare(ctx: Ctx, s: ShareDoc, targets?: Set<string>): boolean {
  if (isAdmin(ctx)) return true;
  if (ctx.actor.role !== "employee" || s.type === "volume") return false;
  if (s.type === "collection") return s.creator === ctx.actor.code;
  targets ??= aclTargets(ctx);
  return !!s.parent && targets.has(`share:${s.parent}`);
}

/**
 * The live share with this id that the caller can see. A share the caller
 * cannot see answers exactly like an unknown id, so ids cannot be probed.
 */
export function visibleShare(ctx: Ctx, kind: ShareKind, id: unknown): ShareDoc {
  const s = getShare(ctx.store, kind, id);
  if (!canSeeShare(ctx, s)) throw new NotFoundError(`No ${kind} with id '${String(id)}'`);
  return s;
}

/**
 * The role check of managing a share of this uri kind, made before the id is
 * looked up so that a caller whose role can never do it gets the same 403 for
 * every id, existing or not: volumes need an admin, other kinds an admin or employee.
 */
export function requireManageRole(ctx: Ctx, kind: ShareKind): void {
  requireRole(ctx, kind === "volume" ? ["admin"] : ["admin", "employee"]);
}

/** 403 unless the caller manages the (visible) share; see canManageShare. */
export function requireManage(ctx: Ctx, s: ShareDoc): void {
  if (s.type === "volume") return requireRole(ctx, ["admin"]);
  requireRole(ctx, ["admin", "employee"]);
  if (!canManageShare(ctx, s))
    throw forbidden(
      ctx.actor.role,
      ctx.op,
      s.type === "collection"
        ? `collection '${s.code}' is managed by admins and the employee who created it`
        : `${s.type} '${s.code}' is managed by admins and employees granted its volume`,
    );
}

/** Granting and revoking need management rights on the share (see canManageShare). */
export function requireGrantRight(ctx: Ctx, s: ShareDoc): void {
  requireRole(ctx, ["admin", "employee"]);
  if (!canManageShare(ctx, s))
    throw forbidden(ctx.actor.role, ctx.op, `${s.type} '${s.code}' is not managed by ${ctx.actor.code}`);
}

function covers(rule: AclRule, rel: string): boolean {
  if (rule.path === "/") return true;
  return rel === rule.path || rel.startsWith(`${rule.path}/`);
}

/**
 * May the caller read (download from) or write (upload to) `rel` beneath `share`?
 * Admins always; employees on volumes granted to them (and their folders/homes) and on
 * shares they created; otherwise the caller's ACLs on the share (one per path) decide.
 */
export function requirePathAccess(ctx: Ctx, share: ShareDoc, rel: string, mode: "read" | "write"): void {
  if (isAdmin(ctx)) return;
  const mine = aclsOfUser(ctx.store, ctx.actor.id);
  // One ACL per path: any of the caller's ACLs on the share may cover `p`.
  const ruleAllows = (target: string, p: string): boolean =>
    mine.some((a: AclDoc) => a.target === target && a[mode] && covers(a, p));
  if (ctx.actor.role === "employee") {
    if (share.type !== "volume" && share.creator === ctx.actor.code) return;
    if (share.parent) {
      const full = [share.path, rel].filter(Boolean).join("/");
      if (ruleAllows(`share:${share.parent}`, full)) return;
    }
  }
  if (ruleAllows(`share:${share.id}`, rel)) return;
  throw forbidden(
    ctx.actor.role,
    ctx.op,
    `no ${mode} access to ${share.type} '${share.code}' path '${rel || "/"}' (see the ACLs on it)`,
  );
}

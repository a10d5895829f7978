/**
 * Who may see, manage and use which share: read-only decisions over ACLs and
 * roles. Every rule that needs an access decision asks here, so the rule table
 * in emulator/README.md has one implementation.
 */
import { forbidden } from "../../errors";
import { type Ctx, isAdmin, requireRole } from "./context";
import { aclsOfUser } from "./lookup";
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

/** Employees manage the folders, homes and collections they can see; admins manage everything. */
export function requireManage(ctx: Ctx, s: ShareDoc): void {
  if (s.type === "volume") return requireRole(ctx, ["admin"]);
  requireRole(ctx, ["admin", "employee"]);
  if (!canSeeShare(ctx, s))
    throw forbidden(ctx.actor.role, ctx.op, `${s.type} '${s.code}' is not granted to ${ctx.actor.code}`);
}

/** Granting and revoking: admins anywhere, employees on non-volume shares they can see. */
export function requireGrantRight(ctx: Ctx, s: ShareDoc): void {
  requireRole(ctx, ["admin", "employee"]);
  if (isAdmin(ctx)) return;
  if (s.type === "volume" || !canSeeShare(ctx, s))
    throw forbidden(ctx.actor.role, ctx.op, `${s.type} '${s.code}' is not managed by ${ctx.actor.code}`);
}

function covers(rule: AclRule, rel: string): boolean {
  if (rule.path === "/") return true;
  return rel === rule.path || rel.startsWith(`${rule.path}/`);
}

/**
 * May the caller read (download from) or write (upload to) `rel` beneath `share`?
 * Admins always; employees on volumes granted to them (and their folders/homes) and on
 * shares they created; otherwise the path rules of the caller's ACL on the share decide.
 */
export function requirePathAccess(ctx: Ctx, share: ShareDoc, rel: string, mode: "read" | "write"): void {
  if (isAdmin(ctx)) return;
  const mine = aclsOfUser(ctx.store, ctx.actor.id);
  const ruleAllows = (a: AclDoc | undefined, p: string): boolean =>
    !!a && a.rules.some((r) => r[mode] && covers(r, p));
  if (ctx.actor.role === "employee") {
    if (share.type !== "volume" && share.creator === ctx.actor.code) return;
    if (share.parent) {
      const volAcl = mine.find((a) => a.target === `share:${share.parent}`);
      const full = [share.path, rel].filter(Boolean).join("/");
      if (ruleAllows(volAcl, full)) return;
    }
  }
  if (
    ruleAllows(
      mine.find((a) => a.target === `share:${share.id}`),
      rel,
    )
  )
    return;
  throw forbidden(
    ctx.actor.role,
    ctx.op,
    `no ${mode} access to ${share.type} '${share.code}' path '${rel || "/"}' (see its ACL path rules)`,
  );
}

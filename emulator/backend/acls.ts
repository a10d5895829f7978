/**
 * ACLs: one per (user, share), holding path rules. The first grant creates the
 * ACL and returns it; a later grant to the same user and share adds (or updates)
 * a path rule and returns `true`. Revoke (acl/delete) removes the whole ACL.
 */
import { BadRequestError, ConflictError, NotFoundError, forbidden } from "../errors";
import type { Store } from "../store";
import { newId } from "../util";
import { randomBytes } from "node:crypto";
import { type Ctx, isAdmin, publicView, requireRole, shareHr, stamp, userHr } from "./context";
import { type FindFlags, compileQuery, finish, matches } from "./find";
import type { AclDoc, AclRule, ShareDoc, UserDoc } from "./model";
import { aclTargets, canSeeShare, shareByCode } from "./shares";
import { newUser, resolveUser } from "./users";
import { EMAIL_RE, asData, optBool, optString, rejectUnknown, relativePath } from "./validate";

function rulePath(p: string | undefined, what: string): string {
  const rel = relativePath(p ?? "/", what);
  return rel ? rel : "/";
}

export function aclView(store: Store, a: AclDoc): Record<string, unknown> {
  const userId = a.entity.slice("user:".length);
  const shareId = a.target.slice("share:".length);
  const user = store.get<UserDoc>("user", userId);
  const share = store.get<ShareDoc>("share", shareId);
  const first = a.rules[0] ?? { path: "/", read: false, write: false };
  const { rules, ...rest } = publicView(a) as Record<string, unknown> & { rules: AclRule[] };
  return {
    ...rest,
    entity_hr: userHr(user, userId),
    target_hr: shareHr(share, shareId),
    path: first.path,
    read: first.read,
    write: first.write,
    paths: rules,
    role: user?.role ?? null,
    status: !share || share.inactive ? "offline" : "enabled",
  };
}

function shareOfTarget(ctx: Ctx, target: unknown): ShareDoc {
  if (typeof target !== "string" || !target.includes(":"))
    throw new BadRequestError(`${ctx.op}: 'target' must be 'share:<id>', got ${JSON.stringify(target)}`);
  const ident = target.slice(target.indexOf(":") + 1).trim();
  const byId = /^[0-9a-f]{24}$/i.test(ident)
    ? ctx.store.get<ShareDoc>("share", ident.toLowerCase())
    : undefined;
  const s = byId && !byId._deleted ? byId : shareByCode(ctx.store, "share", ident);
  if (!s) throw new NotFoundError(`${ctx.op}: no share '${ident}'`);
  return s;
}

function requireGrantRight(ctx: Ctx, s: ShareDoc): void {
  requireRole(ctx, ["admin", "employee"]);
  if (isAdmin(ctx)) return;
  if (s.type === "volume" || !canSeeShare(ctx, s))
    throw forbidden(ctx.actor.role, ctx.op, `${s.type} '${s.code}' is not managed by ${ctx.actor.code}`);
}

export function createAcl(ctx: Ctx, raw: unknown): unknown[] {
  const d = asData(raw, ctx.op);
  rejectUnknown(
    d,
    ["entity", "target", "read", "write", "notify", "message", "path", "invite", "description"],
    ctx.op,
  );
  const share = shareOfTarget(ctx, d.target);
  requireGrantRight(ctx, share);
  if (share.inactive) throw new ConflictError(`${share.type} '${share.code}' (${share.id}) is inactive`);
  if (typeof d.entity !== "string" || !/^user:/i.test(d.entity))
    throw new BadRequestError(`${ctx.op}: 'entity' must be 'user:<id or e-mail>'`);
  const ident = d.entity.slice(5).trim().toLowerCase();
  let user = resolveUser(ctx.store, ident);
  if (!user) {
    if (optBool(d, "invite", ctx.op) === false || !EMAIL_RE.test(ident))
      throw new NotFoundError(`${ctx.op}: no user '${ident}'`);
    user = newUser(ctx, ident, "standard");
    ctx.store.put("user", user);
  }
  let read = optBool(d, "read", ctx.op);
  let write = optBool(d, "write", ctx.op);
  if (read === undefined && write === undefined) {
    read = true;
    write = true;
  }
  if (!read && !write) throw new BadRequestError(`${ctx.op}: read and write cannot both be false`);
  const rule: AclRule = {
    path: rulePath(optString(d, "path", ctx.op), ctx.op),
    read: !!read,
    write: !!write,
  };
  const entity = `user:${user.id}`;
  const target = `share:${share.id}`;
  const existing = ctx.store.list<AclDoc>("acl").find((a) => a.entity === entity && a.target === target);
  if (existing) {
    const same = existing.rules.find((r) => r.path === rule.path);
    if (same) Object.assign(same, rule);
    else existing.rules.push(rule);
    ctx.store.put("acl", stamp(ctx, existing));
    return [true];
  }
  const acl: AclDoc = {
    id: newId(),
    entity,
    target,
    rules: [rule],
    acknowledged: false,
    token: randomBytes(12).toString("hex"),
    description: optString(d, "message", ctx.op) ?? optString(d, "description", ctx.op) ?? "",
    notify: optBool(d, "notify", ctx.op) ?? true,
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  ctx.store.put("acl", acl);
  return [aclView(ctx.store, acl)];
}

function aclVisible(ctx: Ctx, a: AclDoc, share: ShareDoc | undefined, targets: Set<string>): boolean {
  if (isAdmin(ctx) || a.entity === `user:${ctx.actor.id}`) return true;
  return ctx.actor.role === "employee" && !!share && canSeeShare(ctx, share, targets);
}

export function findAcls(
  ctx: Ctx,
  query: unknown,
  data: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  let q: unknown = query;
  if (typeof q === "string") q = /^\s*acl\s*$/i.test(q) ? "" : q.trim().replace(/^acl\s+where\s+/i, "");
  const node = compileQuery(q);
  const recursive =
    data !== null && typeof data === "object" && (data as Record<string, unknown>).recursive === true;
  const out: Record<string, unknown>[] = [];
  const mine = aclTargets(ctx);
  for (const a of ctx.store.list<AclDoc>("acl")) {
    if (id && a.id !== id.toLowerCase()) continue;
    const share = ctx.store.get<ShareDoc>("share", a.target.slice(6));
    if (!share || share._deleted) continue;
    if (share.inactive && !flags.inactive && !id) continue;
    if (flags.parent && a.target !== `share:${flags.parent}`) continue;
    if (!aclVisible(ctx, a, share, mine)) continue;
    const user = ctx.store.get<UserDoc>("user", a.entity.slice(5));
    const view = aclView(ctx.store, a);
    const targets: unknown[] = [`share:${share.code}`];
    if (recursive && share.parent) {
      const vol = ctx.store.get<ShareDoc>("share", share.parent);
      targets.push(`share:${share.parent}`, `share:${vol?.code}`);
    }
    const aliases = { entity: [user ? `user:${user.code}` : undefined], target: targets };
    if (matches(node, view, aliases)) out.push(view);
  }
  return finish(out, flags);
}

export function deleteAcl(ctx: Ctx, id: unknown): boolean {
  if (typeof id !== "string") throw new BadRequestError(`${ctx.op}: 'id' (the ACL id) is required`);
  const a = ctx.store.get<AclDoc>("acl", id.toLowerCase());
  if (!a) throw new NotFoundError(`No acl with id '${id}'`);
  const share = ctx.store.get<ShareDoc>("share", a.target.slice(6));
  if (share) requireGrantRight(ctx, share);
  else requireRole(ctx, ["admin"]);
  ctx.store.delete("acl", a.id);
  return true;
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
  const mine = ctx.store.list<AclDoc>("acl").filter((a) => a.entity === `user:${ctx.actor.id}`);
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

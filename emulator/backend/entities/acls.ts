/**
 * ACLs: one per (user, share, path), each with its own id (wire §6, corrected).
 * A grant of a new path creates an ACL; a grant of a path the user already has
 * on the share updates that ACL in place. Both return the ACL. acl/delete
 * removes one ACL.
 */
import { randomBytes } from "node:crypto";
import { BadRequestError, ConflictError, NotFoundError } from "../../errors";
import { newId } from "../../util";
import { aclTargets, canSeeShare, requireGrantRight } from "../core/access";
import { type Ctx, isAdmin, requireRole, stamp } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { shareByCode } from "../core/lookup";
import type { AclDoc, AclRule, ShareDoc, UserDoc } from "../core/model";
import type { Doc, Store } from "../../store";
import { type Data, optBool, optString, relativePath } from "../core/validate";
import { aclView } from "../core/views";

function rulePath(p: string | undefined, what: string): string {
  const rel = relativePath(p ?? "/", what);
  return rel ? rel : "/";
}

function shareOfTarget(ctx: Ctx, target: unknown): ShareDoc {
  if (typeof target !== "string" || !target.includes(":"))
    throw new BadRequestError(`${ctx.op}: 'target' must be 'share:<id>', got ${JSON.stringify(target)}`);
  const ident = target.slice(target.indexOf(":") + 1).trim();
  const byId = /^[0-9a-f]{24}$/i.test(ident)
    ? ctx.store.get<ShareDoc>("share", ident.toLowerCase())
    : undefined;
  const s = byId && !byId._deleted ? byId : shareByCode(ctx.store, "share", ident);
  if (!s || !canSeeShare(ctx, s)) throw new NotFoundError(`${ctx.op}: no share '${ident}'`);
  return s;
}

/** The share a grant targets: visible to the caller, managed by them, active. */
export function grantTarget(ctx: Ctx, target: unknown): ShareDoc {
  requireRole(ctx, ["admin", "employee"]);
  const share = shareOfTarget(ctx, target);
  requireGrantRight(ctx, share);
  if (share.inactive) throw new ConflictError(`${share.type} '${share.code}' (${share.id}) is inactive`);
  return share;
}

/** The ACL of `user` on `share` for the path of validated acl/create data: created, or updated in place. */
export function addGrant(ctx: Ctx, share: ShareDoc, user: UserDoc, d: Data): unknown[] {
  let read = optBool(d, "read", ctx.op);
  let write = optBool(d, "write", ctx.op);
  if (read === undefined && write === undefined) {
    read = true;
    write = true;
  }
  if (!read && !write) throw new BadRequestError(`${ctx.op}: read and write cannot both be false`);
  const path = rulePath(optString(d, "path", ctx.op), ctx.op);
  const entity = `user:${user.id}`;
  const target = `share:${share.id}`;
  const description = optString(d, "description", ctx.op);
  const notify = optBool(d, "notify", ctx.op);
  const existing = ctx.store
    .list<AclDoc>("acl")
    .find((a) => a.entity === entity && a.target === target && a.path === path);
  if (existing) {
    existing.read = !!read;
    existing.write = !!write;
    if (description !== undefined) existing.description = description;
    if (notify !== undefined) existing.notify = notify;
    ctx.store.put("acl", stamp(ctx, existing));
    return [aclView(ctx.store, existing)];
  }
  const acl: AclDoc = {
    id: newId(),
    entity,
    target,
    path,
    read: !!read,
    write: !!write,
    acknowledged: false,
    token: randomBytes(12).toString("hex"),
    description: description ?? "",
    notify: notify ?? true,
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
  ctx.store.put("acl", acl);
  return [aclView(ctx.store, acl)];
}

/** A document written before ACLs were per path: one ACL holding a list of path rules. */
interface LegacyAclDoc extends Doc {
  token: string;
  rules: AclRule[];
}

/**
 * Splits ACLs stored by accsyn-local versions that kept one ACL per (user, share) with path
 * rules into one ACL per path (the first keeps the id), so a data directory keeps every access
 * it granted. Idempotent: a store without such documents is left alone.
 */
export function splitLegacyAcls(store: Store): number {
  let split = 0;
  for (const doc of store.list<LegacyAclDoc>("acl")) {
    if (!Array.isArray(doc.rules)) continue;
    const { rules, ...base } = doc;
    rules.forEach((r, i) => {
      const id = i === 0 ? base.id : newId();
      const token = i === 0 ? base.token : randomBytes(12).toString("hex");
      store.put("acl", { ...base, id, token, path: r.path, read: r.read, write: r.write });
    });
    if (rules.length === 0) store.delete("acl", base.id);
    split++;
  }
  return split;
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
  requireRole(ctx, ["admin", "employee"]);
  const a = ctx.store.get<AclDoc>("acl", id.toLowerCase());
  const share = a ? ctx.store.get<ShareDoc>("share", a.target.slice(6)) : undefined;
  if (!a || !aclVisible(ctx, a, share, aclTargets(ctx))) throw new NotFoundError(`No acl with id '${id}'`);
  if (share) requireGrantRight(ctx, share);
  else requireRole(ctx, ["admin"]);
  ctx.store.delete("acl", a.id);
  return true;
}

/** Every ACL on these shares goes with them (used when shares are deleted). */
export function removeAclsOn(ctx: Ctx, shareIds: string[]): void {
  const targets = new Set(shareIds.map((i) => `share:${i}`));
  for (const a of ctx.store.list<AclDoc>("acl")) if (targets.has(a.target)) ctx.store.delete("acl", a.id);
}

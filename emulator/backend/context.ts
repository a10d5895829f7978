import type { Store } from "../store";
import { nowStamp } from "../util";
import { forbidden } from "../errors";
import type { AclDoc, Role, ShareDoc, SiteDoc, UserDoc, WorkspaceDoc } from "./model";

/** Everything an operation needs: the store, who is calling, and which operation it is. */
export interface Ctx {
  store: Store;
  actor: UserDoc;
  workspace: WorkspaceDoc;
  /** The envelope uri, for messages ("volume/create"). */
  op: string;
  now: string;
}

export function makeCtx(store: Store, actor: UserDoc, workspace: WorkspaceDoc, op: string): Ctx {
  return { store, actor, workspace, op, now: nowStamp() };
}

/** Throw 403 unless the caller has one of the roles. Support counts as admin. */
export function requireRole(ctx: Ctx, roles: Role[], why?: string): void {
  const role = ctx.actor.role === "support" ? "admin" : ctx.actor.role;
  if (!roles.includes(role)) throw forbidden(ctx.actor.role, ctx.op, why);
}

export function isAdmin(ctx: Ctx): boolean {
  return ctx.actor.role === "admin" || ctx.actor.role === "support";
}

/** Drop internal (`_`-prefixed) keys before a document goes on the wire. */
export function publicView<T extends object>(doc: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith("_")) out[k] = v;
  return out;
}

export function userHr(u: UserDoc | undefined, id: string): string {
  return u ? `user:${u.code}[${u.role}](${u.id})` : `user:(${id})`;
}

export function shareHr(s: ShareDoc | undefined, id: string): string {
  return s ? `share:${s.name}[${s.type}](${s.id})` : `share:(${id})`;
}

export function mainSite(store: Store): SiteDoc | undefined {
  const sites = store.list<SiteDoc>("site");
  return sites.find((s) => s.main) ?? sites[0];
}

/** Every ACL held by a user (ACLs of deleted shares are removed with the share). */
export function aclsOfUser(store: Store, userId: string): AclDoc[] {
  return store.list<AclDoc>("acl").filter((a) => a.entity === `user:${userId}`);
}

export function stamp<T extends { modified: string; modifier: string }>(ctx: Ctx, doc: T): T {
  doc.modified = ctx.now;
  doc.modifier = ctx.actor.code;
  return doc;
}

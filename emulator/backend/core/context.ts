/** Everything an operation needs (store, caller, operation), role checks and wire helpers shared by every kind. */
import type { Store } from "../../store";
import { nowStamp } from "../../util";
import { forbidden } from "../../errors";
import type { Role, ShareDoc, UserDoc, WorkspaceDoc } from "./model";

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

export function stamp<T extends { modified: string; modifier: string }>(ctx: Ctx, doc: T): T {
  doc.modified = ctx.now;
  doc.modifier = ctx.actor.code;
  return doc;
}

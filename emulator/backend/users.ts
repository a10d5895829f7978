/** Users, sites and clients (servers): seed data, finds, and the few user operations. */
import { BadRequestError, ConflictError, NotFoundError } from "../errors";
import type { Store } from "../store";
import { newId } from "../util";
import { randomBytes } from "node:crypto";
import { type Ctx, isAdmin, publicView, requireRole, stamp, userHr } from "./context";
import { type FindFlags, compileQuery, finish, matches } from "./find";
import type { ClientDoc, Role, ShareDoc, SiteDoc, UserDoc } from "./model";
import { EMAIL_RE, asData, optString, rejectUnknown, reqString } from "./validate";

export const ROLES: Role[] = ["admin", "employee", "standard", "support"];

/** A user by id or e-mail (code), case-insensitive. */
export function resolveUser(store: Store, ident: unknown): UserDoc | undefined {
  if (typeof ident !== "string") return undefined;
  const s = ident
    .trim()
    .toLowerCase()
    .replace(/^user[:=]/, "");
  return store.get<UserDoc>("user", s) ?? store.list<UserDoc>("user").find((u) => u.code.toLowerCase() === s);
}

export function userView(u: UserDoc): Record<string, unknown> {
  return publicView(u);
}

export function siteHr(s: SiteDoc | undefined, id: string): string {
  return s ? `site:${s.code}(${s.id})` : `site:(${id})`;
}

function clientView(store: Store, c: ClientDoc): Record<string, unknown> {
  return {
    ...publicView(c),
    site_hr: siteHr(store.get<SiteDoc>("site", c.site), c.site),
    user_hr: userHr(store.get<UserDoc>("user", c.user), c.user),
  };
}

export function newUser(
  ctx: Ctx | undefined,
  code: string,
  role: Role,
  name?: string,
  apiKey?: string,
): UserDoc {
  const who = ctx?.actor.code ?? "system";
  const now = ctx?.now ?? new Date().toISOString().slice(0, 19);
  return {
    id: newId(),
    code: code.toLowerCase(),
    email: code.toLowerCase(),
    name: name ?? code.split("@")[0],
    role,
    status: "enabled",
    inactive: false,
    created: now,
    creator: who,
    modified: now,
    modifier: who,
    _apiKey: apiKey ?? randomBytes(16).toString("hex"),
  };
}

export function findUsers(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const views = ctx.store
    .list<UserDoc>("user")
    .filter((u) => (id ? u.id === id.toLowerCase() : !u.inactive || flags.inactive || flags.single))
    .filter((u) => ctx.actor.role !== "standard" || u.id === ctx.actor.id)
    .map(userView)
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

export function createUser(ctx: Ctx, raw: unknown): Record<string, unknown> {
  requireRole(ctx, ["admin"]);
  const d = asData(raw, ctx.op);
  rejectUnknown(d, ["code", "email", "name", "role"], ctx.op);
  const code = (optString(d, "code", ctx.op) ?? reqString(d, "email", ctx.op)).trim().toLowerCase();
  if (!EMAIL_RE.test(code))
    throw new BadRequestError(`${ctx.op}: user code must be an e-mail address, got '${code}'`);
  const role = (optString(d, "role", ctx.op) ?? "standard") as Role;
  if (!ROLES.includes(role)) throw new BadRequestError(`${ctx.op}: role must be one of ${ROLES.join(", ")}`);
  const clash = resolveUser(ctx.store, code);
  if (clash) throw new ConflictError(`A user with code '${code}' already exists (${clash.id})`);
  const u = newUser(ctx, code, role, optString(d, "name", ctx.op));
  ctx.store.put("user", u);
  return userView(u);
}

function getUser(ctx: Ctx, id: unknown): UserDoc {
  const u = resolveUser(ctx.store, id);
  if (!u) throw new NotFoundError(`No user with id '${String(id)}'`);
  return u;
}

export function editUser(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown> {
  const u = getUser(ctx, id);
  if (!isAdmin(ctx) && u.id !== ctx.actor.id) requireRole(ctx, ["admin"]);
  const d = asData(raw, ctx.op);
  rejectUnknown(d, isAdmin(ctx) ? ["name", "role", "status"] : ["name"], ctx.op);
  if (d.name !== undefined) u.name = reqString(d, "name", ctx.op);
  if (d.role !== undefined) {
    if (!ROLES.includes(d.role as Role))
      throw new BadRequestError(`${ctx.op}: role must be one of ${ROLES.join(", ")}`);
    u.role = d.role as Role;
  }
  if (d.status !== undefined) {
    if (d.status !== "enabled" && d.status !== "disabled")
      throw new BadRequestError(`${ctx.op}: writable user statuses are enabled, disabled`);
    u.status = d.status;
  }
  ctx.store.put("user", stamp(ctx, u));
  return userView(u);
}

export function setUserActive(ctx: Ctx, id: unknown, query: unknown, active: boolean): boolean {
  requireRole(ctx, ["admin"]);
  const u = getUser(ctx, id ?? query);
  if (u.id === ctx.actor.id && !active) throw new BadRequestError("You cannot deactivate yourself");
  if (u.inactive === !active) return true;
  u.inactive = !active;
  ctx.store.put("user", stamp(ctx, u));
  // "Home shares cannot be deactivated, deactivate the user instead": the home follows its user.
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
  return true;
}

export function findSites(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  requireRole(ctx, ["admin", "employee"]);
  const node = compileQuery(query);
  const views = ctx.store
    .list<SiteDoc>("site")
    .filter((s) => !id || s.id === id.toLowerCase())
    .map((s) => publicView(s))
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

export function findClients(
  ctx: Ctx,
  serversOnly: boolean,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  requireRole(ctx, ["admin", "employee"]);
  const node = compileQuery(query);
  const views = ctx.store
    .list<ClientDoc>("client")
    .filter((c) => (!id || c.id === id.toLowerCase()) && (!serversOnly || c.type === 1))
    .map((c) => ({ c, v: clientView(ctx.store, c) }))
    .filter(({ c, v }) =>
      matches(node, v, {
        site: [ctx.store.get<SiteDoc>("site", c.site)?.code],
        user: [ctx.store.get<UserDoc>("user", c.user)?.code],
      }),
    )
    .map(({ v }) => v);
  return finish(views, flags);
}

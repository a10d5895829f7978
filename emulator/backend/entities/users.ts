/** User rules: codes are e-mails, roles, who may edit whom. (De)activation cascades to the home: cascades/users.ts. */
import { randomBytes } from "node:crypto";
import { BadRequestError, ConflictError, NotFoundError } from "../../errors";
import { newId, nowStamp } from "../../util";
import { type Ctx, isAdmin, requireRole, stamp } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { resolveUser } from "../core/lookup";
import type { Role, UserDoc } from "../core/model";
import { type Data, EMAIL_RE, optString, reqString } from "../core/validate";
import { userView } from "../core/views";
import { USER, checkInput } from "../fields";

export const ROLES: Role[] = ["admin", "employee", "standard", "support"];

export function newUser(
  ctx: Ctx | undefined,
  code: string,
  role: Role,
  name?: string,
  apiKey?: string,
): UserDoc {
  const who = ctx?.actor.code ?? "system";
  const now = ctx?.now ?? nowStamp();
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

/** A user by id or e-mail, or 404. */
export function getUser(ctx: Ctx, id: unknown): UserDoc {
  const u = resolveUser(ctx.store, id);
  // Standard users see only themselves: another user answers like an unknown one.
  if (!u || (ctx.actor.role === "standard" && u.id !== ctx.actor.id))
    throw new NotFoundError(`No user with id '${String(id)}'`);
  return u;
}

export function roleOf(v: unknown, what: string): Role {
  if (!ROLES.includes(v as Role))
    throw new BadRequestError(`${what}: role must be one of ${ROLES.join(", ")}`);
  return v as Role;
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

/** A new user from validated user/create data (cascades/users.ts brings back deactivated ones). */
export function createUser(ctx: Ctx, d: Data): Record<string, unknown> {
  const code = reqString(d, "code", ctx.op).toLowerCase();
  if (!EMAIL_RE.test(code))
    throw new BadRequestError(`${ctx.op}: user code must be an e-mail address, got '${code}'`);
  const r = d.role === undefined || d.role === null ? "standard" : roleOf(d.role, ctx.op);
  const clash = resolveUser(ctx.store, code);
  if (clash) throw new ConflictError(`A user with code '${code}' already exists (${clash.id})`);
  const u = newUser(ctx, code, r, optString(d, "name", ctx.op));
  ctx.store.put("user", u);
  return userView(u);
}

export function editUser(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown> {
  const u = getUser(ctx, id);
  if (!isAdmin(ctx) && u.id !== ctx.actor.id) requireRole(ctx, ["admin"]);
  const d = checkInput(USER, "update", raw, ctx.op, { admin: isAdmin(ctx) });
  if (d.name !== undefined) u.name = reqString(d, "name", ctx.op);
  if (d.role !== undefined) u.role = roleOf(d.role, ctx.op);
  if (d.status !== undefined) {
    if (d.status !== "enabled" && d.status !== "disabled")
      throw new BadRequestError(`${ctx.op}: writable user statuses are enabled, disabled`);
    u.status = d.status;
  }
  ctx.store.put("user", stamp(ctx, u));
  return userView(u);
}

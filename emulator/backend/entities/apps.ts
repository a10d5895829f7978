/**
 * Desktop apps: clients of type 0, one per user machine. accsyn-local has no app
 * that could log in, so apps come only from the seed; `app/find` answers `[]`
 * when there is none. A transfer to or from a path on the caller's machine needs
 * one of the caller's apps online, as the service needs it to move the bytes.
 */
import { ConflictError } from "../../errors";
import { newId } from "../../util";
import { type Ctx, isAdmin } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import type { ClientDoc, UserDoc } from "../core/model";
import { clientView } from "../core/views";

export const CLIENT_TYPE_APP = 0;

export interface AppSeed {
  code?: string;
  status?: "online" | "offline";
  os?: "linux" | "windows" | "mac";
}

export function newApp(user: UserDoc, a: AppSeed, now: string): ClientDoc {
  return {
    id: newId(),
    code: a.code ?? `${user.code.split("@")[0]}-desktop`,
    hostname: a.code ?? `${user.code.split("@")[0]}-desktop`,
    os: a.os ?? "linux",
    site: "",
    type: CLIENT_TYPE_APP,
    status: a.status ?? "online",
    user: user.id,
    roles: [],
    created: now,
    creator: "system",
    modified: now,
    modifier: "system",
  };
}

/** Admins see every app; other users only their own. */
export function findApps(ctx: Ctx, query: unknown, flags: FindFlags, id?: string): Record<string, unknown>[] {
  const node = compileQuery(query);
  const views = ctx.store
    .list<ClientDoc>("client")
    .filter((c) => c.type === CLIENT_TYPE_APP && (!id || c.id === id.toLowerCase()))
    .filter((c) => isAdmin(ctx) || c.user === ctx.actor.id)
    .map((c) => ({ c, v: clientView(ctx.store, c) }))
    .filter(({ c, v }) => matches(node, v, { user: [ctx.store.get<UserDoc>("user", c.user)?.code] }))
    .map(({ v }) => v);
  return finish(views, flags);
}

/** Refuse (409) a transfer side on the caller's machine when none of the caller's apps is online. */
export function requireOnlineApp(ctx: Ctx, what: string): void {
  const online = ctx.store
    .list<ClientDoc>("client")
    .some((c) => c.type === CLIENT_TYPE_APP && c.user === ctx.actor.id && c.status === "online");
  if (!online)
    throw new ConflictError(
      `${what}: a path on your machine needs the accsyn desktop app running as ${ctx.actor.code}; ` +
        `no app of yours is online (app/find lists them)`,
    );
}

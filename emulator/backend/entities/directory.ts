/** Sites and servers (clients): seeded, read-only through the API. */
import type { Doc } from "../../store";
import { type Ctx, publicView, requireRole } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import type { ClientDoc, SiteDoc, UserDoc } from "../core/model";
import { clientView } from "../core/views";

/** A find over seeded, read-only documents (sites, queues) that admins and employees may read. */
export function findSeeded(
  ctx: Ctx,
  kind: "site" | "queue",
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  requireRole(ctx, ["admin", "employee"]);
  const node = compileQuery(query);
  const views = ctx.store
    .list<Doc>(kind)
    .filter((d) => !id || d.id === id.toLowerCase())
    .map((d) => publicView(d))
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

export function findSites(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  return findSeeded(ctx, "site", query, flags, id);
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

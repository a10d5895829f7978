/** Sites and servers (clients): seeded, read-only through the API. */
import { type Ctx, publicView, requireRole } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import type { ClientDoc, SiteDoc, UserDoc } from "../core/model";
import { clientView } from "../core/views";

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

/** Which servers serve a volume: the main-site (hq) server, plus site servers at other sites. */
import { BadRequestError, NotFoundError } from "../../errors";
import { ID_RE } from "../../util";
import { type Ctx, requireRole, stamp } from "../core/context";
import { visibleShare } from "../core/access";
import { isMainSiteServer } from "../core/lookup";
import type { ClientDoc, ShareDoc, SiteDoc } from "../core/model";
import { asData } from "../core/validate";
import { siteHr } from "../core/views";

function volumeFor(ctx: Ctx, id: unknown): ShareDoc {
  if (typeof id !== "string" || !id) throw new BadRequestError(`${ctx.op}: 'id' (the volume id) is required`);
  const v = visibleShare(ctx, "share", id);
  if (v.type !== "volume")
    throw new BadRequestError(`${ctx.op}: servers are assigned to volumes, not ${v.type}s`);
  return v;
}

function serverFor(ctx: Ctx, raw: unknown): ClientDoc {
  const d = asData(raw, ctx.op);
  const sid = d.client ?? d.server;
  if (typeof sid !== "string" || !ID_RE.test(sid.toLowerCase()))
    throw new BadRequestError(`${ctx.op}: data.client must be a server id, got ${JSON.stringify(sid)}`);
  const c = ctx.store.get<ClientDoc>("client", sid.toLowerCase());
  if (!c || c.type !== 1) throw new NotFoundError(`No server with id '${sid}'`);
  return c;
}

export function assignServer(ctx: Ctx, id: unknown, raw: unknown): boolean {
  requireRole(ctx, ["admin"]);
  const vol = volumeFor(ctx, id);
  const srv = serverFor(ctx, raw);
  if (!srv.site || !ctx.store.get<SiteDoc>("site", srv.site))
    throw new BadRequestError(`Server '${srv.code}' is not configured at a site; configure its site first`);
  if (!vol.paths?.[srv.os])
    throw new BadRequestError(
      `Volume '${vol.code}' has no '${srv.os}' path, which server '${srv.code}' (${srv.os}) needs; update the paths first`,
    );
  if (isMainSiteServer(ctx.store, srv)) {
    vol.server = srv.id;
  } else {
    const others = (vol.siteservers ?? []).filter((s) => {
      const c = ctx.store.get<ClientDoc>("client", s);
      return s !== srv.id && c?.site !== srv.site;
    });
    vol.siteservers = [...others, srv.id];
  }
  ctx.store.put("share", stamp(ctx, vol));
  return true;
}

export function deassignServer(ctx: Ctx, id: unknown, raw: unknown): boolean {
  requireRole(ctx, ["admin"]);
  const vol = volumeFor(ctx, id);
  const srv = serverFor(ctx, raw);
  if (vol.server === srv.id) vol.server = null;
  else if (vol.siteservers?.includes(srv.id)) vol.siteservers = vol.siteservers.filter((s) => s !== srv.id);
  else
    throw new NotFoundError(
      `Server '${srv.code}' (${srv.id}) is not assigned to volume '${vol.code}' (${vol.id})`,
    );
  ctx.store.put("share", stamp(ctx, vol));
  return true;
}

export function listAssignments(ctx: Ctx, id: unknown): Record<string, unknown>[] {
  requireRole(ctx, ["admin", "employee"]);
  const vol = volumeFor(ctx, id);
  const ids = [...(vol.server ? [vol.server] : []), ...(vol.siteservers ?? [])];
  return ids.flatMap((sid) => {
    const c = ctx.store.get<ClientDoc>("client", sid);
    if (!c) return [];
    const site = ctx.store.get<SiteDoc>("site", c.site);
    return [
      {
        id: c.id,
        server: c.id,
        code: c.code,
        hostname: c.hostname,
        os: c.os,
        site: c.site,
        site_hr: siteHr(site, c.site),
        siteserver: sid !== vol.server,
      },
    ];
  });
}

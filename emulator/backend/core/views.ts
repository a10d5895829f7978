/**
 * The wire form of each stored document: internal keys dropped, derived
 * attributes (statuses, `_hr` forms, defaults) computed from lookups only.
 * Aliases are the extra values a query may match an attribute by (a code for an id).
 */
import type { Store } from "../../store";
import { type Ctx, publicView, shareHr, userHr } from "./context";
import type { Aliases } from "./find";
import { defaultVolume, mainSite, served } from "./lookup";
import type { AclDoc, ClientDoc, FileDoc, JobDoc, ShareDoc, SiteDoc, TaskDoc, UserDoc } from "./model";

// ---------------------------------------------------------------- shares

/** Why a share is offline (seed 000: not served, or its volume is offline), or undefined when it is not. */
function offlineReason(store: Store, s: ShareDoc): string | undefined {
  if (s.type === "volume") return served(s) ? undefined : "no server serves the volume";
  if (s.type !== "folder" && s.type !== "home") return undefined;
  const vol = s.parent ? store.get<ShareDoc>("share", s.parent) : undefined;
  if (!vol || vol._deleted === true) return "its volume is deleted";
  if (vol.inactive) return `its volume '${vol.code}' is inactive`;
  return served(vol) ? undefined : `no server serves its volume '${vol.code}'`;
}

export function shareStatus(store: Store, s: ShareDoc): string {
  if (offlineReason(store, s) === undefined) return s._status;
  return s._status === "enabled" ? "offline" : "disabled-offline";
}

/** The human-readable status, like the other `_hr` attributes: the status and, when offline, why. */
export function shareStatusHr(store: Store, s: ShareDoc): string {
  const why = offlineReason(store, s);
  const base = s._status === "enabled" ? "Enabled" : "Disabled: related transfers are put on hold";
  return why === undefined ? base : `${s._status === "enabled" ? "Offline" : "Disabled and offline"}: ${why}`;
}

/** The wire form; `defaultId` (the main volume's id) may be passed when viewing many shares. */
export function shareView(store: Store, s: ShareDoc, defaultId?: string | null): Record<string, unknown> {
  const v = publicView(s);
  v.status = shareStatus(store, s);
  v.status_hr = shareStatusHr(store, s);
  if (s._deleted) v.archived = true;
  if (s.type === "volume") {
    const srv = s.server ? store.get<ClientDoc>("client", s.server) : undefined;
    v.path = srv ? (s.paths?.[srv.os] ?? null) : null;
    v.default = s.id === (defaultId === undefined ? (defaultVolume(store)?.id ?? null) : defaultId);
  }
  if (s.parent) v.parent_hr = shareHr(store.get<ShareDoc>("share", s.parent), s.parent);
  if (s.user) v.user_hr = userHr(store.get<UserDoc>("user", s.user), s.user);
  return v;
}

export function shareAliases(store: Store, s: ShareDoc): Aliases {
  const out: Aliases = {};
  if (s.parent) out.parent = [store.get<ShareDoc>("share", s.parent)?.code];
  if (s.user) {
    const email = store.get<UserDoc>("user", s.user)?.code;
    out.user = [email];
    // `Home WHERE code=<e-mail>` finds the user's home whatever its code.
    if (s.type === "home") out.code = [email];
  }
  if (s.server) {
    const c = store.get<ClientDoc>("client", s.server);
    out.server = [c?.code, c?.hostname];
  }
  return out;
}

export function fileView(store: Store, f: FileDoc): Record<string, unknown> {
  return {
    ...publicView(f),
    parent_hr: shareHr(store.get<ShareDoc>("share", f.parent), f.parent),
    share_hr: shareHr(store.get<ShareDoc>("share", f.share), f.share),
  };
}

// ---------------------------------------------------------------- users, sites, servers

export function userView(u: UserDoc): Record<string, unknown> {
  return publicView(u);
}

export function siteHr(s: SiteDoc | undefined, id: string): string {
  return s ? `site:${s.code}(${s.id})` : `site:(${id})`;
}

export function clientView(store: Store, c: ClientDoc): Record<string, unknown> {
  return {
    ...publicView(c),
    roles: c.roles ?? (c.type === 1 ? ["storage"] : []),
    site_hr: siteHr(store.get<SiteDoc>("site", c.site), c.site),
    user_hr: userHr(store.get<UserDoc>("user", c.user), c.user),
  };
}

// ---------------------------------------------------------------- ACLs

export function aclView(store: Store, a: AclDoc): Record<string, unknown> {
  const userId = a.entity.slice("user:".length);
  const shareId = a.target.slice("share:".length);
  const user = store.get<UserDoc>("user", userId);
  const share = store.get<ShareDoc>("share", shareId);
  return {
    ...publicView(a),
    entity_hr: userHr(user, userId),
    target_hr: shareHr(share, shareId),
    role: user?.role ?? null,
    status: !share || share.inactive ? "offline" : "enabled",
  };
}

// ---------------------------------------------------------------- jobs and tasks

function partyHr(ctx: Ctx, party: string): string {
  const [kind, id] = party.split(":");
  if (kind === "user") return userHr(ctx.store.get<UserDoc>("user", id), id);
  if (kind === "workspace") return `workspace:${ctx.workspace.code}(${ctx.workspace.id})`;
  return party;
}

/** `source=hq`, `destination=<e-mail>`: a party matches by id, user e-mail, workspace or main site code. */
export function partyAliases(ctx: Ctx, party: string): unknown[] {
  const [kind, id] = party.split(":");
  if (kind === "user") {
    const u = ctx.store.get<UserDoc>("user", id);
    return [id, u?.code];
  }
  return [id, ctx.workspace.code, mainSite(ctx.store)?.code];
}

export function jobView(ctx: Ctx, j: JobDoc): Record<string, unknown> {
  return {
    ...publicView(j),
    source_hr: partyHr(ctx, j.source),
    destination_hr: partyHr(ctx, j.destination),
    user_hr: userHr(ctx.store.get<UserDoc>("user", j.user), j.user),
    parent_hr: null,
    uri: j.name,
    queue: j.queue ?? null,
  };
}

export function taskView(ctx: Ctx, t: TaskDoc): Record<string, unknown> {
  const j = ctx.store.get<JobDoc>("job", t.job);
  return { ...publicView(t), job_hr: j ? `${j.name}[${j._seq}](${j.id})` : `(${t.job})` };
}

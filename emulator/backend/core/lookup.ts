/**
 * Read-only lookups across kinds: the bottom layer every rule builds on. Nothing
 * here writes to the store or decides access (see access.ts).
 */
import { BadRequestError, NotFoundError } from "../../errors";
import type { Store } from "../../store";
import { ID_RE } from "../../util";
import {
  JOB_FINISHED,
  type AclDoc,
  type ClientDoc,
  type JobDoc,
  type ShareDoc,
  type ShareType,
  type SiteDoc,
  type UserDoc,
} from "./model";

/** A share kind in a uri: one of the four types, or "share" for any of them. */
export type ShareKind = ShareType | "share";

export function liveShares(store: Store): ShareDoc[] {
  return store.list<ShareDoc>("share").filter((s) => !s._deleted);
}

/** The live folders and homes of a volume. */
export function childrenOf(store: Store, volumeId: string): ShareDoc[] {
  return liveShares(store).filter((s) => s.parent === volumeId);
}

/** The live share with this id, of this kind ("share" = any kind), or 404. */
export function getShare(store: Store, kind: ShareKind, id: unknown): ShareDoc {
  const s = typeof id === "string" ? store.get<ShareDoc>("share", id.toLowerCase()) : undefined;
  if (!s || s._deleted || (kind !== "share" && s.type !== kind))
    throw new NotFoundError(`No ${kind} with id '${String(id)}'`);
  return s;
}

/** A live share by code (case-insensitive). */
export function shareByCode(store: Store, kind: ShareKind, code: string): ShareDoc | undefined {
  const c = code.toLowerCase();
  return liveShares(store).find((s) => s.code.toLowerCase() === c && (kind === "share" || s.type === kind));
}

/** The main volume: the active volume flagged default, else the first active volume (seed 000). */
export function defaultVolume(store: Store): ShareDoc | undefined {
  const vols = liveShares(store).filter((v) => v.type === "volume" && !v.inactive);
  return vols.find((v) => v.default) ?? vols[0];
}

/** A user's live home (one per user, seed 000). */
export function homeOf(store: Store, userId: string): ShareDoc | undefined {
  return liveShares(store).find((s) => s.type === "home" && s.user === userId);
}

/** Does a server (main or site) serve this volume? */
export function served(s: ShareDoc | undefined): boolean {
  return !!s && (!!s.server || (s.siteservers?.length ?? 0) > 0);
}

/** The volume a share lives on (itself for a volume; none for a collection). */
export function volumeOf(store: Store, s: ShareDoc): ShareDoc | undefined {
  if (s.type === "volume") return s;
  return s.parent ? store.get<ShareDoc>("share", s.parent) : undefined;
}

/** A user by id or e-mail (code), case-insensitive. */
export function resolveUser(store: Store, ident: unknown): UserDoc | undefined {
  if (typeof ident !== "string") return undefined;
  const s = ident
    .trim()
    .toLowerCase()
    .replace(/^user[:=]/, "");
  return store.get<UserDoc>("user", s) ?? store.list<UserDoc>("user").find((u) => u.code.toLowerCase() === s);
}

export function mainSite(store: Store): SiteDoc | undefined {
  const sites = store.list<SiteDoc>("site");
  return sites.find((s) => s.main) ?? sites[0];
}

/** Is the server at the main site (hq)? A server at another site can only be a site server. */
export function isMainSiteServer(store: Store, server: ClientDoc): boolean {
  return mainSite(store)?.id === server.site;
}

/** The server (a client of type 1) with this id: 400 when the id is malformed, 404 when unknown. */
export function getServer(store: Store, id: unknown, what: string): ClientDoc {
  if (typeof id !== "string" || !ID_RE.test(id.toLowerCase()))
    throw new BadRequestError(`${what}: server must be a server id (24 hex), got ${JSON.stringify(id)}`);
  const c = store.get<ClientDoc>("client", id.toLowerCase());
  if (!c || c.type !== 1) throw new NotFoundError(`No server with id '${id}'`);
  return c;
}

/** Every ACL held by a user (ACLs of deleted shares are removed with the share). */
export function aclsOfUser(store: Store, userId: string): AclDoc[] {
  return store.list<AclDoc>("acl").filter((a) => a.entity === `user:${userId}`);
}

/** Live jobs, not done or aborted, that use any of these shares. */
export function activeJobsUsing(store: Store, shareIds: string[]): JobDoc[] {
  const ids = new Set(shareIds);
  return store
    .list<JobDoc>("job")
    .filter((j) => !j._deleted && !JOB_FINISHED.includes(j.status) && j._shares.some((s) => ids.has(s)));
}

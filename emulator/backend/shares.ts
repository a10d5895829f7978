/** Volumes, folders, homes and collections (seed 000), and the files of collections. */
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, forbidden } from "../errors";
import type { Store } from "../store";
import { ID_RE, newId, newUuid } from "../util";
import {
  type Ctx,
  aclsOfUser,
  isAdmin,
  mainSite,
  publicView,
  requireRole,
  shareHr,
  stamp,
  userHr,
} from "./context";
import { type FindFlags, compileQuery, finish, matches } from "./find";
import { abortJobs, activeJobsUsing } from "./jobs";
import type { AclDoc, ClientDoc, FileDoc, ShareDoc, ShareType, UserDoc } from "./model";
import {
  type Data,
  asData,
  deriveCode,
  isAbsolutePath,
  optBool,
  optObject,
  optString,
  rejectUnknown,
  relativePath,
  reqString,
  validCode,
} from "./validate";
import { resolveUser } from "./users";

export type ShareKind = ShareType | "share";

const PATH_KEYS = ["windows", "linux", "mac", "windows_vpn", "linux_vpn", "mac_vpn"];
const COMMON_FIELDS = ["name", "code", "description", "email", "metadata", "queue", "status"];
const CREATE_FIELDS: Record<ShareType, string[]> = {
  volume: [...COMMON_FIELDS, "type", "paths", "server", "siteservers", "default"],
  folder: [...COMMON_FIELDS, "type", "parent", "path"],
  home: [...COMMON_FIELDS, "type", "parent", "path", "user"],
  collection: [...COMMON_FIELDS, "type", "files"],
};
const EDIT_FIELDS: Record<ShareType, string[]> = {
  volume: [...COMMON_FIELDS, "paths", "default"],
  folder: [...COMMON_FIELDS, "path"],
  home: [...COMMON_FIELDS, "path"],
  collection: [...COMMON_FIELDS],
};

// ---------------------------------------------------------------- lookups

export function liveShares(store: Store): ShareDoc[] {
  return store.list<ShareDoc>("share").filter((s) => !s._deleted);
}

function childrenOf(store: Store, volumeId: string): ShareDoc[] {
  return liveShares(store).filter((s) => s.parent === volumeId);
}

/** The main volume: the active volume flagged default, else the first active volume (seed 000). */
export function defaultVolume(store: Store): ShareDoc | undefined {
  const vols = liveShares(store).filter((v) => v.type === "volume" && !v.inactive);
  return vols.find((v) => v.default) ?? vols[0];
}

export function served(s: ShareDoc | undefined): boolean {
  return !!s && (!!s.server || (s.siteservers?.length ?? 0) > 0);
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

/** The `share:<id>` targets of the caller's ACLs (compute once per find, pass to canSeeShare). */
export function aclTargets(ctx: Ctx): Set<string> {
  return new Set(aclsOfUser(ctx.store, ctx.actor.id).map((a) => a.target));
}

export function canSeeShare(ctx: Ctx, s: ShareDoc, targets?: Set<string>): boolean {
  if (isAdmin(ctx)) return true;
  targets ??= aclTargets(ctx);
  if (targets.has(`share:${s.id}`)) return true;
  if (ctx.actor.role === "employee") {
    if (s.parent && targets.has(`share:${s.parent}`)) return true;
    if (s.type !== "volume" && s.creator === ctx.actor.code) return true;
  }
  return false;
}

/** Employees manage the folders, homes and collections they can see; admins manage everything. */
function requireManage(ctx: Ctx, s: ShareDoc): void {
  if (s.type === "volume") return requireRole(ctx, ["admin"]);
  requireRole(ctx, ["admin", "employee"]);
  if (!canSeeShare(ctx, s))
    throw forbidden(ctx.actor.role, ctx.op, `${s.type} '${s.code}' is not granted to ${ctx.actor.code}`);
}

// ---------------------------------------------------------------- views

export function shareStatus(store: Store, s: ShareDoc): string {
  let offline = false;
  if (s.type === "volume") offline = !served(s);
  else if (s.type === "folder" || s.type === "home") {
    const vol = s.parent ? store.get<ShareDoc>("share", s.parent) : undefined;
    offline = !vol || vol._deleted === true || vol.inactive || !served(vol);
  }
  if (!offline) return s._status;
  return s._status === "enabled" ? "offline" : "disabled-offline";
}

/** The wire form; `defaultId` (the main volume's id) may be passed when viewing many shares. */
export function shareView(store: Store, s: ShareDoc, defaultId?: string | null): Record<string, unknown> {
  const v = publicView(s);
  v.status = shareStatus(store, s);
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

function shareAliases(store: Store, s: ShareDoc): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (s.parent) out.parent = [store.get<ShareDoc>("share", s.parent)?.code];
  if (s.user) out.user = [store.get<UserDoc>("user", s.user)?.code];
  if (s.server) {
    const c = store.get<ClientDoc>("client", s.server);
    out.server = [c?.code, c?.hostname];
  }
  return out;
}

// ---------------------------------------------------------------- find

export function findShares(
  ctx: Ctx,
  kind: ShareKind,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const all = ctx.store.list<ShareDoc>("share").filter((s) => kind === "share" || s.type === kind);
  const picked = all.filter((s) => {
    if (id) return s.id === id.toLowerCase();
    if (s._deleted && !flags.archived) return false;
    if (s.inactive && !s._deleted && !flags.inactive && !flags.single) return false;
    if (flags.parent && s.parent !== flags.parent) return false;
    return true;
  });
  const targets = aclTargets(ctx);
  const defaultId = defaultVolume(ctx.store)?.id ?? null;
  const views = picked
    .filter((s) => canSeeShare(ctx, s, targets))
    .map((s) => ({ s, v: shareView(ctx.store, s, defaultId) }))
    .filter(({ s, v }) => matches(node, v, shareAliases(ctx.store, s)))
    .map(({ v }) => v);
  return finish(views, flags);
}

// ---------------------------------------------------------------- create

function assertCodeFree(store: Store, code: string, selfId?: string): void {
  const c = code.toLowerCase();
  const clash = liveShares(store).find((s) => s.id !== selfId && s.code.toLowerCase() === c);
  if (!clash) return;
  if (clash.inactive)
    throw new ConflictError(
      `Code '${code}' is taken by the inactive ${clash.type} '${clash.name}' (${clash.id}); ` +
        `re-activate it with ${clash.type}/activate (id or bare code as query) or choose another code`,
    );
  throw new ConflictError(`Code '${code}' is already used by ${clash.type} '${clash.name}' (${clash.id})`);
}

function writableStatus(v: unknown, what: string): "enabled" | "disabled" {
  if (v !== "enabled" && v !== "disabled")
    throw new BadRequestError(
      `${what}: status '${String(v)}' is not writable; writable statuses are enabled, disabled`,
    );
  return v;
}

function validatePaths(raw: Record<string, unknown>, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!PATH_KEYS.includes(k))
      throw new BadRequestError(`${what}: unknown paths key '${k}'; allowed: ${PATH_KEYS.join(", ")}`);
    if (v === null || v === "") continue;
    if (typeof v !== "string") throw new BadRequestError(`${what}: paths.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function getServer(store: Store, id: unknown, what: string): ClientDoc {
  if (typeof id !== "string" || !ID_RE.test(id.toLowerCase()))
    throw new BadRequestError(`${what}: server must be a server id (24 hex), got ${JSON.stringify(id)}`);
  const c = store.get<ClientDoc>("client", id.toLowerCase());
  if (!c || c.type !== 1) throw new NotFoundError(`No server with id '${id}'`);
  return c;
}

function requirePathFor(paths: Record<string, string>, server: ClientDoc, what: string): void {
  if (!paths[server.os])
    throw new BadRequestError(
      `${what}: the volume needs a '${server.os}' path because server '${server.code}' (${server.id}) runs ${server.os}`,
    );
}

/** Is the server at the main site (hq)? A server at another site can only be a site server. */
export function isMainSiteServer(store: Store, server: ClientDoc): boolean {
  return mainSite(store)?.id === server.site;
}

function baseShare(ctx: Ctx, type: ShareType, d: Data, what: string, name: string, code: string): ShareDoc {
  const metadata = optObject(d, "metadata", what) ?? {};
  const queue = optString(d, "queue", what) ?? null;
  return {
    id: newId(),
    type,
    code,
    name,
    description: optString(d, "description", what) ?? "",
    email: optString(d, "email", what) ?? "",
    metadata,
    queue,
    inactive: false,
    _status: d.status === undefined || d.status === null ? "enabled" : writableStatus(d.status, what),
    created: ctx.now,
    creator: ctx.actor.code,
    modified: ctx.now,
    modifier: ctx.actor.code,
  };
}

function codeFor(ctx: Ctx, d: Data, name: string, what: string): string {
  const given = optString(d, "code", what);
  const code = given !== undefined && given.trim() ? validCode(given.trim(), what) : deriveCode(name);
  if (!code) throw new BadRequestError(`${what}: cannot derive a code from name '${name}'; supply 'code'`);
  assertCodeFree(ctx.store, code);
  return code;
}

function activeVolume(ctx: Ctx, id: unknown, what: string): ShareDoc {
  if (typeof id !== "string") throw new BadRequestError(`${what}: 'parent' (volume id) is required`);
  const byId = ID_RE.test(id.toLowerCase()) ? ctx.store.get<ShareDoc>("share", id.toLowerCase()) : undefined;
  const vol = byId && !byId._deleted ? byId : shareByCode(ctx.store, "volume", id);
  if (!vol || vol.type !== "volume") throw new NotFoundError(`${what}: no volume '${id}'`);
  if (vol.inactive) throw new ConflictError(`${what}: volume '${vol.code}' (${vol.id}) is inactive`);
  return vol;
}

function setDefaultVolume(store: Store, vol: ShareDoc): void {
  for (const other of liveShares(store).filter((s) => s.type === "volume" && s.id !== vol.id && s.default)) {
    other.default = false;
    store.put("share", other);
  }
  vol.default = true;
}

export function createShare(ctx: Ctx, type: ShareType, raw: unknown): Record<string, unknown> {
  const what = `${type}/create`;
  if (type === "volume") requireRole(ctx, ["admin"]);
  else requireRole(ctx, ["admin", "employee"]);
  const d = asData(raw, what);
  rejectUnknown(d, CREATE_FIELDS[type], what);
  if (d.type !== undefined && d.type !== type)
    throw new BadRequestError(`${what}: type '${String(d.type)}' does not match ${type}`);
  let share: ShareDoc;
  let files: FileDoc[] = [];
  if (type === "volume") {
    const name = reqString(d, "name", what);
    const code = codeFor(ctx, d, name, what);
    share = baseShare(ctx, type, d, what, name, code);
    const paths = validatePaths(optObject(d, "paths", what) ?? {}, what);
    let server: string | null = null;
    if (d.server !== undefined && d.server !== null) {
      const srv = getServer(ctx.store, d.server, what);
      if (!isMainSiteServer(ctx.store, srv))
        throw new BadRequestError(
          `${what}: server '${srv.code}' is not at the main site; assign it as a site server (siteservers)`,
        );
      requirePathFor(paths, srv, what);
      server = srv.id;
    } else if (!paths.windows && !paths.linux && !paths.mac) {
      throw new BadRequestError(`${what}: 'paths' needs at least one of windows, linux, mac`);
    }
    const siteservers: string[] = [];
    if (d.siteservers !== undefined && d.siteservers !== null) {
      if (!Array.isArray(d.siteservers))
        throw new BadRequestError(`${what}: siteservers must be a list of server ids`);
      for (const sid of d.siteservers) {
        const srv = getServer(ctx.store, sid, what);
        if (isMainSiteServer(ctx.store, srv))
          throw new BadRequestError(`${what}: site server '${srv.code}' is at the main site; use 'server'`);
        requirePathFor(paths, srv, what);
        if (!siteservers.includes(srv.id)) siteservers.push(srv.id);
      }
    }
    Object.assign(share, { paths, server, siteservers, licensed: true, default: false });
    if (optBool(d, "default", what)) setDefaultVolume(ctx.store, share);
  } else if (type === "folder") {
    const vol = activeVolume(ctx, d.parent, what);
    if (!isAdmin(ctx) && !canSeeShare(ctx, vol))
      throw forbidden(ctx.actor.role, what, `volume '${vol.code}' is not granted to ${ctx.actor.code}`);
    const path = relativePath(reqString(d, "path", what), what);
    if (!path)
      throw new BadRequestError(`${what}: 'path' must name a folder beneath the volume, not its root`);
    const name = optString(d, "name", what)?.trim() || path.split("/").pop() || path;
    const code = codeFor(ctx, d, name, what);
    share = baseShare(ctx, type, d, what, name, code);
    Object.assign(share, { parent: vol.id, path });
  } else if (type === "home") {
    if (d.user === undefined || d.user === null)
      throw new BadRequestError(`${what}: 'user' (id or e-mail) is required`);
    const user = resolveUser(ctx.store, d.user);
    if (!user) throw new NotFoundError(`${what}: no user '${String(d.user)}'`);
    const existing = liveShares(ctx.store).find((s) => s.type === "home" && s.user === user.id);
    if (existing)
      throw new ConflictError(`User '${user.code}' already has home '${existing.code}' (${existing.id})`);
    let vol: ShareDoc;
    if (d.parent !== undefined && d.parent !== null) vol = activeVolume(ctx, d.parent, what);
    else {
      const def = defaultVolume(ctx.store);
      if (!def)
        throw new BadRequestError(`${what}: there is no default volume to hold the home; pass 'parent'`);
      vol = def;
    }
    if (!isAdmin(ctx) && !canSeeShare(ctx, vol))
      throw forbidden(ctx.actor.role, what, `volume '${vol.code}' is not granted to ${ctx.actor.code}`);
    const rawPath = optString(d, "path", what);
    const path = rawPath ? relativePath(rawPath, what) : `homes/${user.code.split("@")[0]}`;
    if (!path)
      throw new BadRequestError(`${what}: 'path' must name a folder beneath the volume, not its root`);
    const name = optString(d, "name", what)?.trim() || user.code;
    const code = codeFor(ctx, d, name, what);
    share = baseShare(ctx, type, d, what, name, code);
    Object.assign(share, { parent: vol.id, path, user: user.id });
  } else {
    const name = reqString(d, "name", what);
    const code = codeFor(ctx, d, name, what);
    share = baseShare(ctx, type, d, what, name, code);
    if (d.files !== undefined && d.files !== null) files = buildFiles(ctx, share.id, d.files, what);
  }
  ctx.store.put("share", share);
  for (const f of files) ctx.store.put("file", f);
  return shareView(ctx.store, share);
}

// ---------------------------------------------------------------- edit

export function editShare(ctx: Ctx, kind: ShareKind, id: unknown, raw: unknown): Record<string, unknown> {
  const s = getShare(ctx.store, kind, id);
  const what = `${s.type}/edit`;
  requireManage(ctx, s);
  const d = asData(raw, ctx.op);
  rejectUnknown(d, EDIT_FIELDS[s.type], what);
  if (s.inactive)
    throw new ConflictError(`${s.type} '${s.code}' (${s.id}) is inactive; activate it before modifying it`);
  for (const [k, v] of Object.entries(d)) {
    switch (k) {
      case "name":
        s.name = reqString(d, k, what);
        break;
      case "code": {
        const code = validCode(reqString(d, k, what), what);
        assertCodeFree(ctx.store, code, s.id);
        s.code = code;
        break;
      }
      case "description":
      case "email":
        s[k] = optString(d, k, what) ?? "";
        break;
      case "metadata":
        s.metadata = optObject(d, k, what) ?? {};
        break;
      case "queue":
        s.queue = optString(d, k, what) ?? null;
        break;
      case "status":
        s._status = writableStatus(v, what);
        break;
      case "paths": {
        const paths = validatePaths(optObject(d, k, what) ?? {}, what);
        for (const sid of [s.server, ...(s.siteservers ?? [])]) {
          const srv = sid ? ctx.store.get<ClientDoc>("client", sid) : undefined;
          if (srv) requirePathFor(paths, srv, what);
        }
        if (!paths.windows && !paths.linux && !paths.mac)
          throw new BadRequestError(`${what}: 'paths' needs at least one of windows, linux, mac`);
        s.paths = paths;
        break;
      }
      case "default": {
        const b = optBool(d, k, what);
        if (b) setDefaultVolume(ctx.store, s);
        else if (b === false) s.default = false;
        break;
      }
      case "path": {
        const p = relativePath(reqString(d, k, what), what);
        if (!p)
          throw new BadRequestError(`${what}: 'path' must name a folder beneath the volume, not its root`);
        s.path = p;
        break;
      }
    }
  }
  ctx.store.put("share", stamp(ctx, s));
  return shareView(ctx.store, s);
}

// ---------------------------------------------------------------- deactivate / activate / delete

function inUse(ctx: Ctx, shares: ShareDoc[], s: ShareDoc, verb: string): void {
  const jobs = activeJobsUsing(
    ctx.store,
    shares.map((x) => x.id),
  );
  if (jobs.length)
    throw new ConflictError(
      `Cannot ${verb} ${s.type} '${s.code}' (${s.id}): it is used by active job(s) ${jobs.map((j) => j.id).join(", ")}; abort them first`,
    );
}

export function deactivateShare(ctx: Ctx, kind: ShareKind, id: unknown): boolean {
  const s = getShare(ctx.store, kind, id);
  if (s.type === "home")
    throw new BadRequestError("Home shares cannot be deactivated, deactivate the user instead");
  requireManage(ctx, s);
  if (s.inactive) return true;
  const children = s.type === "volume" ? childrenOf(ctx.store, s.id).filter((c) => !c.inactive) : [];
  inUse(ctx, [s, ...children], s, "deactivate");
  for (const c of children) {
    c.inactive = true;
    c._archivedWith = s.id;
    ctx.store.put("share", stamp(ctx, c));
  }
  s.inactive = true;
  if (s.type === "volume" && s.default) s.default = false;
  ctx.store.put("share", stamp(ctx, s));
  return true;
}

export function activateShare(ctx: Ctx, kind: ShareKind, id: unknown, query: unknown): boolean {
  let s: ShareDoc | undefined;
  if (typeof id === "string" && id) s = getShare(ctx.store, kind, id);
  else if (typeof query === "string" && query.trim()) {
    const code = query
      .trim()
      .replace(/^code\s*=\s*/i, "")
      .replace(/^['"]|['"]$/g, "");
    s = shareByCode(ctx.store, kind, code);
    if (!s) throw new NotFoundError(`No ${kind} with code '${code}'`);
  } else throw new BadRequestError(`${ctx.op}: supply the share id, or its code as query`);
  requireManage(ctx, s);
  if (!s.inactive) return true;
  if (s.parent) {
    const vol = ctx.store.get<ShareDoc>("share", s.parent);
    if (vol?.inactive)
      throw new ConflictError(
        `Cannot activate ${s.type} '${s.code}': its volume '${vol.code}' is inactive; activate it first`,
      );
  }
  s.inactive = false;
  ctx.store.put("share", stamp(ctx, s));
  if (s.type === "volume") {
    for (const c of childrenOf(ctx.store, s.id).filter((x) => x._archivedWith === s.id)) {
      c.inactive = false;
      delete c._archivedWith;
      ctx.store.put("share", stamp(ctx, c));
    }
  }
  return true;
}

export function deleteShare(ctx: Ctx, kind: ShareKind, id: unknown, raw: unknown): boolean {
  const s = getShare(ctx.store, kind, id);
  requireManage(ctx, s);
  const force = raw !== null && typeof raw === "object" && (raw as Data).force === true;
  const doomed = [s, ...(s.type === "volume" ? childrenOf(ctx.store, s.id) : [])];
  const ids = doomed.map((x) => x.id);
  if (s.type === "volume" || force) abortJobs(ctx, activeJobsUsing(ctx.store, ids));
  else inUse(ctx, doomed, s, "delete");
  for (const x of doomed) {
    x.inactive = true;
    x._deleted = true;
    if (x.type === "volume") x.default = false;
    ctx.store.put("share", stamp(ctx, x));
  }
  const targets = new Set(ids.map((i) => `share:${i}`));
  for (const a of ctx.store.list<AclDoc>("acl")) if (targets.has(a.target)) ctx.store.delete("acl", a.id);
  if (s.type === "collection")
    for (const f of ctx.store.list<FileDoc>("file")) if (f.parent === s.id) ctx.store.delete("file", f.id);
  return true;
}

// ---------------------------------------------------------------- accsyn path notation and collection files

export interface SharePath {
  share: ShareDoc;
  kind: string;
  rel: string;
}

const NOTATION_RE = /^(volume|folder|share|home|collection)=([^/\\]+)(?:[/\\](.*))?$/i;

/** Resolve `volume=<code>/p`, `folder=`, `home=`, `collection=`, `share=` (any kind) to a live active share. */
export function resolveNotation(ctx: Ctx, p: unknown, what: string, allowCollection = true): SharePath {
  if (typeof p !== "string" || !p.trim())
    throw new BadRequestError(`${what}: a path must be a non-empty string`);
  const m = NOTATION_RE.exec(p.trim());
  if (!m) {
    if (isAbsolutePath(p))
      throw new BadRequestError(
        `${what}: path '${p}' is absolute; use accsyn notation (volume=<code>/path, folder=, home=, share=)`,
      );
    throw new BadRequestError(`${what}: path '${p}' is not on accsyn notation (<share type>=<code>/<path>)`);
  }
  const kind = m[1].toLowerCase() as ShareKind;
  if (kind === "collection" && !allowCollection)
    throw new BadRequestError(`${what}: a collection cannot contain files of another collection`);
  const share = shareByCode(ctx.store, kind, m[2]);
  if (!share || (!allowCollection && share.type === "collection"))
    throw new NotFoundError(`${what}: no ${kind} with code '${m[2]}'`);
  if (share.inactive) throw new ConflictError(`${what}: ${share.type} '${share.code}' is inactive`);
  if (!canSeeShare(ctx, share))
    throw new ForbiddenError(
      `Role '${ctx.actor.role}' may not use ${share.type} '${share.code}' in ${ctx.op}`,
    );
  return { share, kind, rel: relativePath(m[3] ?? "", what) };
}

function buildFiles(ctx: Ctx, collectionId: string, raw: unknown, what: string): FileDoc[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw new BadRequestError(`${what}: 'files' must be a non-empty list of paths on accsyn notation`);
  return raw.map((p) => {
    const r = resolveNotation(ctx, p, what, false);
    return {
      id: newUuid(),
      parent: collectionId,
      path: `${r.kind}=${r.share.code}${r.rel ? `/${r.rel}` : ""}`,
      share: r.share.id,
      created: ctx.now,
      creator: ctx.actor.code,
    };
  });
}

function fileView(store: Store, f: FileDoc): Record<string, unknown> {
  return {
    ...publicView(f),
    parent_hr: shareHr(store.get<ShareDoc>("share", f.parent), f.parent),
    share_hr: shareHr(store.get<ShareDoc>("share", f.share), f.share),
  };
}

function collectionFor(ctx: Ctx, id: unknown): ShareDoc {
  if (typeof id !== "string" || !id)
    throw new BadRequestError(`${ctx.op}: 'id' (the collection id) is required`);
  const c = getShare(ctx.store, "collection", id);
  requireManage(ctx, c);
  if (c.inactive) throw new ConflictError(`collection '${c.code}' (${c.id}) is inactive`);
  return c;
}

export function addFiles(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown>[] {
  const c = collectionFor(ctx, id);
  const d = asData(raw, ctx.op);
  rejectUnknown(d, ["files"], ctx.op);
  const files = buildFiles(ctx, c.id, d.files, ctx.op);
  for (const f of files) ctx.store.put("file", f);
  return files.map((f) => fileView(ctx.store, f));
}

export function removeFiles(ctx: Ctx, id: unknown, raw: unknown): boolean {
  const c = collectionFor(ctx, id);
  const d = asData(raw, ctx.op);
  if (!Array.isArray(d.files) || !d.files.every((x) => typeof x === "string"))
    throw new BadRequestError(`${ctx.op}: 'files' must be a list of file ids`);
  let removed = false;
  for (const fid of d.files as string[]) {
    const f = ctx.store.get<FileDoc>("file", fid.toLowerCase());
    if (f && f.parent === c.id) {
      ctx.store.delete("file", f.id);
      removed = true;
    }
  }
  return removed;
}

export function findFiles(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const parent = flags.parent;
  if (!parent && !id) throw new BadRequestError("File queries need the collection id as parent (entityid)");
  const targets = aclTargets(ctx);
  const visible = (f: FileDoc): boolean => {
    const c = ctx.store.get<ShareDoc>("share", f.parent);
    return !!c && !c._deleted && canSeeShare(ctx, c, targets);
  };
  const views = ctx.store
    .list<FileDoc>("file")
    .filter((f) => (id ? f.id === id.toLowerCase() : f.parent === parent))
    .filter(visible)
    .map((f) => fileView(ctx.store, f))
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

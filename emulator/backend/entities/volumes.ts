/** Volume rules (seed 000): OS paths, the serving server at the main site, site servers, the main volume. */
import { BadRequestError } from "../../errors";
import type { Store } from "../../store";
import type { Ctx } from "../core/context";
import { getServer, isMainSiteServer, liveShares } from "../core/lookup";
import type { ClientDoc, ShareDoc } from "../core/model";
import { type Data, checkPathText, optBool, optObject, reqString } from "../core/validate";
import { baseShare, codeFor } from "./share-common";

const PATH_KEYS = ["windows", "linux", "mac", "windows_vpn", "linux_vpn", "mac_vpn"];

function validatePaths(raw: Record<string, unknown>, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!PATH_KEYS.includes(k))
      throw new BadRequestError(`${what}: unknown paths key '${k}'; allowed: ${PATH_KEYS.join(", ")}`);
    if (v === null || v === "") continue;
    if (typeof v !== "string") throw new BadRequestError(`${what}: paths.${k} must be a string`);
    out[k] = checkPathText(v, `${what}: paths.${k}`);
  }
  return out;
}

/** A volume served by `server` needs the path of the server's OS. */
export function requirePathFor(paths: Record<string, string>, server: ClientDoc, what: string): void {
  if (!paths[server.os])
    throw new BadRequestError(
      `${what}: the volume needs a '${server.os}' path because server '${server.code}' (${server.id}) runs ${server.os}`,
    );
}

function requireSomePath(paths: Record<string, string>, what: string): void {
  if (!paths.windows && !paths.linux && !paths.mac)
    throw new BadRequestError(`${what}: 'paths' needs at least one of windows, linux, mac`);
}

/** Only one volume is flagged default: flagging this one clears the others. */
function setDefaultVolume(store: Store, vol: ShareDoc): void {
  for (const other of liveShares(store).filter((s) => s.type === "volume" && s.id !== vol.id && s.default)) {
    other.default = false;
    store.put("share", other);
  }
  vol.default = true;
}

export function newVolume(ctx: Ctx, d: Data, what: string): ShareDoc {
  const name = reqString(d, "name", what);
  const share = baseShare(ctx, "volume", d, what, name, codeFor(ctx, d, name, what));
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
  } else requireSomePath(paths, what);
  const siteservers: string[] = [];
  for (const sid of (d.siteservers as unknown[] | null | undefined) ?? []) {
    const srv = getServer(ctx.store, sid, what);
    if (isMainSiteServer(ctx.store, srv))
      throw new BadRequestError(`${what}: site server '${srv.code}' is at the main site; use 'server'`);
    requirePathFor(paths, srv, what);
    if (!siteservers.includes(srv.id)) siteservers.push(srv.id);
  }
  Object.assign(share, { paths, server, siteservers, licensed: true, default: false });
  if (optBool(d, "default", what)) setDefaultVolume(ctx.store, share);
  return share;
}

/** Apply a volume's own editable attribute (paths, default); false when `key` is not one. */
export function editVolumeField(ctx: Ctx, s: ShareDoc, d: Data, key: string, what: string): boolean {
  if (key === "paths") {
    const paths = validatePaths(optObject(d, key, what) ?? {}, what);
    for (const sid of [s.server, ...(s.siteservers ?? [])]) {
      const srv = sid ? ctx.store.get<ClientDoc>("client", sid) : undefined;
      if (srv) requirePathFor(paths, srv, what);
    }
    requireSomePath(paths, what);
    s.paths = paths;
    return true;
  }
  if (key === "default") {
    const b = optBool(d, key, what);
    if (b) setDefaultVolume(ctx.store, s);
    else if (b === false) s.default = false;
    return true;
  }
  return false;
}

/** Folder rules (seed 000): a shared folder at a relative path beneath an active volume. */
import type { Ctx } from "../core/context";
import type { ShareDoc } from "../core/model";
import { type Data, optString, reqString } from "../core/validate";
import { activeVolume, baseShare, codeFor, requireVolumeAccess, subPath } from "./share-common";

export function newFolder(ctx: Ctx, d: Data, what: string): ShareDoc {
  const vol = activeVolume(ctx, d.parent, what);
  requireVolumeAccess(ctx, vol, what);
  const path = subPath(reqString(d, "path", what), what);
  const name = optString(d, "name", what)?.trim() || path.split("/").pop() || path;
  const share = baseShare(ctx, "folder", d, what, name, codeFor(ctx, d, name, what));
  return Object.assign(share, { parent: vol.id, path });
}

/** Folders and homes: the path can change, the parent volume cannot; false when `key` is not the path. */
export function editSubPathField(s: ShareDoc, d: Data, key: string, what: string): boolean {
  if (key !== "path" || (s.type !== "folder" && s.type !== "home")) return false;
  s.path = subPath(reqString(d, "path", what), what);
  return true;
}

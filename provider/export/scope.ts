/**
 * Which shares an export covers: the whole workspace, or with `--volume CODE` one volume and what
 * lies beneath it (its folders and homes, the collections whose files all lie in those shares, and
 * the grants on any of them).
 */
import { nearMatches } from "../runtime/near";
import type { ShareType } from "../vocabulary";
import { ExportUsageError } from "./errors";
import type { LiveEntity, Snapshot } from "./snapshot";

export interface Scope {
  /** Whether the share of that type and id is in the export. */
  has(type: ShareType, id: string): boolean;
  /** The subset's volume code (as accsyn spells it), when there is one. */
  readonly volume?: string;
}

const EVERYTHING: Scope = { has: () => true };

const lower = (v: unknown): string => String(v ?? "").toLowerCase();

/** The share code a file path in accsyn notation (`folder=show/plates/x.exr`) lies in. */
function shareCodeOf(path: string): string | undefined {
  return /^(?:volume|folder|share|home|collection)=([^/]+)/i.exec(path.trim())?.[1]?.toLowerCase();
}

export function scopeOf(snap: Snapshot, volumeCode: string | undefined): Scope {
  if (volumeCode === undefined) return EVERYTHING;
  const volume = snap.shares.Volume.find((v) => lower(v.code) === volumeCode.toLowerCase());
  if (volume === undefined) {
    const codes = snap.shares.Volume.map((v) => String(v.code ?? ""));
    const near = nearMatches(volumeCode, codes);
    throw new ExportUsageError(
      `--volume: no volume has the code '${volumeCode}'` +
        (near.length > 0 ? ` (did you mean ${near.map((n) => `'${n}'`).join(" or ")}?)` : ""),
      `name one of ${codes.length > 0 ? codes.map((c) => `'${c}'`).join(", ") : "(the workspace has no volume)"}`,
    );
  }
  const beneath = (e: LiveEntity): boolean => e.parent === volume.id;
  const ids = new Set<string>([
    volume.id,
    ...snap.shares.Folder.filter(beneath).map((f) => f.id),
    ...snap.shares.Home.filter(beneath).map((h) => h.id),
  ]);
  const codes = new Set(
    [volume, ...snap.shares.Folder.filter(beneath), ...snap.shares.Home.filter(beneath)].map((s) =>
      lower(s.code),
    ),
  );
  for (const c of snap.shares.Collection) {
    const files = snap.files.get(c.id) ?? [];
    if (files.length > 0 && files.every((f) => codes.has(shareCodeOf(f) ?? ""))) ids.add(c.id);
  }
  return { has: (_type, id) => ids.has(id), volume: String(volume.code) };
}

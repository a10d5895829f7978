/**
 * The two sides of a transfer: a share (accsyn notation, `~` for the caller's
 * home, or a bare relative path on the default volume), `client=<id>:/path`,
 * `user:<id|email>`, or an absolute path on the caller's machine. A share side
 * must obey the caller's ACL path rules and be on a served volume.
 */
import { BadRequestError, ConflictError, NotFoundError } from "../../errors";
import { requirePathAccess } from "../core/access";
import type { Ctx } from "../core/context";
import { resolveUser, served, volumeOf } from "../core/lookup";
import type { ShareDoc, TaskParty } from "../core/model";
import { type SharePath, isHomePath, isNotation, resolveRelaxed } from "../core/notation";
import { checkPathText, isAbsolutePath, relativePath } from "../core/validate";

export interface Party {
  /** `workspace:<id>` for a share side, `user:<id>` for a user's machine. */
  party: string;
  /** As submitted (kept as the job's source_path/destination_path). */
  path: string;
  task: TaskParty;
  shareId?: string;
}

export function basename(p: string): string {
  const parts = p.split(/[/\\]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

export function joinPath(dir: string, name: string): string {
  return dir.endsWith("/") || dir.endsWith("\\") ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * The destination path of one source's task. A destination is a directory the
 * source goes into, unless it already ends with the source's name (the official
 * suite uploads `a.jpg` to `folder=x/a.jpg`): then it is the file's full path.
 * A trailing slash always means a directory.
 */
export function destinationFor(dest: Party, source: string): string {
  const path = dest.task.path;
  // A share's root (`~`, `volume=v`) holds the file itself; a user side without a path stays unset.
  if (!path) return dest.shareId ? basename(source) : "";
  const name = basename(source);
  if (!/[/\\]$/.test(dest.path) && basename(path) === name) return path;
  return joinPath(path, name);
}

/** A share path a job may use (notation or relaxed): the caller's ACL rules allow it, and its volume is served. */
export function jobSharePath(ctx: Ctx, s: string, what: string, mode: "read" | "write"): SharePath {
  const r = resolveRelaxed(ctx, s, what);
  requirePathAccess(ctx, r.share, r.rel, mode);
  const vol = volumeOf(ctx.store, r.share);
  if (vol && !served(vol))
    throw new ConflictError(
      `${what}: volume '${vol.code}' (${vol.id}) is offline: no server serves it; assign a server before submitting jobs`,
    );
  return r;
}

/** A share side of a job: its party, the path as submitted, and the task's share and path. */
function shareParty(ctx: Ctx, s: string, what: string, mode: "read" | "write"): Party {
  const r = jobSharePath(ctx, s, what, mode);
  const v = r.share.type === "volume" ? r.share.id : (r.share.parent ?? r.share.id);
  return {
    party: `workspace:${ctx.workspace.id}`,
    path: s,
    task: { path: r.rel, v, s: r.share.id },
    shareId: r.share.id,
  };
}

export function parseParty(ctx: Ctx, raw: unknown, what: string, mode: "read" | "write"): Party {
  if (typeof raw !== "string" || !raw.trim()) throw new BadRequestError(`${what} must be a non-empty string`);
  const s = checkPathText(raw.trim(), what);
  if (isNotation(s) || isHomePath(s)) return shareParty(ctx, s, what, mode);
  const client = /^client=([0-9a-f]{24}):(.*)$/i.exec(s);
  if (client) {
    return {
      party: `user:${ctx.actor.id}`,
      path: client[2],
      task: { path: client[2], client: client[1].toLowerCase(), user: ctx.actor.id },
    };
  }
  if (/^client=/i.test(s)) throw new BadRequestError(`${what}: '${s}' must be client=<24-hex app id>:<path>`);
  const user = /^user[:=](.+)$/i.exec(s);
  if (user) {
    const u = resolveUser(ctx.store, user[1]);
    if (!u) throw new NotFoundError(`${what}: no user '${user[1]}'`);
    return { party: `user:${u.id}`, path: "", task: { path: "", user: u.id } };
  }
  if (isAbsolutePath(s))
    return { party: `user:${ctx.actor.id}`, path: s, task: { path: s, user: ctx.actor.id } };
  // Relaxed notation (the official suite uploads to "a.jpg"): the default volume's root.
  return shareParty(ctx, s, what, mode);
}

/** A task side on a share (inherited from the job's first task) obeys the caller's ACL rules too. */
export function checkSharePart(ctx: Ctx, part: TaskParty, mode: "read" | "write"): void {
  if (!part.s || isAbsolutePath(part.path)) return;
  const share = ctx.store.get<ShareDoc>("share", part.s);
  if (!share || share._deleted)
    throw new NotFoundError(`${ctx.op}: the job's share ${part.s} no longer exists`);
  requirePathAccess(ctx, share, relativePath(part.path, ctx.op), mode);
}

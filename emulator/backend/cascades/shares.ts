/**
 * Share lifecycle with its cascades (seed 000): deactivating a volume archives its
 * folders and homes; activating restores exactly those; deleting removes
 * descendants, their ACLs and a collection's files, and aborts the jobs using them.
 */
import { BadRequestError, ConflictError, NotFoundError } from "../../errors";
import { canSeeShare, requireManage, requireManageRole, visibleShare } from "../core/access";
import { type Ctx, stamp } from "../core/context";
import { type ShareKind, activeJobsUsing, childrenOf, shareByCode } from "../core/lookup";
import type { ShareDoc } from "../core/model";
import { removeAclsOn } from "../entities/acls";
import { removeAllFiles } from "../entities/collections";
import { abortJobs } from "../entities/job-common";

function refuseIfInUse(ctx: Ctx, shares: ShareDoc[], s: ShareDoc, verb: string): void {
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
  requireManageRole(ctx, kind);
  const s = visibleShare(ctx, kind, id);
  if (s.type === "home")
    throw new BadRequestError("Home shares cannot be deactivated, deactivate the user instead");
  requireManage(ctx, s);
  if (s.inactive) return true;
  const children = s.type === "volume" ? childrenOf(ctx.store, s.id).filter((c) => !c.inactive) : [];
  refuseIfInUse(ctx, [s, ...children], s, "deactivate");
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

/** By id, or by code given as the query (`x` or `code=x`). */
function shareToActivate(ctx: Ctx, kind: ShareKind, id: unknown, query: unknown): ShareDoc {
  if (typeof id === "string" && id) return visibleShare(ctx, kind, id);
  if (typeof query === "string" && query.trim()) {
    const code = query
      .trim()
      .replace(/^code\s*=\s*/i, "")
      .replace(/^['"]|['"]$/g, "");
    const s = shareByCode(ctx.store, kind, code);
    if (!s || !canSeeShare(ctx, s)) throw new NotFoundError(`No ${kind} with code '${code}'`);
    return s;
  }
  throw new BadRequestError(`${ctx.op}: supply the share id, or its code as query`);
}

export function activateShare(ctx: Ctx, kind: ShareKind, id: unknown, query: unknown): boolean {
  requireManageRole(ctx, kind);
  const s = shareToActivate(ctx, kind, id, query);
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
  requireManageRole(ctx, kind);
  const s = visibleShare(ctx, kind, id);
  requireManage(ctx, s);
  const force = raw !== null && typeof raw === "object" && (raw as Record<string, unknown>).force === true;
  const doomed = [s, ...(s.type === "volume" ? childrenOf(ctx.store, s.id) : [])];
  const ids = doomed.map((x) => x.id);
  if (s.type === "volume" || force) abortJobs(ctx, activeJobsUsing(ctx.store, ids));
  else refuseIfInUse(ctx, doomed, s, "delete");
  for (const x of doomed) {
    x.inactive = true;
    x._deleted = true;
    if (x.type === "volume") x.default = false;
    ctx.store.put("share", stamp(ctx, x));
  }
  removeAclsOn(ctx, ids);
  if (s.type === "collection") removeAllFiles(ctx, s.id);
  return true;
}

/** Collection rules (seed 000): a virtual share of files from volumes, folders and homes; its files. */
import { BadRequestError, ConflictError } from "../../errors";
import { newUuid } from "../../util";
import { aclTargets, canSeeShare, requireManage, requireManageRole, visibleShare } from "../core/access";
import type { Ctx } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import type { FileDoc, ShareDoc } from "../core/model";
import { resolveNotation } from "../core/notation";
import { type Data, reqString } from "../core/validate";
import { fileView } from "../core/views";
import { FILE, checkInput } from "../fields";
import { baseShare, codeFor } from "./share-common";

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

/** A new collection and its first files (stored by the caller together with the collection). */
export function newCollection(ctx: Ctx, d: Data, what: string): { share: ShareDoc; files: FileDoc[] } {
  const name = reqString(d, "name", what);
  const share = baseShare(ctx, "collection", d, what, name, codeFor(ctx, d, name, what));
  const files = d.files !== undefined && d.files !== null ? buildFiles(ctx, share.id, d.files, what) : [];
  return { share, files };
}

function collectionFor(ctx: Ctx, id: unknown): ShareDoc {
  if (typeof id !== "string" || !id)
    throw new BadRequestError(`${ctx.op}: 'id' (the collection id) is required`);
  requireManageRole(ctx, "collection");
  const c = visibleShare(ctx, "collection", id);
  requireManage(ctx, c);
  if (c.inactive) throw new ConflictError(`collection '${c.code}' (${c.id}) is inactive`);
  return c;
}

export function addFiles(ctx: Ctx, id: unknown, raw: unknown): Record<string, unknown>[] {
  const c = collectionFor(ctx, id);
  const d = checkInput(FILE, "create", raw, ctx.op);
  const files = buildFiles(ctx, c.id, d.files, ctx.op);
  for (const f of files) ctx.store.put("file", f);
  return files.map((f) => fileView(ctx.store, f));
}

export function removeFiles(ctx: Ctx, id: unknown, raw: unknown): boolean {
  const c = collectionFor(ctx, id);
  const d = raw !== null && typeof raw === "object" ? (raw as Data) : {};
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

/** Every file of a collection goes with it (used when the collection is deleted). */
export function removeAllFiles(ctx: Ctx, collectionId: string): void {
  for (const f of ctx.store.list<FileDoc>("file"))
    if (f.parent === collectionId) ctx.store.delete("file", f.id);
}

/**
 * `file/find`: the files of one collection (`parent`, the documented form), one file (`id`), or, without
 * either, the files of every collection the caller sees (Decision 17), each naming its collection in
 * `parent`; files of inactive collections only with `inactive`.
 */
export function findFiles(
  ctx: Ctx,
  query: unknown,
  flags: FindFlags,
  id?: string,
): Record<string, unknown>[] {
  const node = compileQuery(query);
  const parent = flags.parent;
  const targets = aclTargets(ctx);
  const visible = (f: FileDoc): boolean => {
    const c = ctx.store.get<ShareDoc>("share", f.parent);
    if (!c || c._deleted || !canSeeShare(ctx, c, targets)) return false;
    return !!id || !!parent || !c.inactive || flags.inactive === true;
  };
  const views = ctx.store
    .list<FileDoc>("file")
    .filter((f) => (id ? f.id === id.toLowerCase() : parent ? f.parent === parent : true))
    .filter(visible)
    .map((f) => fileView(ctx.store, f))
    .filter((v) => matches(node, v));
  return finish(views, flags);
}

/** A `file/find` that names neither a collection nor a file, for a server started to refuse it. */
export function isFileListWithoutParent(uri: string, id: unknown, data: unknown): boolean {
  if (uri.toLowerCase() !== "file/find" || (typeof id === "string" && id !== "")) return false;
  const d = data !== null && typeof data === "object" ? (data as Record<string, unknown>) : {};
  const parent = d.parent ?? d.entityid;
  return parent === undefined || parent === null;
}

/** Find, create and edit of any share kind: the kind-specific rules live in volumes, folders, homes, collections. */
import { BadRequestError, ConflictError } from "../../errors";
import { aclTargets, canSeeShare, requireManage, requireManageRole, visibleShare } from "../core/access";
import { type Ctx, requireRole, stamp } from "../core/context";
import { type FindFlags, compileQuery, finish, matches } from "../core/find";
import { type ShareKind, defaultVolume } from "../core/lookup";
import type { FileDoc, ShareDoc, ShareType } from "../core/model";
import { shareAliases, shareView } from "../core/views";
import { type KindFields, checkInput, descriptorOf } from "../fields";
import { newCollection } from "./collections";
import { editSubPathField, newFolder } from "./folders";
import { newHome } from "./homes";
import { editCommon } from "./share-common";
import { editVolumeField, newVolume } from "./volumes";

function fieldsOf(type: ShareKind): KindFields {
  const desc = descriptorOf(type);
  if (!desc) throw new Error(`No field descriptor for ${type}`);
  return desc;
}

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

export function createShare(ctx: Ctx, type: ShareType, raw: unknown): Record<string, unknown> {
  const what = `${type}/create`;
  requireRole(ctx, type === "volume" ? ["admin"] : ["admin", "employee"]);
  const d = checkInput(fieldsOf(type), "create", raw, what);
  if (d.type !== undefined && d.type !== null && d.type !== type)
    throw new BadRequestError(`${what}: type '${String(d.type)}' does not match ${type}`);
  let share: ShareDoc;
  let files: FileDoc[] = [];
  if (type === "volume") share = newVolume(ctx, d, what);
  else if (type === "folder") share = newFolder(ctx, d, what);
  else if (type === "home") share = newHome(ctx, d, what);
  else ({ share, files } = newCollection(ctx, d, what));
  ctx.store.put("share", share);
  for (const f of files) ctx.store.put("file", f);
  return shareView(ctx.store, share);
}

export function editShare(ctx: Ctx, kind: ShareKind, id: unknown, raw: unknown): Record<string, unknown> {
  requireManageRole(ctx, kind);
  const s = visibleShare(ctx, kind, id);
  const what = `${s.type}/edit`;
  requireManage(ctx, s);
  const d = checkInput(fieldsOf(s.type), "update", raw, what);
  if (s.inactive)
    throw new ConflictError(`${s.type} '${s.code}' (${s.id}) is inactive; activate it before modifying it`);
  for (const key of Object.keys(d)) {
    const applied =
      editCommon(ctx, s, d, key, what) ||
      (s.type === "volume" && editVolumeField(ctx, s, d, key, what)) ||
      editSubPathField(s, d, key, what);
    // The descriptor let the key through: a writable field no rule applies is a bug, never a silent no-op.
    if (!applied) throw new Error(`${what}: no rule applies the writable attribute '${key}'`);
  }
  ctx.store.put("share", stamp(ctx, s));
  return shareView(ctx.store, s);
}

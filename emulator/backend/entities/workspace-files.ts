/**
 * File operations on shares (`workspace/file`: ls, getsize, exists, mkdir,
 * rename, move, delete). On the service a storage server performs them;
 * accsyn-local has no file systems behind its servers, so it answers as the
 * service does when the volume's servers are offline: after the same checks of
 * the request and of the caller's rights (so a refusal for rights is still a
 * 403), every operation is a 409 naming the volume. Paths take the relaxed
 * notation: a bare relative path is on the default volume's root, as in the
 * official suite (`mkdir("shared-folder")`), `~` the caller's home.
 */
import { BadRequestError, ConflictError } from "../../errors";
import { requirePathAccess } from "../core/access";
import type { Ctx } from "../core/context";
import { volumeOf } from "../core/lookup";
import { type SharePath, resolveRelaxed } from "../core/notation";
import { asData, checkPathText } from "../core/validate";

type Mode = "read" | "write";

const OPS: Record<string, { method: string; mode: Mode; to?: boolean }> = {
  ls: { method: "GET", mode: "read" },
  getsize: { method: "GET", mode: "read" },
  exists: { method: "GET", mode: "read" },
  mkdir: { method: "POST", mode: "write" },
  delete: { method: "POST", mode: "write" },
  rename: { method: "PUT", mode: "write", to: true },
  move: { method: "PUT", mode: "write", to: true },
};
const KEYS = ["op", "path", "path_to", "download", "recursive", "getsize", "force"];

function resolve(ctx: Ctx, raw: string, what: string, mode: Mode): SharePath {
  const r = resolveRelaxed(ctx, checkPathText(raw.trim(), what), what);
  requirePathAccess(ctx, r.share, r.rel, mode);
  return r;
}

function paths(v: unknown, key: string, what: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((x) => typeof x === "string" && x.trim()))
    throw new BadRequestError(
      `${what}: '${key}' must be a path or a list of paths (accsyn notation or relative)`,
    );
  return list as string[];
}

export function workspaceFile(ctx: Ctx, method: string, raw: unknown): never {
  const d = asData(raw, ctx.op);
  for (const k of Object.keys(d))
    if (!KEYS.includes(k))
      throw new BadRequestError(`Unknown attribute '${k}' for ${ctx.op}; allowed: ${KEYS.join(", ")}`);
  const op = typeof d.op === "string" ? OPS[d.op] : undefined;
  if (!op) throw new BadRequestError(`${ctx.op}: 'op' must be one of ${Object.keys(OPS).join(", ")}`);
  const what = `${ctx.op} ${String(d.op)}`;
  if (method !== op.method) throw new BadRequestError(`${what} is sent with ${op.method}, not ${method}`);
  const targets = paths(d.path, "path", what).map((p) => resolve(ctx, p, what, op.mode));
  if (op.to) targets.push(...paths(d.path_to, "path_to", what).map((p) => resolve(ctx, p, what, "write")));
  const vol = volumeOf(ctx.store, targets[0].share);
  const where = vol ? `volume '${vol.code}'` : `collection '${targets[0].share.code}'`;
  throw new ConflictError(
    `${what}: the storage server of ${where} is offline ` +
      "(accsyn-local emulates the API, not the servers' file systems: file operations always find them offline)",
  );
}

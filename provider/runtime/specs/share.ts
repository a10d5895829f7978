import { z } from "zod";
import type { Entity, ShareKind, WorkspaceApi } from "../api";
import { sameValue } from "../diff";
import { ResourceConflictError } from "../errors";
import type { CommonInputs, DeletionPolicy, ResourceSpec } from "../spec";
import { isAccsynError } from "../../client/errors";
import { DEACTIVATED } from "../spec";

/** Fields every share kind has, as the resources name them. */
export const shareFields = {
  name: z.string().min(1, "must not be empty").optional(),
  code: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9_.-]*$/i,
      "must be letters, digits, '_', '-' or '.' (it is used in paths like share=<code>/...)",
    )
    .optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  metadata: z.record(z.unknown()).optional(),
  queue: z.string().optional(),
  status: z.enum(["enabled", "disabled"], { message: "only 'enabled' or 'disabled' can be set" }).optional(),
  adopt: z.boolean().optional(),
  deletionPolicy: z.enum(["deactivate", "delete", "retain"]).optional(),
  resourceName: z.string().optional(),
};

export const SHARE_MANAGED = ["name", "code", "description", "email", "metadata", "queue", "status"] as const;

/** Statuses accsyn derives (a volume without a serving server) shown as the writable status they imply. */
export function writableStatus(live: unknown): unknown {
  if (live === "offline") return "enabled";
  if (live === "disabled-offline") return "disabled";
  return live;
}

export function projectCommon(live: Entity, inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = live.inactive === true ? { [DEACTIVATED]: true } : {};
  for (const f of SHARE_MANAGED) {
    if (inputs[f] === undefined) continue;
    out[f] = f === "status" ? writableStatus(live[f]) : (live[f] ?? undefined);
  }
  return out;
}

export function commonPayload(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SHARE_MANAGED) if (inputs[f] !== undefined) out[f] = inputs[f];
  return out;
}

/** Only the fields that differ from the live entity, so an update touches nothing else. */
export function changedPayload(
  desired: Record<string, unknown>,
  live: Entity | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(desired)) {
    const current = k === "status" ? writableStatus(live?.[k]) : live?.[k];
    if (!live || !sameValue(v, current)) out[k] = v;
  }
  return out;
}

/** Brings the common share fields to the declared values, touching only those that differ. */
export async function updateCommon(
  api: WorkspaceApi,
  kind: ShareKind,
  id: string,
  inputs: Record<string, unknown>,
): Promise<void> {
  const patch = changedPayload(commonPayload(inputs), await activeShareForUpdate(api, kind, id));
  if (Object.keys(patch).length > 0) await api.updateShare(kind, id, patch);
}

export async function liveShare(api: WorkspaceApi, kind: ShareKind, id: string): Promise<Entity | undefined> {
  const e = (await api.listShares(kind)).find((x) => x.id === id);
  // Deleted shares stay in accsyn's archive for audit; for the program they are gone.
  return e && e.archived !== true ? e : undefined;
}

/**
 * The live share, re-activated first if someone deactivated it outside Pulumi: the declared state
 * says it exists, and activating restores it in place (same id, its ACLs back online).
 */
export async function activeShareForUpdate(
  api: WorkspaceApi,
  kind: ShareKind,
  id: string,
): Promise<Entity | undefined> {
  const live = await liveShare(api, kind, id);
  if (live?.inactive === true) await api.activateShare(kind, id);
  return live;
}

/**
 * Creates a share, or takes over the one that already has its natural key: a deactivated one is
 * restored (the same id comes back, as accsyn's "restore if you recreate" promises), an active one
 * only with `adopt`, otherwise the error names it and says how to proceed.
 */
export async function createOrRestore(
  api: WorkspaceApi,
  kind: ShareKind,
  existing: Entity | undefined,
  adopt: boolean | undefined,
  payload: Record<string, unknown>,
  describe: string,
): Promise<Entity> {
  if (existing && existing.inactive !== true && !adopt) {
    throw new ResourceConflictError(
      kind,
      "create",
      `${describe} already exists as ${kind} '${String(existing.name ?? existing.code)}' (id ${existing.id}). ` +
        `Set 'adopt: true' to manage it with Pulumi, or choose another ${kind === "Home" ? "user" : "code"}`,
    );
  }
  if (existing) {
    if (existing.inactive === true) await api.activateShare(kind, existing.id);
    const patch = changedPayload(payload, existing);
    return Object.keys(patch).length > 0 ? api.updateShare(kind, existing.id, patch) : existing;
  }
  return api.createShare(kind, payload);
}

export async function removeShare(
  api: WorkspaceApi,
  kind: ShareKind,
  id: string,
  policy: DeletionPolicy,
  label: string,
): Promise<void> {
  if (policy === "retain") return;
  try {
    if (policy === "delete") await api.deleteShare(kind, id);
    else await api.deactivateShare(kind, id);
  } catch (e) {
    if (isAccsynError(e) && e.status === 404) return; // already gone: delete succeeds
    if (isAccsynError(e) && e.status === 409) {
      throw new ResourceConflictError(
        kind,
        policy,
        `${label} could not be ${policy}d: ${e.serverMessage ?? e.message}. Abort or finish those jobs ` +
          `(accsyn web app, or session.update("Transfer", id, {"status": "aborted"})) and run the command again, ` +
          `or set deletionPolicy: "retain" to leave it in accsyn`,
      );
    }
    throw e;
  }
}

export type ShareSpec<I extends CommonInputs> = ResourceSpec<I>;

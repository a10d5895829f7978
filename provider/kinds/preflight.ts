/**
 * Checks that preview runs against the live workspace (through each kind's `preflight` and
 * `replaceable`), so that what `up` would refuse fails before any change, naming the field and the
 * fix. They read only the coalesced lists the operations read anyway.
 */
import type { Entity, WorkspaceApi } from "../runtime/api";
import { ConflictError } from "../runtime/errors";
import { requireServerId, requireShareId, requireUserId } from "../runtime/resolve";
import { SHARE_TYPES, type ShareType } from "../vocabulary";
import type { Adoption } from "./kind";
import { madeBy } from "./marker";
import { shareByCode } from "./share";

/** Each reference that is known (not waiting on another resource) must name something. */
export async function checkRefs(
  api: WorkspaceApi,
  kind: string,
  refs: readonly { field: string; target: "Volume" | "Server" | "User"; value: string | undefined }[],
): Promise<void> {
  for (const { field, target, value } of refs) {
    if (value === undefined) continue;
    if (target === "Volume") await requireShareId(api, "Volume", value, kind, field);
    else if (target === "Server") await requireServerId(api, value, kind, field);
    else await requireUserId(api, value, kind, field);
  }
}

/**
 * A new resource whose natural key an active entity already has: `up` would refuse it, so preview
 * does; with `adopt`, or when a create of this same resource made it (its marker names `owner`: a
 * run killed before the state recorded it), it is the entity the create takes over. A deactivated
 * one is restored by the create (accsyn's "restore if you recreate").
 */
export function refuseTaken(
  kind: ShareType,
  existing: Entity | undefined,
  adopt: boolean | undefined,
  field: string,
  describe: string,
  replacing: string | undefined,
  owner: string | undefined,
): Adoption | undefined {
  if (!existing || existing.inactive === true || existing.id === replacing) return undefined;
  if (adopt === true || madeBy(existing, owner)) return { adopts: existing.id };
  throw new ConflictError({
    entity: { kind },
    field,
    problem: `${describe} is already taken by ${kind} '${String(existing.name ?? existing.code)}' (id ${existing.id})`,
    fix: `set 'adopt: true' to manage that ${kind} with Pulumi, or choose another ${field}`,
  });
}

/** Share codes are unique among all shares: a code another type of share holds cannot be used. */
export async function refuseCodeOfOtherType(
  api: WorkspaceApi,
  kind: ShareType,
  code: string | undefined,
): Promise<void> {
  // A replacement keeps its kind, so the entity it replaces is never among these.
  if (code === undefined) return;
  const want = code.toLowerCase();
  for (const type of SHARE_TYPES) {
    if (type === kind) continue;
    const other = (await api.list(type)).find(
      (e) => e.archived !== true && String(e.code ?? "").toLowerCase() === want,
    );
    if (other) {
      throw new ConflictError({
        entity: { kind },
        field: "code",
        problem: `code '${code}' is taken by ${type} '${String(other.name ?? other.code)}' (id ${other.id}); codes are unique among all shares`,
        fix: "choose another code",
      });
    }
  }
}

/** A new share keyed by its code (Volume, Collection): taken by one of its type, or by another type. */
export async function refuseTakenCode(
  api: WorkspaceApi,
  kind: ShareType,
  inputs: { code?: string; adopt?: boolean },
  replacing: string | undefined,
  owner: string | undefined,
): Promise<Adoption | undefined> {
  if (inputs.code === undefined) return undefined;
  const existing = await shareByCode(api, kind, inputs.code);
  const adoption = refuseTaken(
    kind,
    existing,
    inputs.adopt,
    "code",
    `code '${inputs.code}'`,
    replacing,
    owner,
  );
  await refuseCodeOfOtherType(api, kind, inputs.code);
  return adoption;
}

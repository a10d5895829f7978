/**
 * Cached lists brought up to date from a write's own reply (see `CallSpec.cacheUpdate`), so that a run which
 * creates hundreds of entities does not read every list again after each of them. Only writes whose whole effect
 * the reply shows are applied this way; for any other write, and whenever the reply is not what was expected,
 * the lists `INVALIDATES` names are dropped and read again.
 */
import { SHARE_TYPES, type ShareType } from "../vocabulary";
import { invalidatedBy } from "./invalidation";
import { AclSchema, EntityType, SCHEMAS } from "./schemas";
import type { CachedLists } from "./session";

interface WithId {
  id: string;
  [field: string]: unknown;
}

/** The flags-only lists (`list(et, {inactive})`): a new, active entity belongs in each of them. */
function wholeList(key: string): boolean {
  try {
    const flags = JSON.parse(key) as Record<string, unknown>;
    return Object.keys(flags).every((k) => k === "inactive");
  } catch {
    // not a flags key: some other list, which this edit cannot speak for (the caller drops it)
    return false;
  }
}

function upsert(entity: WithId): (list: WithId[]) => WithId[] {
  return (list) => [...list.filter((e) => e.id !== entity.id), entity];
}

function firstOf(result: unknown): unknown {
  return Array.isArray(result) ? (result[0] as unknown) : result;
}

/** Only one volume is the default: a new default volume clears the flag of the others. */
function clearOtherDefaults(id: string): (list: WithId[]) => WithId[] {
  return (list) => list.map((v) => (v.id !== id && v.default === true ? { ...v, default: false } : v));
}

/** A share create: the new share joins its type's lists; nothing else changes. */
export function shareCreated(
  et: EntityType,
  uri: string,
): ((result: unknown, lists: CachedLists) => void) | undefined {
  if (!(SHARE_TYPES as readonly string[]).includes(et)) return undefined;
  const type = et as ShareType;
  return (result, lists) => {
    const parsed = SCHEMAS[type].safeParse(firstOf(result));
    if (!parsed.success) {
      lists.invalidate(...invalidatedBy(uri));
      return;
    }
    const entity = parsed.data as WithId;
    lists.edit(type, upsert(entity), wholeList);
    if (type === "Volume" && entity.default === true)
      lists.edit("Volume", clearOtherDefaults(entity.id), wholeList);
  };
}

/**
 * A grant: its ACL (created, or updated in place) replaces the one of that id. A grant that may invite a user or
 * bring a deactivated one back (with their home) also changes those lists, which are then read again.
 */
export function aclGranted(mayInvite: boolean): (result: unknown, lists: CachedLists) => void {
  return (result, lists) => {
    if (mayInvite) lists.invalidate("User", "Home");
    const parsed = AclSchema.safeParse(firstOf(result));
    if (!parsed.success) {
      lists.invalidate("Acl");
      return;
    }
    lists.edit("Acl", upsert(parsed.data as WithId), wholeList);
  };
}

/** A revoked ACL leaves the list. */
export function aclRevoked(aclId: string): (result: unknown, lists: CachedLists) => void {
  return (_result, lists) => {
    lists.edit<WithId[]>("Acl", (list) => list.filter((a) => a.id !== aclId), wholeList);
  };
}

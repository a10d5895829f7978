/**
 * Cached lists brought up to date from a write's own reply (see `CallSpec.cacheUpdate`), so that a run which
 * creates hundreds of entities does not read every list again after each of them. Only writes whose whole effect
 * the reply shows are applied this way; for any other write, and whenever the reply is not what was expected,
 * the lists `INVALIDATES` names are dropped and read again.
 */
import { SHARE_TYPES, type ShareType } from "../vocabulary";
import { refId } from "./ids";
import { invalidatedBy } from "./invalidation";
import { AclSchema, EntityType, SCHEMAS } from "./schemas";
import type { CachedLists } from "./session";

interface WithId {
  id: string;
  [field: string]: unknown;
}

/** The flags-only lists (`list(et, {inactive})`): a new, active entity belongs in each of them. */
export function wholeList(key: string): boolean {
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
 * A folder or collection deactivated: it stays, marked inactive, in the lists that include inactive shares and
 * leaves the others; nothing else of it changes, and no other share does (a volume's deactivation also archives
 * its folders and homes, and is not edited here). Its ACLs leave the list of active shares' ACLs (`{}`); the lists
 * that keep them show it offline, and are dropped.
 */
export function shareDeactivated(
  et: EntityType,
  id: string,
): ((result: unknown, lists: CachedLists) => void) | undefined {
  if (et !== "Folder" && et !== "Collection") return undefined;
  return (result, lists) => {
    if (result === false) {
      lists.invalidate(...invalidatedBy(`${et.toLowerCase()}/deactivate`));
      return;
    }
    lists.edit<WithId[]>(
      et,
      (list, key) =>
        (JSON.parse(key) as { inactive?: unknown }).inactive === true
          ? list.map((e) => (e.id === id ? { ...e, inactive: true } : e))
          : list.filter((e) => e.id !== id),
      wholeList,
    );
    lists.edit<WithId[]>(
      "Acl",
      (list) => list.filter((a) => a.target !== `share:${id}`),
      (key) => key === "{}",
    );
  };
}

/** A volume's serving servers as its list entry has them (accsyn's `server` and `siteservers`). */
interface Serving {
  server: string | null;
  siteservers: string[];
}

function servingOf(volume: WithId | undefined): Serving | undefined {
  if (volume === undefined) return undefined;
  const { server, siteservers } = volume;
  if (!(server === null || typeof server === "string")) return undefined;
  if (!Array.isArray(siteservers) || !siteservers.every((x) => typeof x === "string")) return undefined;
  return { server, siteservers: siteservers as string[] };
}

/**
 * The exact effect of assigning (`serving`) or de-assigning a server on the volume's list entry, when what the
 * client holds tells it; undefined when it cannot, and the volume, folder and home lists are read again.
 *
 * Exact only for site servers of a volume that stays served: then the volume's `siteservers` is all that
 * changes. A change of the main server changes the volume's `path` too, and a volume that becomes served or
 * unserved changes the status of its folders and homes (wire: offline follows from a volume with no server);
 * neither is derived here. An assigned server is a site server when its site is not the main server's (the
 * main server is at the main site), and it replaces the volume's site server of the same site.
 */
export function assignmentEdit(
  volume: WithId | undefined,
  servers: readonly WithId[] | undefined,
  serverId: string,
  serving: boolean,
): ((volume: WithId) => WithId) | undefined {
  const now = servingOf(volume);
  if (now === undefined) return undefined;
  if (!serving) {
    if (now.server === serverId || !now.siteservers.includes(serverId)) return undefined;
    const rest = now.siteservers.filter((x) => x !== serverId);
    if (now.server === null && rest.length === 0) return undefined;
    return (v) => ({ ...v, siteservers: rest });
  }
  if (now.server === null || now.server === serverId || servers === undefined) return undefined;
  const siteOf = (id: string): string | undefined => {
    const site = servers.find((x) => x.id === id)?.site;
    return typeof site === "string" ? site : undefined;
  };
  const mainSite = siteOf(now.server);
  const site = siteOf(serverId);
  if (mainSite === undefined || site === undefined || site === mainSite) return undefined;
  const sites = now.siteservers.map(siteOf);
  if (sites.some((x) => x === undefined)) return undefined;
  const rest = now.siteservers.filter((x, i) => x !== serverId && sites[i] !== site);
  return (v) => ({ ...v, siteservers: [...rest, serverId] });
}

/** Applies an {@link assignmentEdit} to the volume's entry in the held volume lists. */
export function assignmentChanged(
  volumeId: string,
  change: (volume: WithId) => WithId,
): (result: unknown, lists: CachedLists) => void {
  return (result, lists) => {
    if (result === false) {
      lists.invalidate("Volume", "Folder", "Home");
      return;
    }
    lists.edit<WithId[]>("Volume", (list) => list.map((v) => (v.id === volumeId ? change(v) : v)), wholeList);
  };
}

/**
 * What a user's doubt still tells: a grant that invites or brings back a user leaves them active (accsyn refuses
 * the grant otherwise), with the id its ACL names and, when the grant named them by e-mail, that e-mail as their
 * code, whatever else of their entry it changed. A later grant to them can then neither invite nor revive anyone,
 * and a reference to them needs no read.
 */
export interface GrantedUser {
  id: string;
  email?: string;
}

const GRANTED = "granted-active ";

/** The doubt a grant casts on the user it invited or brought back (see {@link grantedUser}). */
function grantedActive(user: GrantedUser): string {
  return GRANTED + JSON.stringify(user);
}

/** The user a doubt names as granted and active; undefined for any other doubt (or none). */
export function grantedUser(doubt: string | undefined): GrantedUser | undefined {
  if (doubt === undefined || !doubt.startsWith(GRANTED)) return undefined;
  const u = JSON.parse(doubt.slice(GRANTED.length)) as GrantedUser;
  return { id: u.id, ...(u.email !== undefined ? { email: u.email } : {}) };
}

/** What a grant may do to its user beyond the ACL: invite them, or bring them back with their homes. */
export interface GranteeDoubt {
  /** The e-mail the grant named, when it named the user by e-mail. */
  email?: string;
  /** The user may be a deactivated one, whose homes come back with them. */
  revives: boolean;
}

/**
 * A grant: its ACL (created, or updated in place) replaces the one of that id. A grant that may invite a user or
 * bring a deactivated one back (`doubt`) changes that user, and on a revival their homes, in ways the reply does
 * not show (it holds only the ACL): those entries are left in doubt, by the user's id from the reply and the
 * e-mail, and every other user and home is still answered from the held lists. A grant to a user known to be
 * active (no `doubt`) changes neither.
 */
export function aclGranted(doubt: GranteeDoubt | undefined): (result: unknown, lists: CachedLists) => void {
  return (result, lists) => {
    const parsed = AclSchema.safeParse(firstOf(result));
    const userId = parsed.success ? userIdOf(parsed.data.entity) : undefined;
    if (!parsed.success || (doubt !== undefined && userId === undefined)) {
      lists.invalidate("Acl", ...(doubt !== undefined ? ["User", "Home"] : []));
      return;
    }
    lists.edit("Acl", upsert(parsed.data as WithId), wholeList);
    if (doubt === undefined || userId === undefined) return;
    const email = doubt.email?.trim().toLowerCase();
    const known = grantedActive({ id: userId, ...(email !== undefined ? { email } : {}) });
    lists.suspect("User", [userId, ...(email !== undefined ? [email] : [])], known);
    if (doubt.revives) lists.suspect("Home", [userId]);
  };
}

/** The user id of an ACL's `entity` (`user:<id>`); undefined for any other entity. */
function userIdOf(entity: string): string | undefined {
  return entity.startsWith("user:") ? refId(entity) : undefined;
}

/** A revoked ACL leaves the list. */
export function aclRevoked(aclId: string): (result: unknown, lists: CachedLists) => void {
  return (_result, lists) => {
    lists.edit<WithId[]>("Acl", (list) => list.filter((a) => a.id !== aclId), wholeList);
  };
}

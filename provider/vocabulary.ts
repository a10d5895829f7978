/**
 * The words accsyn and this provider share, defined once: share types, deletion policies, the id
 * format and the statuses a share can have. Everything else (kinds, runtime, client) imports them
 * from here, so a new value is added in one place.
 */

/** The four kinds of share accsyn grants access to. */
export const SHARE_TYPES = ["Volume", "Folder", "Home", "Collection"] as const;
/**
 * A share kind.
 * @useDeclaredType
 */
export type ShareType = (typeof SHARE_TYPES)[number];

export function isShareType(v: unknown): v is ShareType {
  return typeof v === "string" && (SHARE_TYPES as readonly string[]).includes(v);
}

/**
 * What happens to the accsyn entity when its resource is destroyed or replaced: `deactivate`
 * (restorable in accsyn), `delete` (permanent) or `retain` (it stays, and leaves the state).
 */
export const DELETION_POLICIES = ["deactivate", "delete", "retain"] as const;
/**
 * What destroy does to an entity.
 * @useDeclaredType
 */
export type DeletionPolicy = (typeof DELETION_POLICIES)[number];

/** accsyn entity ids: 24 lower-case hex digits (MongoDB object ids). */
export const ID_PATTERN = /^[0-9a-f]{24}$/;

export function isId(v: unknown): v is string {
  return typeof v === "string" && ID_PATTERN.test(v);
}

/** The statuses a program may set on a share. */
export const SHARE_STATUSES = ["enabled", "disabled"] as const;
/**
 * A status a program may set on a share.
 * @useDeclaredType
 */
export type ShareStatus = (typeof SHARE_STATUSES)[number];

/**
 * Statuses accsyn derives itself (a volume without a serving server is `offline`), mapped to the
 * writable status they imply, so a derived status is no drift.
 */
export const DERIVED_STATUSES: Readonly<Record<string, ShareStatus>> = {
  offline: "enabled",
  "disabled-offline": "disabled",
};

/** A live status as the writable status it implies (other values pass through unchanged). */
export function writableStatus(live: unknown): unknown {
  return typeof live === "string" ? (DERIVED_STATUSES[live] ?? live) : live;
}

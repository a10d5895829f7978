/**
 * Crash recovery for Grants. ACLs carry no metadata, so a Grant cannot mark what its create made
 * the way shares do (kinds/marker.ts). What it can tell is whether taking the user's existing ACLs
 * on the share over would keep any access the Grant does not declare.
 */
import type { Acl, AclRule } from "../runtime/api";

/**
 * True when every ACL the user already has on the share is one the Grant declares, path for path
 * with the same rights: what a killed run of this Grant's create leaves (it grants one path at a
 * time, so any subset of its paths). Taking those over grants nothing beyond the declaration, and
 * the create then grants the paths still missing. An ACL on another path, or with other rights,
 * still needs `adopt` (adoption revokes what the Grant does not declare, so it must be explicit).
 */
export function onlyDeclaredAcls(existing: readonly Acl[], rules: readonly AclRule[] | undefined): boolean {
  if (existing.length === 0 || rules === undefined) return false;
  return existing.every((a) =>
    rules.some((r) => r.path === a.path && r.read === a.read && r.write === a.write),
  );
}

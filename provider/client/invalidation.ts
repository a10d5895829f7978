/**
 * Which cached lists a write may change, as data, keyed by what the write's uri addresses (`folder/edit` →
 * `folder`). The session applies it after every write it sends, whatever the outcome (a failed or ambiguous
 * write may still have changed something), so that no list read through the same client outlives a write that
 * concerns it.
 */
import { SHARE_TYPES } from "../vocabulary";
import { EntityType, SCHEMAS } from "./schemas";

// shares nest (a volume's deletion removes its folders), carry ACLs, and collections carry files
const SHARE_WRITE: readonly EntityType[] = [...SHARE_TYPES, "Acl", "File"];
const ALL = Object.keys(SCHEMAS) as EntityType[];

export const INVALIDATES: Readonly<Record<string, readonly EntityType[]>> = {
  volume: SHARE_WRITE,
  folder: SHARE_WRITE,
  home: SHARE_WRITE,
  collection: SHARE_WRITE,
  // `share/server`: a server assigned to a volume
  share: SHARE_WRITE,
  file: ["File", "Collection"],
  // a grant to an unknown e-mail invites (creates) a user; one to a deactivated user brings them back, with their home
  acl: ["Acl", "User", "Home"],
  // a user owns a home and holds ACLs
  user: ["User", "Home", "Acl"],
  // Server and Client are two names of the same entities
  server: ["Server", "Client", "Volume"],
  client: ["Server", "Client", "Volume"],
  site: ["Site", "Server", "Client"],
  // a transfer (job) holds tasks, and its status follows theirs
  transfer: ["Transfer", "Task"],
  task: ["Task", "Transfer"],
};

/** The cached lists a write to `uri` may change (all of them for a uri this table does not know). */
export function invalidatedBy(uri: string): readonly EntityType[] {
  return INVALIDATES[uri.split("/")[0]!.toLowerCase()] ?? ALL;
}

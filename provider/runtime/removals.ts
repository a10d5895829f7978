/**
 * Pulumi removes a share's Grants before the share, and does not consult the provider when it
 * previews a deletion. Destroying a share that active jobs use would revoke its Grants, and only
 * then would accsyn refuse to deactivate the share: a half-applied change. So the removal of a
 * Grant whose share is removed in the same run (the share was passed as a resource object of this
 * stack, and no diff of it ran: it is no longer declared) first checks the share's jobs, and fails
 * before revoking anything.
 */
import { RESOURCE_REFS, type Kind, type Props } from "../kinds/kind";
import { refuseIfInUse } from "../kinds/share";
import { isShareType } from "../vocabulary";
import type { WorkspaceApi } from "./api";
import { ConflictError } from "./errors";

/** Entities still declared by the program in this run (the engine diffs each before any delete). */
const declared = new Set<string>();

export function noteDeclared(kind: string, id: string): void {
  declared.add(`${kind}/${id}`);
}

export async function refuseRevokeBeforeBusyShare(
  api: WorkspaceApi,
  kind: Kind,
  props: Props,
): Promise<void> {
  const refs = props[RESOURCE_REFS];
  if (!Array.isArray(refs)) return;
  for (const [key, f] of Object.entries(kind.fields)) {
    if (f.access !== "share" || f.kindField === undefined || !refs.includes(key)) continue;
    const shareId = props[key];
    const type = props[f.kindField];
    if (typeof shareId !== "string" || !isShareType(type) || declared.has(`${type}/${shareId}`)) continue;
    try {
      await refuseIfInUse(
        api,
        type,
        shareId,
        undefined,
        `removed in this run, after this ${kind.name} is revoked`,
      );
    } catch (e) {
      // The failure is this resource's: nothing was revoked, and the share was not touched.
      if (!(e instanceof ConflictError)) throw e;
      throw new ConflictError({ entity: { kind: kind.name }, problem: e.problem, fix: e.fix });
    }
  }
}

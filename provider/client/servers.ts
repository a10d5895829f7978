/** Which servers serve a volume: list, assign, deassign. */
import { Entities } from "./entities";
import { isAccsynHttpError } from "./errors";
import { assertId } from "./ids";
import { assignmentChanged, assignmentEdit } from "./list-edits";
import { Assignment, AssignmentSchema, parseList } from "./schemas";
import { Session } from "./session";

export class Servers {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /** Servers serving a volume. */
  async assignments(volumeId: string): Promise<Assignment[]> {
    // the official client's spelling: the type capitalised
    const uri = "Volume/servers";
    const r = await this.s.call({
      method: "GET",
      uri,
      data: {},
      id: volumeId,
      entityType: "Volume",
      entityId: volumeId,
    });
    return parseList(AssignmentSchema, r ?? [], {
      entityType: "Assignment",
      operation: uri,
      entityId: volumeId,
    });
  }

  /** Makes a server serve a volume. */
  assignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.setAssignment("PUT", "share/server", volumeId, serverId, true);
  }

  /** Stops a server serving a volume. */
  deassignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.setAssignment("DELETE", "volume/server", volumeId, serverId, false);
  }

  private async setAssignment(
    method: "PUT" | "DELETE",
    uri: string,
    volumeId: string,
    serverId: string,
    serving: boolean,
  ): Promise<boolean> {
    assertId(volumeId, uri);
    assertId(serverId, uri);
    const volume = (await this.entities.held("Volume"))?.find((v) => v.id === volumeId);
    const change = assignmentEdit(volume, await this.entities.held("Server"), serverId, serving);
    try {
      const r = await this.s.call({
        method,
        uri,
        data: { client: serverId },
        id: volumeId,
        entityType: "Volume",
        entityId: volumeId,
        // The volume's server fields change, and with them maybe its path and whether its folders and homes are
        // online; no other share, ACL or file does. Edited in place when the change is known exactly.
        cacheUpdate:
          change !== undefined
            ? assignmentChanged(volumeId, change)
            : (_result, lists) => lists.invalidate("Volume", "Folder", "Home"),
      });
      return r !== false;
    } catch (e) {
      // refused by a repeat after a lost reply: done if the assignment is now as asked
      if (isAccsynHttpError(e) && e.afterAmbiguousAttempt) {
        if ((await this.assignments(volumeId)).some((a) => a.id === serverId) === serving) return true;
      }
      throw e;
    }
  }
}

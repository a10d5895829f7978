/** Which servers serve a volume: list, assign, deassign. */
import { isAccsynHttpError } from "./errors";
import { assertId } from "./ids";
import { Assignment, AssignmentSchema, parseList } from "./schemas";
import { Session } from "./session";

export class Servers {
  constructor(private readonly s: Session) {}

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
    try {
      const r = await this.s.call({
        method,
        uri,
        data: { client: serverId },
        id: volumeId,
        entityType: "Volume",
        entityId: volumeId,
        // The volume's server fields change, and with them whether its folders and homes are online; no
        // other share, ACL or file does.
        cacheUpdate: (_result, lists) => lists.invalidate("Volume", "Folder", "Home"),
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

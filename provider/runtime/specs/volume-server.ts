import { z } from "zod";
import { ResourceConflictError } from "../errors";
import { isId, requireServerId, requireShareId, serverAsWritten } from "../resolve";
import type { ResourceSpec } from "../spec";

export const volumeServerSchema = z
  .object({
    /** Volume id or code. */
    volume: z.string().min(1, "must name a volume (its id or code)"),
    /** Server id or code; a server at another site than the main one serves as a site server. */
    server: z.string().min(1, "must name a server (its id or code)"),
    adopt: z.boolean().optional(),
    deletionPolicy: z
      .enum(["delete", "retain"], { message: "use 'delete' (de-assign, the default) or 'retain'" })
      .optional(),
    resourceName: z.string().optional(),
  })
  .strict();

export type VolumeServerInputs = z.infer<typeof volumeServerSchema>;

/** The assignment has no accsyn id of its own; the pair is its identity. */
function splitId(id: string): [string, string] {
  const [volumeId, serverId] = id.split("/");
  if (!volumeId || !serverId || !isId(volumeId) || !isId(serverId)) {
    throw new ResourceConflictError(
      "VolumeServer",
      "read",
      `malformed id '${id}' (expected <volumeId>/<serverId>)`,
    );
  }
  return [volumeId, serverId];
}

export const volumeServerSpec: ResourceSpec<VolumeServerInputs> = {
  kind: "VolumeServer",
  schema: volumeServerSchema,
  replaceOn: ["volume", "server"],
  managed: ["volume", "server"],
  async readLive(api, id, inputs) {
    const [volumeId, serverId] = splitId(id);
    const assigned = (await api.assignments(volumeId)).some((a) => a.serverId === serverId);
    if (!assigned) return undefined;
    return { volume: inputs.volume, server: (await serverAsWritten(api, serverId, inputs.server)) as string };
  },
  async create(api, inputs) {
    const volumeId = await requireShareId(api, "Volume", inputs.volume, "volume");
    const serverId = await requireServerId(api, inputs.server, "VolumeServer", "server");
    const current = await api.assignments(volumeId);
    // Assigning what is already assigned changes nothing, so it needs no adopt.
    if (!current.some((a) => a.serverId === serverId)) await api.assignServer(volumeId, serverId);
    const siteServer =
      (await api.assignments(volumeId)).find((a) => a.serverId === serverId)?.siteServer ?? false;
    return { id: `${volumeId}/${serverId}`, outs: { siteServer } };
  },
  async update() {
    // Only provider-steering fields (adopt, deletionPolicy) can change in place.
  },
  async remove(api, id, inputs) {
    if (inputs.deletionPolicy === "retain") return;
    const [volumeId, serverId] = splitId(id);
    if ((await api.assignments(volumeId)).some((a) => a.serverId === serverId)) {
      await api.deassignServer(volumeId, serverId);
    }
  },
};

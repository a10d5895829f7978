import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConflictError } from "../runtime/errors";
import { requireServerId, requireShareId, serverAsWritten } from "../runtime/resolve";
import { isId } from "../vocabulary";
import { defineKind, field } from "./kind";
import { assignMissing, claimAssignment } from "./claims";
import { checkRefs } from "./preflight";
import { type ArgsOf, resourceArgs } from "./resource";
import { adoptField, deletionPolicyField, resourceNameField } from "./share";

const fields = {
  volume: field(z.string().min(1, "must name a volume (its id or code)"), {
    change: "replace",
    ref: ["Volume"],
    doc: "The volume: a Volume resource, or a volume id or code.",
  }),
  server: field(z.string().min(1, "must name a server (its id or code)"), {
    change: "replace",
    ref: ["Server"],
    doc:
      "The server (id or code). One at the main site serves the volume; one configured at another site " +
      "serves it as that site's site server.",
  }),
  adopt: field(z.boolean().optional(), {
    ...adoptField,
    doc: "Accepted for symmetry with the other resources; assigning an already assigned server just takes it over.",
  }),
  deletionPolicy: deletionPolicyField(["delete", "retain"], "`delete` (de-assign the server) or `retain`."),
  resourceName: resourceNameField,
};

/** The assignment has no accsyn id of its own; the pair is its identity. */
function splitId(id: string): [string, string] {
  const [volumeId, serverId] = id.split("/");
  if (!volumeId || !serverId || !isId(volumeId) || !isId(serverId)) {
    throw new ConflictError({
      entity: { kind: "VolumeServer", id },
      problem: "the id in the state is malformed (expected <volumeId>/<serverId>)",
      fix: "remove the resource from the state (`pulumi state delete <urn>`) and declare it again",
    });
  }
  return [volumeId, serverId];
}

export const volumeServerKind = defineKind({
  name: "VolumeServer",
  doc: "One server assignment of a volume (assign / deassign / assignments in the accsyn API). Admin role required.",
  fields,
  naturalKey: [["volume", "server"]],
  outputs: {
    siteServer:
      "True when the server serves the volume as a site server (it is at a site other than the main one).",
  },
  async readLive(api, id, inputs) {
    const [volumeId, serverId] = splitId(id);
    const assigned = (await api.assignments(volumeId)).some((a) => a.serverId === serverId);
    if (!assigned) return undefined;
    return { volume: inputs.volume, server: await serverAsWritten(api, serverId, inputs.server) };
  },
  async preflight(api, inputs) {
    await checkRefs(api, "VolumeServer", [
      { field: "volume", target: "Volume", value: inputs.volume },
      { field: "server", target: "Server", value: inputs.server },
    ]);
    await claimAssignment(api, inputs);
  },
  async create(api, inputs) {
    const volumeId = await requireShareId(api, "Volume", inputs.volume, "VolumeServer", "volume");
    const serverId = await requireServerId(api, inputs.server, "VolumeServer", "server");
    await assignMissing(api, volumeId, [serverId]);
    const siteServer =
      (await api.assignments(volumeId)).find((a) => a.serverId === serverId)?.siteServer ?? false;
    return { id: `${volumeId}/${serverId}`, outs: { siteServer } };
  },
  async update() {
    // Only provider-steering fields (adopt, deletionPolicy) can change in place.
  },
  async remove(api, id, inputs) {
    if ((inputs.deletionPolicy ?? fields.deletionPolicy.default) === "retain") return;
    const [volumeId, serverId] = splitId(id);
    if ((await api.assignments(volumeId)).some((a) => a.serverId === serverId)) {
      await api.deassignServer(volumeId, serverId);
    }
  },
});

/**
 * The arguments of a {@link VolumeServer} (docs/reference.md describes each field).
 * @interface
 */
export type VolumeServerArgs = ArgsOf<typeof fields>;

/** One server assignment of a volume (assign / deassign / assignments in the accsyn API). Admin role required. */
export class VolumeServer extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "VolumeServer";

  /** True when the server serves the volume as a site server (it is at a site other than the main one). */
  declare readonly siteServer: pulumi.Output<boolean>;

  constructor(name: string, args: VolumeServerArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(volumeServerKind, name, args, opts));
  }
}

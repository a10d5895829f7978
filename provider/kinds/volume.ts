import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { WorkspaceApi } from "../runtime/api";
import { requireServerId, serverAsWritten } from "../runtime/resolve";
import { type InputsOf, type Props, defineKind, field } from "./kind";
import { assignMissing, claimServers } from "./claims";
import { createOrTakeOver, keepingMarker, metadataField, ownerOf, stackField, withoutMarker } from "./marker";
import { checkRefs, refuseTakenCode } from "./preflight";
import { type ArgsOf, resourceArgs } from "./resource";
import {
  activeShareForUpdate,
  changedPayload,
  commonPayload,
  deletionPolicyField,
  liveShare,
  projectCommon,
  removeShare,
  requiredCode,
  requiredName,
  shareByCode,
  shareFields,
} from "./share";

const pathsSchema = z
  .object({
    windows: z.string().optional(),
    linux: z.string().optional(),
    mac: z.string().optional(),
    windows_vpn: z.string().optional(),
    linux_vpn: z.string().optional(),
    mac_vpn: z.string().optional(),
  })
  .strict()
  .refine((p) => Boolean(p.windows || p.linux || p.mac), {
    message: "needs at least one of windows, linux or mac (the path on the serving server's OS is required)",
    params: { fix: "add the path the serving server sees, e.g. paths: { linux: '/mnt/projects' }" },
  });

const fields = {
  ...shareFields,
  name: requiredName("Display name (a change is a rename)."),
  code: requiredCode("Unique API identifier among all shares; the volume's natural key."),
  metadata: metadataField,
  paths: field(pathsSchema, {
    change: "update",
    doc: "Storage paths per OS; the one for the serving server's OS is required.",
    items: {
      windows: { doc: "Path on Windows servers and clients." },
      linux: { doc: "Path on Linux servers and clients." },
      mac: { doc: "Path on macOS servers and clients." },
      windows_vpn: { doc: "Windows path over VPN (lets the desktop app pick upload/download mode)." },
      linux_vpn: { doc: "Linux path over VPN." },
      mac_vpn: { doc: "macOS path over VPN." },
    },
  }),
  server: field(z.string().min(1).optional(), {
    change: "update",
    clearable: true,
    ref: ["Server"],
    doc:
      "Serving server (id or code) at the main site. Setting, changing or removing it assigns or " +
      "de-assigns the server in place. A VolumeServer must not claim the same server.",
  }),
  siteServers: field(z.array(z.string().min(1)).optional(), {
    change: "write-only",
    ref: ["Server"],
    doc: "Site servers (ids or codes) assigned at creation; manage them afterwards with VolumeServer.",
  }),
  deletionPolicy: deletionPolicyField(
    ["deactivate", "delete", "retain"],
    "`deactivate` (restorable, nothing on disk touched), `delete`, or `retain`.",
  ),
  stack: stackField,
};

type VolumeInputs = InputsOf<typeof fields>;

async function payload(api: WorkspaceApi, i: VolumeInputs): Promise<Props> {
  const p: Props = { ...commonPayload(i), paths: i.paths };
  if (i.server !== undefined) p.server = await requireServerId(api, i.server, "Volume", "server");
  if (i.siteServers !== undefined) {
    p.siteservers = await Promise.all(
      i.siteServers.map((s) => requireServerId(api, s, "Volume", "siteServers")),
    );
  }
  return p;
}

function asIds(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export const volumeKind = defineKind({
  name: "Volume",
  doc: "An accsyn storage volume: the base directory accsyn serves and shares from. Admin role required.",
  fields,
  naturalKey: [["code"]],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Volume", id);
    if (!live) return undefined;
    const out: Props = { ...withoutMarker(projectCommon(live, inputs)), paths: live.paths };
    if (inputs.server !== undefined) out.server = await serverAsWritten(api, live.server, inputs.server);
    return out;
  },
  async create(api, inputs) {
    const existing = await shareByCode(api, "Volume", inputs.code);
    const full = await payload(api, inputs);
    // A new volume takes its servers in the create call; one taken over (adopt, restore, a killed
    // run's) gets them as assignments, since accsyn's volume edit refuses `server`/`siteservers`.
    const { server, siteservers, ...editable } = full;
    const e = await createOrTakeOver(
      api,
      "Volume",
      existing,
      { adopt: inputs.adopt, owner: ownerOf("Volume", inputs) },
      existing ? editable : full,
      `code '${inputs.code}'`,
    );
    if (existing) await assignMissing(api, e.id, [server, ...asIds(siteservers)]);
    return { id: e.id };
  },
  async preflight(api, inputs, { isNew, replacing }) {
    await checkRefs(api, "Volume", [
      { field: "server", target: "Server", value: inputs.server },
      ...(inputs.siteServers ?? []).map((value) => ({
        field: "siteServers",
        target: "Server" as const,
        value,
      })),
    ]);
    await claimServers(api, inputs);
    if (!isNew) return;
    return refuseTakenCode(api, "Volume", inputs, replacing, ownerOf("Volume", inputs));
  },
  async update(api, id, olds, news) {
    const { server, siteservers: _siteServers, ...fields } = await payload(api, news);
    const live = await activeShareForUpdate(api, "Volume", id);
    // Paths first: assigning a server needs the path for its OS.
    const patch = changedPayload(keepingMarker(fields, live), live);
    if (Object.keys(patch).length > 0) await api.update("Volume", id, patch);
    // The serving server is an assignment, not an editable field (accsyn's assign / de-assign).
    if (server !== undefined && live?.server !== server) await api.assignServer(id, server as string);
    if (server === undefined && olds.server !== undefined && typeof live?.server === "string") {
      const previous = await api.findServer(olds.server);
      // Only the server this program assigned; one assigned by hand since stays.
      if (previous === undefined || previous.id === live.server) await api.deassignServer(id, live.server);
    }
  },
  async remove(api, id, inputs) {
    await removeShare(
      api,
      "Volume",
      id,
      inputs.deletionPolicy ?? fields.deletionPolicy.default,
      `Volume '${inputs.code}'`,
    );
  },
});

/**
 * The arguments of a {@link Volume} (docs/reference.md describes each field).
 * @interface
 */
export type VolumeArgs = ArgsOf<typeof fields>;
/**
 * A volume's storage paths per OS; the one for the serving server's OS is required.
 * @interface
 */
export type VolumePaths = z.input<typeof pathsSchema>;

/** An accsyn storage volume: the base directory accsyn serves and shares from. Admin role required. */
export class Volume extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "Volume";

  /** The volume's code (its API identifier). */
  declare readonly code: pulumi.Output<string>;
  /** The volume's display name. */
  declare readonly name: pulumi.Output<string>;
  /** The declared paths per OS. */
  declare readonly paths: pulumi.Output<VolumePaths>;

  constructor(name: string, args: VolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(volumeKind, name, args, opts));
  }
}

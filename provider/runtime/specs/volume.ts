import { z } from "zod";
import type { WorkspaceApi } from "../api";
import { requireServerId, serverAsWritten } from "../resolve";
import {
  SHARE_MANAGED,
  type ShareSpec,
  activeShareForUpdate,
  changedPayload,
  commonPayload,
  createOrRestore,
  liveShare,
  projectCommon,
  removeShare,
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

export const volumeSchema = z
  .object({
    ...shareFields,
    name: z.string().min(1, "must not be empty"),
    code: shareFields.code.unwrap(),
    paths: pathsSchema,
    server: z.string().min(1).optional(),
    siteServers: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type VolumeInputs = z.infer<typeof volumeSchema>;

async function payload(api: WorkspaceApi, i: VolumeInputs): Promise<Record<string, unknown>> {
  const p: Record<string, unknown> = { ...commonPayload(i), paths: i.paths };
  if (i.server !== undefined) p.server = await requireServerId(api, i.server, "Volume", "server");
  if (i.siteServers !== undefined) {
    p.siteservers = await Promise.all(
      i.siteServers.map((s) => requireServerId(api, s, "Volume", "siteServers")),
    );
  }
  return p;
}

export const volumeSpec: ShareSpec<VolumeInputs> = {
  kind: "Volume",
  schema: volumeSchema,
  replaceOn: [],
  managed: [...SHARE_MANAGED, "paths", "server"],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Volume", id);
    if (!live) return undefined;
    const out: Partial<VolumeInputs> = {
      ...projectCommon(live, inputs),
      paths: live.paths as VolumeInputs["paths"],
    };
    if (inputs.server !== undefined)
      out.server = (await serverAsWritten(api, live.server, inputs.server)) as string;
    return out;
  },
  async create(api, inputs) {
    const existing = (await api.listShares("Volume")).find(
      (v) => String(v.code ?? "").toLowerCase() === inputs.code.toLowerCase(),
    );
    const e = await createOrRestore(
      api,
      "Volume",
      existing,
      inputs.adopt,
      await payload(api, inputs),
      `code '${inputs.code}'`,
    );
    return { id: e.id };
  },
  async update(api, id, olds, news) {
    const p = await payload(api, news);
    delete p.siteservers; // site servers are assigned by VolumeServer after creation
    const live = await activeShareForUpdate(api, "Volume", id);
    const patch = changedPayload(p, live);
    if (patch.server !== undefined && olds.server !== undefined) {
      // Moving a volume to another server is an assignment, not an edit (seed: assign "server").
      await api.assignServer(id, patch.server as string);
      delete patch.server;
    }
    if (Object.keys(patch).length > 0) await api.updateShare("Volume", id, patch);
  },
  async remove(api, id, inputs) {
    await removeShare(api, "Volume", id, inputs.deletionPolicy ?? "deactivate", `Volume '${inputs.code}'`);
  },
};

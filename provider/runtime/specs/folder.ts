import { z } from "zod";
import { ResourceConflictError } from "../errors";
import { requireShareId } from "../resolve";
import {
  SHARE_MANAGED,
  type ShareSpec,
  commonPayload,
  createOrRestore,
  liveShare,
  projectCommon,
  removeShare,
  shareFields,
  updateCommon,
} from "./share";

export const relativePath = z
  .string()
  .min(1, "must not be empty")
  .refine((p) => !p.startsWith("/") && !/^[a-z]:/i.test(p) && !p.startsWith("\\"), {
    message: "must be relative to the volume root, not absolute",
    params: {
      fix: "write the path beneath the volume, e.g. 'shows/nebula' rather than '/mnt/projects/shows/nebula'",
    },
  })
  .refine((p) => !p.split(/[\\/]/).includes(".."), {
    message: "must not contain '..'",
    params: { fix: "give the folder's path from the volume root without '..' segments" },
  });

export const folderSchema = z
  .object({
    ...shareFields,
    name: z.string().min(1, "must not be empty"),
    /** Volume id or code. */
    volume: z.string().min(1, "must name a volume (its id or code)"),
    path: relativePath,
  })
  .strict();

export type FolderInputs = z.infer<typeof folderSchema>;

export const folderSpec: ShareSpec<FolderInputs> = {
  kind: "Folder",
  schema: folderSchema,
  replaceOn: ["volume", "path"],
  managed: [...SHARE_MANAGED, "volume", "path"],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Folder", id);
    if (!live) return undefined;
    return { ...projectCommon(live, inputs), volume: inputs.volume, path: live.path as string };
  },
  async create(api, inputs) {
    const parent = await requireShareId(api, "Volume", inputs.volume, "volume");
    const folders = await api.listShares("Folder");
    const existing = inputs.code
      ? folders.find((f) => String(f.code ?? "").toLowerCase() === inputs.code?.toLowerCase())
      : folders.find((f) => f.parent === parent && f.path === inputs.path);
    if (existing?.inactive === true && (existing.parent !== parent || existing.path !== inputs.path)) {
      // Restoring it would bring back the old location, not the declared one: this is what a
      // replacement (new volume or path) of a folder with a fixed code runs into.
      throw new ResourceConflictError(
        "Folder",
        "create",
        `code '${inputs.code}' belongs to the deactivated Folder '${String(existing.name)}' at '${String(existing.path)}' ` +
          `(id ${existing.id}), not at '${inputs.path}'. Codes stay taken by deactivated shares. Give the new ` +
          `folder another code, or set deletionPolicy: "delete" before moving it so the replacement frees the code`,
      );
    }
    const payload = { ...commonPayload(inputs), parent, path: inputs.path };
    const key = inputs.code ? `code '${inputs.code}'` : `path '${inputs.path}' on volume '${inputs.volume}'`;
    const e = await createOrRestore(api, "Folder", existing, inputs.adopt, payload, key);
    return { id: e.id, outs: { code: e.code } };
  },
  async update(api, id, _olds, news) {
    await updateCommon(api, "Folder", id, news);
  },
  async remove(api, id, inputs) {
    await removeShare(api, "Folder", id, inputs.deletionPolicy ?? "deactivate", `Folder '${inputs.name}'`);
  },
};

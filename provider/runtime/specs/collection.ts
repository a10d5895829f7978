import { z } from "zod";
import type { WorkspaceApi } from "../api";
import { sameValue } from "../diff";
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

/** accsyn path notation: `<kind>=<code>/<path>`, never an absolute path. */
export const accsynPath = z
  .string()
  .regex(
    /^(volume|folder|share|home|collection)=[^/\s][^/]*(\/.*)?$/,
    "must be in accsyn path notation, e.g. 'volume=assets/templates/x.doc' or 'folder=theproject/specs' (absolute paths are not allowed)",
  )
  .refine((p) => !p.split("/").includes(".."), {
    message: "must not contain '..'",
    params: { fix: "name the file from its share root without '..' segments" },
  });

export const collectionSchema = z
  .object({
    ...shareFields,
    name: z.string().min(1, "must not be empty"),
    code: shareFields.code.unwrap(),
    files: z.array(accsynPath).default([]),
  })
  .strict();

export type CollectionInputs = z.infer<typeof collectionSchema>;

async function livePaths(api: WorkspaceApi, id: string): Promise<string[]> {
  return (await api.listFiles(id)).map((f) => f.path);
}

/** Adds the declared paths that are missing and removes the ones no longer declared; keeps the rest. */
async function reconcileFiles(api: WorkspaceApi, id: string, want: string[]): Promise<void> {
  const have = await api.listFiles(id);
  const wanted = new Set(want);
  const present = new Set(have.map((f) => f.path));
  const add = want.filter((p) => !present.has(p));
  const gone = have.filter((f) => !wanted.has(f.path)).map((f) => f.id);
  if (add.length > 0) await api.addFiles(id, add);
  if (gone.length > 0) await api.removeFiles(id, gone);
}

export const collectionSpec: ShareSpec<CollectionInputs> = {
  kind: "Collection",
  schema: collectionSchema,
  replaceOn: [],
  managed: [...SHARE_MANAGED, "files"],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Collection", id);
    if (!live) return undefined;
    const paths = await livePaths(api, id);
    // Same set in another order is no change: show it in the declared order.
    const files = sameValue([...paths].sort(), [...inputs.files].sort()) ? inputs.files : paths.sort();
    return { ...projectCommon(live, inputs), files };
  },
  async create(api, inputs) {
    const existing = (await api.listShares("Collection")).find(
      (c) => String(c.code ?? "").toLowerCase() === inputs.code.toLowerCase(),
    );
    const payload = { ...commonPayload(inputs), ...(existing ? {} : { files: inputs.files }) };
    const e = await createOrRestore(
      api,
      "Collection",
      existing,
      inputs.adopt,
      payload,
      `code '${inputs.code}'`,
    );
    if (existing) await reconcileFiles(api, e.id, inputs.files);
    return { id: e.id };
  },
  async update(api, id, _olds, news) {
    await updateCommon(api, "Collection", id, news);
    await reconcileFiles(api, id, news.files);
  },
  async remove(api, id, inputs) {
    await removeShare(
      api,
      "Collection",
      id,
      inputs.deletionPolicy ?? "deactivate",
      `Collection '${inputs.code}'`,
    );
  },
};

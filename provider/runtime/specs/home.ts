import { z } from "zod";
import { requireShareId, requireUserId } from "../resolve";
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

export const homeSchema = z
  .object({
    ...shareFields,
    /** User id or e-mail. */
    user: z.string().min(1, "must name a user (id or e-mail)"),
    /** Volume id or code holding the home; default: the workspace's default volume. */
    volume: z.string().min(1).optional(),
    // accsyn refuses to deactivate homes ("deactivate the user instead"), so the choice is keep or delete.
    deletionPolicy: z
      .enum(["retain", "delete"], {
        message: "homes cannot be deactivated in accsyn; use 'retain' (the default) or 'delete'",
      })
      .optional(),
  })
  .strict();

export type HomeInputs = z.infer<typeof homeSchema>;

export const homeSpec: ShareSpec<HomeInputs> = {
  kind: "Home",
  schema: homeSchema,
  replaceOn: ["user", "volume"],
  managed: [...SHARE_MANAGED, "user", "volume"],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Home", id);
    if (!live) return undefined;
    return {
      ...projectCommon(live, inputs),
      user: inputs.user,
      ...(inputs.volume ? { volume: inputs.volume } : {}),
    };
  },
  async create(api, inputs) {
    const userId = await requireUserId(api, inputs.user, "Home");
    const parent = inputs.volume ? await requireShareId(api, "Volume", inputs.volume, "volume") : undefined;
    const existing = (await api.listShares("Home")).find((h) => h.user === userId);
    const e = await createOrRestore(
      api,
      "Home",
      existing,
      inputs.adopt,
      { ...commonPayload(inputs), user: userId, ...(parent ? { parent } : {}) },
      `the home of '${inputs.user}'`,
    );
    return { id: e.id, outs: { code: e.code } };
  },
  async update(api, id, _olds, news) {
    await updateCommon(api, "Home", id, news);
  },
  async remove(api, id, inputs) {
    await removeShare(api, "Home", id, inputs.deletionPolicy ?? "retain", `Home of '${inputs.user}'`);
  },
};

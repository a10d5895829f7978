import { z } from "zod";
import { requireUserId } from "../resolve";
import {
  SHARE_MANAGED,
  type ShareSpec,
  changedPayload,
  commonPayload,
  createOrRestore,
  liveShare,
  projectCommon,
  removeShare,
  shareFields,
} from "./share";

export const homeSchema = z
  .object({
    ...shareFields,
    /** User id or e-mail. */
    user: z.string().min(1, "must name a user (id or e-mail)"),
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
  replaceOn: ["user"],
  managed: [...SHARE_MANAGED, "user"],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Home", id);
    if (!live) return undefined;
    return { ...projectCommon(live, inputs), user: inputs.user };
  },
  async create(api, inputs) {
    const userId = await requireUserId(api, inputs.user, "Home");
    const existing = (await api.listShares("Home")).find((h) => h.user === userId);
    const e = await createOrRestore(
      api,
      "Home",
      existing,
      inputs.adopt,
      { ...commonPayload(inputs), user: userId },
      `the home of '${inputs.user}'`,
    );
    return { id: e.id, outs: { code: e.code } };
  },
  async update(api, id, _olds, news) {
    const patch = changedPayload(commonPayload(news), await liveShare(api, "Home", id));
    if (Object.keys(patch).length > 0) await api.updateShare("Home", id, patch);
  },
  async remove(api, id, inputs) {
    await removeShare(api, "Home", id, inputs.deletionPolicy ?? "retain", `Home of '${inputs.user}'`);
  },
};

import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { requireShareId, requireUserId } from "../runtime/resolve";
import { defineKind, field } from "./kind";
import {
  createOrTakeOver,
  metadataField,
  metadataKeepingMarker,
  ownerOf,
  stackField,
  withoutMarker,
} from "./marker";
import { checkRefs, refuseTaken } from "./preflight";
import { type ArgsOf, resourceArgs } from "./resource";
import {
  commonPayload,
  deletionPolicyField,
  liveShare,
  projectCommon,
  refuseIfInUse,
  removeShare,
  shareFields,
  updateCommon,
  userRefSchema,
} from "./share";

const fields = {
  ...shareFields,
  metadata: metadataField,
  user: field(userRefSchema, {
    change: "replace",
    ref: ["User"],
    doc: "The user (id or e-mail) the home belongs to.",
  }),
  volume: field(z.string().min(1).optional(), {
    change: "replace",
    ref: ["Volume"],
    default: "the workspace's default volume",
    doc: "The volume holding the home: a Volume resource, or a volume id or code.",
  }),
  // accsyn refuses to deactivate homes ("deactivate the user instead"), so the choice is keep or delete.
  deletionPolicy: deletionPolicyField(
    ["retain", "delete"],
    "`retain` (the home stays in accsyn and leaves the Pulumi state: accsyn cannot deactivate homes, " +
      "and deleting one is not restorable) or `delete` (explicit, permanent).",
    "homes cannot be deactivated in accsyn",
  ),
  stack: stackField,
};

export const homeKind = defineKind({
  name: "Home",
  doc: "A user's home share, the default file area of that user. Access still needs a Grant.",
  fields,
  naturalKey: [["user"]],
  outputs: { code: "The home's code, derived by accsyn." },
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Home", id);
    if (!live) return undefined;
    return {
      ...withoutMarker(projectCommon(live, inputs)),
      user: inputs.user,
      ...(inputs.volume ? { volume: inputs.volume } : {}),
    };
  },
  async preflight(api, inputs, { isNew, replacing }) {
    await checkRefs(api, "Home", [
      { field: "user", target: "User", value: inputs.user },
      { field: "volume", target: "Volume", value: inputs.volume },
    ]);
    if (!isNew || inputs.user === undefined) return;
    const userId = await requireUserId(api, inputs.user, "Home");
    const existing = (await api.list("Home")).find((h) => h.user === userId && h.archived !== true);
    const describe = `the home of '${inputs.user}'`;
    const owner = ownerOf("Home", inputs);
    return refuseTaken("Home", existing, inputs.adopt, "user", describe, replacing, owner);
  },
  async replaceable(api, id, olds) {
    await refuseIfInUse(api, "Home", id, olds.deletionPolicy ?? fields.deletionPolicy.default, "replaced");
  },
  async create(api, inputs) {
    const userId = await requireUserId(api, inputs.user, "Home");
    const parent = inputs.volume
      ? await requireShareId(api, "Volume", inputs.volume, "Home", "volume")
      : undefined;
    const existing = (await api.list("Home")).find((h) => h.user === userId);
    const e = await createOrTakeOver(
      api,
      "Home",
      existing,
      { adopt: inputs.adopt, owner: ownerOf("Home", inputs) },
      { ...commonPayload(inputs), user: userId, ...(parent ? { parent } : {}) },
      `the home of '${inputs.user}'`,
    );
    return { id: e.id, outs: { code: e.code } };
  },
  async update(api, id, _olds, news) {
    await updateCommon(api, "Home", id, news, await metadataKeepingMarker(api, "Home", id, news.metadata));
  },
  async remove(api, id, inputs) {
    const policy = inputs.deletionPolicy ?? fields.deletionPolicy.default;
    await removeShare(api, "Home", id, policy, `Home of '${inputs.user}'`);
  },
});

/**
 * The arguments of a {@link Home} (docs/reference.md describes each field).
 * @interface
 */
export type HomeArgs = ArgsOf<typeof fields>;

/** A user's home share, the default file area of that user. Access still needs a Grant. */
export class Home extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "Home";

  declare readonly code: pulumi.Output<string>;
  declare readonly user: pulumi.Output<string>;

  constructor(name: string, args: HomeArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(homeKind, name, args, opts));
  }
}

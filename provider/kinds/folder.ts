import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConflictError } from "../runtime/errors";
import { requireShareId } from "../runtime/resolve";
import { defineKind, field } from "./kind";
import { AccsynResource, type ArgsOf } from "./resource";
import {
  commonPayload,
  createOrRestore,
  deletionPolicyField,
  liveShare,
  projectCommon,
  removeShare,
  requiredName,
  shareFields,
  updateCommon,
} from "./share";

const relativePath = z
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

const fields = {
  ...shareFields,
  name: requiredName("Display name. Without `code`, accsyn derives the code from it."),
  volume: field(z.string().min(1, "must name a volume (its id or code)"), {
    change: "replace",
    ref: ["Volume"],
    doc: "The parent volume: a Volume resource, or a volume id or code.",
  }),
  path: field(relativePath, {
    change: "replace",
    doc: "Path beneath the volume root, relative, without `..` (e.g. `projects/theproject`).",
  }),
  deletionPolicy: deletionPolicyField(
    ["deactivate", "delete", "retain"],
    "`deactivate` (restorable), `delete`, or `retain`.",
  ),
};

export const folderKind = defineKind({
  name: "Folder",
  doc: "A shared folder beneath a volume; users get access through Grants. Employee role or above.",
  fields,
  naturalKey: [["code"], ["volume", "path"]],
  outputs: { code: "The folder's code (given, or derived by accsyn from its name)." },
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Folder", id);
    if (!live) return undefined;
    return { ...projectCommon(live, inputs), volume: inputs.volume, path: live.path };
  },
  async create(api, inputs) {
    const parent = await requireShareId(api, "Volume", inputs.volume, "Folder", "volume");
    const folders = await api.list("Folder");
    const code = inputs.code?.toLowerCase();
    const existing = code
      ? folders.find((f) => String(f.code ?? "").toLowerCase() === code)
      : folders.find((f) => f.parent === parent && f.path === inputs.path);
    if (existing?.inactive === true && (existing.parent !== parent || existing.path !== inputs.path)) {
      // Restoring it would bring back the old location, not the declared one: this is what a
      // replacement (new volume or path) of a folder with a fixed code runs into.
      throw new ConflictError({
        entity: { kind: "Folder" },
        problem:
          `code '${inputs.code}' belongs to the deactivated Folder '${String(existing.name)}' at ` +
          `'${String(existing.path)}' (id ${existing.id}), not at '${inputs.path}'; codes stay taken by deactivated shares`,
        fix:
          `give the new folder another code, or set deletionPolicy: "delete" before moving it so the ` +
          `replacement frees the code`,
      });
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
    const policy = inputs.deletionPolicy ?? fields.deletionPolicy.default;
    await removeShare(api, "Folder", id, policy, `Folder '${inputs.name}'`);
  },
});

export type FolderArgs = ArgsOf<typeof fields>;

/** A shared folder beneath a volume; users get access through Grants. Employee role or above. */
export class Folder extends AccsynResource<"Folder"> {
  /** The folder's code (given, or derived by accsyn from its name). */
  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions) {
    super(folderKind, name, args, opts);
  }
}

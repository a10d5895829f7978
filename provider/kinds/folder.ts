import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Entity, WorkspaceApi } from "../runtime/api";
import { ConflictError, InputError } from "../runtime/errors";
import { findShare, requireShareId } from "../runtime/resolve";
import { defineKind, field } from "./kind";
import {
  createOrTakeOver,
  metadataField,
  metadataKeepingMarker,
  ownerOf,
  stackField,
  withoutMarker,
} from "./marker";
import { checkRefs, refuseCodeOfOtherType, refuseTaken } from "./preflight";
import { type PathProblem, isRoot, pathProblem, refinePath } from "./paths";
import { type ArgsOf, resourceArgs } from "./resource";
import {
  commonPayload,
  deletionPolicyField,
  liveShare,
  projectCommon,
  refuseIfInUse,
  removeShare,
  requiredName,
  shareFields,
  updateCommon,
} from "./share";

const relativePath = z.string().min(1, "must not be empty").superRefine(refinePath(folderPathProblem));

/** Why accsyn would refuse `p` as a folder's path beneath its volume, or undefined. */
function folderPathProblem(p: string): PathProblem | undefined {
  if (p === "") return undefined; // `min(1)` says it
  const s = p.trim();
  if (s.startsWith("/") || s.startsWith("\\") || /^[a-z]:/i.test(s)) {
    return {
      message: "must be relative to the volume root, not absolute",
      fix: "write the path beneath the volume, e.g. 'shows/nebula' rather than '/mnt/projects/shows/nebula'",
    };
  }
  if (s.split(/[\\/]/).includes("..")) {
    return {
      message: "must not contain '..'",
      fix: "give the folder's path from the volume root without '..' segments",
    };
  }
  // accsyn refuses a folder at the volume root ('.', './'): it would share the whole volume.
  if (isRoot(s)) {
    return {
      message: `'${p}' names the volume root itself, not a folder beneath it`,
      fix: "give the folder's path beneath the volume root, e.g. 'shows/nebula'",
    };
  }
  return pathProblem(p);
}

const fields = {
  ...shareFields,
  name: requiredName("Display name. Without `code`, accsyn derives the code from it."),
  metadata: metadataField,
  volume: field(z.string().min(1, "must name a volume (its id or code)"), {
    change: "replace",
    ref: ["Volume"],
    doc: "The parent volume: a Volume resource, or a volume id or code.",
  }),
  path: field(relativePath, {
    change: "update",
    doc:
      "Path beneath the volume root, relative, without `..` (e.g. `projects/theproject`). A change moves " +
      "the folder in place: its id, code and ACLs stay.",
  }),
  deletionPolicy: deletionPolicyField(
    ["deactivate", "delete", "retain"],
    "`deactivate` (restorable), `delete`, or `retain`.",
  ),
  stack: stackField,
};

export const folderKind = defineKind({
  name: "Folder",
  doc: "A shared folder beneath a volume; users get access through Grants. Employee role or above.",
  fields,
  naturalKey: [["code"], ["volume", "path"]],
  outputs: { code: "The folder's code (given, or derived by accsyn from its name)." },
  checkMore(inputs) {
    // accsyn derives a missing code from the name's letters and digits, and refuses the create
    // when there are none.
    if (inputs.code === undefined && !/[a-z0-9]/.test(inputs.name.toLowerCase())) {
      throw new InputError(
        "Folder",
        "name",
        `'${inputs.name}' has no letter or digit, and without 'code' accsyn derives the folder's code from the name`,
        "give the folder a code, or a name with a letter or digit (a-z, 0-9)",
      );
    }
  },
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Folder", id);
    if (!live) return undefined;
    return { ...withoutMarker(projectCommon(live, inputs)), volume: inputs.volume, path: live.path };
  },
  async preflight(api, inputs, { isNew, replacing }) {
    await checkRefs(api, "Folder", [{ field: "volume", target: "Volume", value: inputs.volume }]);
    if (!isNew || inputs.volume === undefined || inputs.path === undefined) return;
    const parent = await requireShareId(api, "Volume", inputs.volume, "Folder", "volume");
    const { existing, field, describe } = await existingFolder(api, inputs.code, parent, inputs.path);
    const owner = ownerOf("Folder", inputs);
    const adoption = refuseTaken("Folder", existing, inputs.adopt, field, describe, replacing, owner);
    if (existing?.inactive === true) refuseRestoreElsewhere(existing, parent, inputs.path);
    await refuseCodeOfOtherType(api, "Folder", inputs.code);
    return adoption;
  },
  async replaceable(api, id, olds, news) {
    // A new volume replaces the folder. Its code stays taken while the old folder is only
    // deactivated (which happens first), so the replacement's create would fail halfway.
    const policy = olds.deletionPolicy ?? fields.deletionPolicy.default;
    if (
      news.code !== undefined &&
      policy === "deactivate" &&
      olds.code?.toLowerCase() === news.code.toLowerCase()
    ) {
      const target = await findShare(api, "Volume", news.volume);
      throw new ConflictError({
        entity: { kind: "Folder", id },
        field: "volume",
        problem:
          `moving the folder to volume '${String(target?.code ?? news.volume)}' replaces it, and the replacement cannot be created: ` +
          `the old folder is deactivated first and keeps code '${news.code}'`,
        fix:
          `either give the folder another code, or first run \`pulumi up\` with only deletionPolicy: "delete" ` +
          `added (the old folder is then deleted, freeing the code), then change the volume`,
      });
    }
    await refuseIfInUse(api, "Folder", id, policy, "replaced");
  },
  async create(api, inputs) {
    const parent = await requireShareId(api, "Volume", inputs.volume, "Folder", "volume");
    const { existing } = await existingFolder(api, inputs.code, parent, inputs.path);
    if (existing?.inactive === true) refuseRestoreElsewhere(existing, parent, inputs.path);
    const payload = { ...commonPayload(inputs), parent, path: inputs.path };
    const key = inputs.code ? `code '${inputs.code}'` : `path '${inputs.path}' on volume '${inputs.volume}'`;
    const steer = { adopt: inputs.adopt, owner: ownerOf("Folder", inputs) };
    const e = await createOrTakeOver(api, "Folder", existing, steer, payload, key);
    return { id: e.id, outs: { code: e.code } };
  },
  async update(api, id, _olds, news) {
    // accsyn's share edit takes `path`: the folder moves in place, keeping its id, code and ACLs.
    const metadata = await metadataKeepingMarker(api, "Folder", id, news.metadata);
    await updateCommon(api, "Folder", id, news, { path: news.path, ...metadata });
  },
  async remove(api, id, inputs) {
    const policy = inputs.deletionPolicy ?? fields.deletionPolicy.default;
    await removeShare(api, "Folder", id, policy, `Folder '${inputs.name}'`);
  },
});

/** Restoring a deactivated folder brings back its old location, not the declared one. */
function refuseRestoreElsewhere(existing: Entity, parent: string, path: string): void {
  if (existing.parent === parent && existing.path === path) return;
  throw new ConflictError({
    entity: { kind: "Folder" },
    field: "code",
    problem:
      `code '${String(existing.code)}' belongs to the deactivated Folder '${String(existing.name)}' at ` +
      `'${String(existing.path)}' (id ${existing.id}), not at '${path}'; codes stay taken by deactivated shares`,
    fix: "give the new folder another code, or delete the deactivated folder in accsyn",
  });
}

/** The folder the natural key names (by code, else by volume and path), and how to name that key. */
async function existingFolder(
  api: WorkspaceApi,
  code: string | undefined,
  parent: string,
  path: string,
): Promise<{ existing: Entity | undefined; field: string; describe: string }> {
  const folders = (await api.list("Folder")).filter((f) => f.archived !== true);
  if (code !== undefined) {
    const want = code.toLowerCase();
    const existing = folders.find((f) => String(f.code ?? "").toLowerCase() === want);
    return { existing, field: "code", describe: `code '${code}'` };
  }
  const existing = folders.find((f) => f.parent === parent && f.path === path);
  return { existing, field: "path", describe: `path '${path}' on that volume` };
}

/**
 * The arguments of a {@link Folder} (docs/reference.md describes each field).
 * @interface
 */
export type FolderArgs = ArgsOf<typeof fields>;

/** A shared folder beneath a volume; users get access through Grants. Employee role or above. */
export class Folder extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "Folder";

  /** The folder's code (given, or derived by accsyn from its name). */
  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(folderKind, name, args, opts));
  }
}

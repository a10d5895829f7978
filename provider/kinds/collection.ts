import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { WorkspaceApi } from "../runtime/api";
import { sameValue } from "../runtime/diff";
import { defineKind, field } from "./kind";
import {
  createOrTakeOver,
  metadataField,
  metadataKeepingMarker,
  ownerOf,
  stackField,
  withoutMarker,
} from "./marker";
import { type PathProblem, pathProblem, refinePath } from "./paths";
import { refuseTakenCode } from "./preflight";
import { type ArgsOf, resourceArgs } from "./resource";
import {
  commonPayload,
  deletionPolicyField,
  liveShare,
  projectCommon,
  removeShare,
  requiredCode,
  requiredName,
  shareByCode,
  shareFields,
  updateCommon,
} from "./share";

/** accsyn path notation: `<kind>=<code>/<path>`, never an absolute path. */
const accsynPath = z
  .string()
  .regex(
    /^(volume|folder|share|home|collection)=[^/\s][^/]*(\/.*)?$/,
    "must be in accsyn path notation, e.g. 'volume=assets/templates/x.doc' or 'folder=theproject/specs' (absolute paths are not allowed)",
  )
  .refine((p) => !p.split("/").includes(".."), {
    message: "must not contain '..'",
    params: { fix: "name the file from its share root without '..' segments" },
  })
  .superRefine(refinePath(withinShareProblem));

/**
 * What accsyn refuses in `<code>/<path>` after `<kind>=` (control or invisible characters, segments
 * of dots, an absolute rest), besides what the pattern and the '..' check above say.
 */
function withinShareProblem(p: string): PathProblem | undefined {
  const eq = p.indexOf("=");
  if (!/^[a-z]+=/.test(p) || p.split("/").includes("..")) return undefined;
  const slash = p.indexOf("/");
  const code = slash < 0 ? p.slice(eq + 1) : p.slice(eq + 1, slash);
  return pathProblem(code) ?? (slash < 0 ? undefined : pathProblem(p.slice(slash + 1)));
}

const fields = {
  ...shareFields,
  name: requiredName("Display name."),
  code: requiredCode("Unique API identifier among all shares; the collection's natural key."),
  metadata: metadataField,
  files: field(
    z.array(accsynPath).min(1, "needs at least one file or folder (accsyn collections are never empty)"),
    {
      change: "update",
      doc:
        "One or more files and folders in accsyn path notation (`volume=assets/templates`, `folder=theproject/specs/v1.doc`, " +
        "`share=`, `home=`); absolute paths are rejected. Reconciled by path: new paths are added, removed " +
        "ones taken out, the rest kept (with their file ids).",
    },
  ),
  deletionPolicy: deletionPolicyField(
    ["deactivate", "delete", "retain"],
    "`deactivate` (restorable), `delete`, or `retain`.",
  ),
  stack: stackField,
};

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

export const collectionKind = defineKind({
  name: "Collection",
  doc: "A virtual shared folder of files from several volumes, folders and homes, shared with Grants.",
  fields,
  naturalKey: [["code"]],
  async readLive(api, id, inputs) {
    const live = await liveShare(api, "Collection", id);
    if (!live) return undefined;
    const paths = await livePaths(api, id);
    // Same set in another order is no change: show it in the declared order.
    const files = sameValue([...paths].sort(), [...inputs.files].sort()) ? inputs.files : paths.sort();
    return { ...withoutMarker(projectCommon(live, inputs)), files };
  },
  async preflight(api, inputs, { isNew, replacing }) {
    if (!isNew) return;
    return refuseTakenCode(api, "Collection", inputs, replacing, ownerOf("Collection", inputs));
  },
  async create(api, inputs) {
    const existing = await shareByCode(api, "Collection", inputs.code);
    const payload = { ...commonPayload(inputs), ...(existing ? {} : { files: inputs.files }) };
    const key = `code '${inputs.code}'`;
    const steer = { adopt: inputs.adopt, owner: ownerOf("Collection", inputs) };
    const e = await createOrTakeOver(api, "Collection", existing, steer, payload, key);
    if (existing) await reconcileFiles(api, e.id, inputs.files);
    return { id: e.id };
  },
  async update(api, id, _olds, news) {
    const metadata = await metadataKeepingMarker(api, "Collection", id, news.metadata);
    await updateCommon(api, "Collection", id, news, metadata);
    await reconcileFiles(api, id, news.files);
  },
  async remove(api, id, inputs) {
    const policy = inputs.deletionPolicy ?? fields.deletionPolicy.default;
    await removeShare(api, "Collection", id, policy, `Collection '${inputs.code}'`);
  },
});

/**
 * The arguments of a {@link Collection} (docs/reference.md describes each field).
 * @interface
 */
export type CollectionArgs = ArgsOf<typeof fields>;

/** A virtual shared folder of files from several volumes, folders and homes, shared with Grants. */
export class Collection extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "Collection";

  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly files: pulumi.Output<string[]>;

  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(collectionKind, name, args, opts));
  }
}

import * as pulumi from "@pulumi/pulumi";
import { type DeletionPolicy, type ShareArgsBase, withName } from "./common";
import { providerFor } from "./provider";
import type { Volume } from "./volume";

export interface FolderArgs extends ShareArgsBase {
  /** Display name. Required. Updates in place. Without `code`, accsyn derives the code from it. */
  name: pulumi.Input<string>;
  /** The parent volume: a Volume resource, or a volume id or code. Changing it replaces the folder. */
  volume: Volume | pulumi.Input<string>;
  /** Path beneath the volume root, relative, without `..` (e.g. `projects/theproject`). Changing it replaces the folder. */
  path: pulumi.Input<string>;
  /** On destroy: `deactivate` (default, restorable), `delete`, or `retain`. */
  deletionPolicy?: pulumi.Input<DeletionPolicy>;
}

/** A shared folder beneath a volume; users get access through Grants. Employee role or above. */
export class Folder extends pulumi.dynamic.Resource {
  /** The folder's code (given, or derived by accsyn from its name). */
  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions) {
    const volume = pulumi.Resource.isInstance(args.volume) ? (args.volume as Volume).id : args.volume;
    const deps = pulumi.Resource.isInstance(args.volume) ? [args.volume as Volume] : [];
    super(
      providerFor("Folder"),
      name,
      withName(name, { ...args, volume, code: args.code }),
      { ...opts, dependsOn: mergeDeps(opts?.dependsOn, deps) },
      "accsyn",
      "Folder",
    );
  }
}

export function mergeDeps(
  given: pulumi.CustomResourceOptions["dependsOn"],
  extra: pulumi.Resource[],
): pulumi.CustomResourceOptions["dependsOn"] {
  if (extra.length === 0) return given;
  if (given === undefined) return extra;
  return pulumi.output(given).apply((g) => [...(Array.isArray(g) ? g : [g]), ...extra]);
}

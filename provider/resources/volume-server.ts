import * as pulumi from "@pulumi/pulumi";
import { withName } from "./common";
import { mergeDeps } from "./folder";
import { providerFor } from "./provider";
import type { Volume } from "./volume";

export interface VolumeServerArgs {
  /** The volume: a Volume resource, or a volume id or code. Changing it replaces the assignment. */
  volume: Volume | pulumi.Input<string>;
  /**
   * The server (id or code). One at the main site serves the volume; one configured at another site
   * serves it as that site's site server. Changing it replaces the assignment.
   */
  server: pulumi.Input<string>;
  /** Accepted for symmetry with the other resources; assigning an already assigned server just takes it over. */
  adopt?: pulumi.Input<boolean>;
  /** On destroy: `delete` (default: de-assign the server) or `retain` (leave it assigned). */
  deletionPolicy?: pulumi.Input<"delete" | "retain">;
}

/** One server assignment of a volume (assign / deassign / assignments in the accsyn API). Admin role required. */
export class VolumeServer extends pulumi.dynamic.Resource {
  /** True when the server serves the volume as a site server (it is at a site other than the main one). */
  declare readonly siteServer: pulumi.Output<boolean>;

  constructor(name: string, args: VolumeServerArgs, opts?: pulumi.CustomResourceOptions) {
    const isRes = pulumi.Resource.isInstance(args.volume);
    const volume = isRes ? (args.volume as Volume).id : args.volume;
    super(
      providerFor("VolumeServer"),
      name,
      withName(name, { ...args, volume, siteServer: undefined }),
      { ...opts, dependsOn: mergeDeps(opts?.dependsOn, isRes ? [args.volume as Volume] : []) },
      "accsyn",
      "VolumeServer",
    );
  }
}

import * as pulumi from "@pulumi/pulumi";
import { type ShareArgsBase, withName } from "./common";
import { mergeDeps } from "./folder";
import { providerFor } from "./provider";
import type { Volume } from "./volume";

export interface HomeArgs extends ShareArgsBase {
  /** The user (id or e-mail) the home belongs to. Changing it replaces the home. */
  user: pulumi.Input<string>;
  /** The volume holding the home: a Volume resource, or a volume id or code. Default: the workspace's default volume. Changing it replaces the home. */
  volume?: Volume | pulumi.Input<string>;
  /**
   * On destroy: `retain` (default: the home stays in accsyn and leaves the Pulumi state, since accsyn
   * cannot deactivate homes and deleting one is not restorable) or `delete` (explicit, permanent).
   */
  deletionPolicy?: pulumi.Input<"retain" | "delete">;
}

/** A user's home share, the default file area of that user. Access still needs a Grant. */
export class Home extends pulumi.dynamic.Resource {
  declare readonly code: pulumi.Output<string>;
  declare readonly user: pulumi.Output<string>;

  constructor(name: string, args: HomeArgs, opts?: pulumi.CustomResourceOptions) {
    const isRes = pulumi.Resource.isInstance(args.volume);
    const volume = isRes ? (args.volume as Volume).id : (args.volume as pulumi.Input<string> | undefined);
    super(
      providerFor("Home"),
      name,
      withName(name, { ...args, volume, code: args.code }),
      { ...opts, dependsOn: mergeDeps(opts?.dependsOn, isRes ? [args.volume as Volume] : []) },
      "accsyn",
      "Home",
    );
  }
}

import * as pulumi from "@pulumi/pulumi";
import { type ShareArgsBase, withName } from "./common";
import { providerFor } from "./provider";

export interface HomeArgs extends ShareArgsBase {
  /** The user (id or e-mail) the home belongs to. Changing it replaces the home. */
  user: pulumi.Input<string>;
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
    super(providerFor("Home"), name, withName(name, { ...args, code: args.code }), opts, "accsyn", "Home");
  }
}

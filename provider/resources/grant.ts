import * as pulumi from "@pulumi/pulumi";
import { withName } from "./common";
import { Collection } from "./collection";
import { Folder, mergeDeps } from "./folder";
import { Home } from "./home";
import { Volume } from "./volume";

import { providerFor } from "./provider";

export type ShareType = "Volume" | "Folder" | "Home" | "Collection";

/** One access rule of a grant: a path relative to the share and its rights (at least one of read/write). */
export interface GrantRule {
  /** Path relative to the share; default `/` (the whole share). */
  path?: string;
  /** Users may download from the path. Default false. */
  read?: boolean;
  /** Users may upload to the path. Default false. */
  write?: boolean;
}

export interface GrantArgs {
  /** The user (id or e-mail). An e-mail no user has is invited as a standard user. Changing it replaces the grant. */
  user: pulumi.Input<string>;
  /** The share: a Volume, Folder, Home or Collection resource, or a share id/code together with `shareType`. Changing it replaces the grant. */
  share: Volume | Folder | Home | Collection | pulumi.Input<string>;
  /** Required when `share` is an id or code. */
  shareType?: pulumi.Input<ShareType>;
  /** One or more path rules. Changing them updates the ACL in place. */
  rules: pulumi.Input<pulumi.Input<GrantRule>[]>;
  /** E-mail the user when access is granted. Default true. */
  notify?: pulumi.Input<boolean>;
  /** Message sent with the notification. */
  message?: pulumi.Input<string>;
  /** Take over an ACL the user already has on the share. */
  adopt?: pulumi.Input<boolean>;
  /** On destroy: `delete` (default: revoke the ACL) or `retain`. */
  deletionPolicy?: pulumi.Input<"delete" | "retain">;
}

function shareTypeOf(share: GrantArgs["share"]): ShareType | undefined {
  if (share instanceof Volume) return "Volume";
  if (share instanceof Folder) return "Folder";
  if (share instanceof Home) return "Home";
  if (share instanceof Collection) return "Collection";
  return undefined;
}

/**
 * Access of one user to one share. accsyn keeps one ACL per (user, share), so one Grant owns that
 * pair: two Grants for the same pair fail the preview, naming both.
 */
export class Grant extends pulumi.dynamic.Resource {
  /** The rules as accsyn holds them (sorted by path). */
  declare readonly rules: pulumi.Output<Required<GrantRule>[]>;

  constructor(name: string, args: GrantArgs, opts?: pulumi.CustomResourceOptions) {
    const typed = shareTypeOf(args.share);
    const isRes = pulumi.Resource.isInstance(args.share);
    const share = isRes ? (args.share as pulumi.CustomResource).id : (args.share as pulumi.Input<string>);
    super(
      providerFor("Grant"),
      name,
      withName(name, { ...args, share, shareType: typed ?? args.shareType }),
      { ...opts, dependsOn: mergeDeps(opts?.dependsOn, isRes ? [args.share as pulumi.Resource] : []) },
      "accsyn",
      "Grant",
    );
  }
}

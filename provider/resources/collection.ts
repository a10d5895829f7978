import * as pulumi from "@pulumi/pulumi";
import { type DeletionPolicy, type ShareArgsBase, withName } from "./common";
import { providerFor } from "./provider";

export interface CollectionArgs extends ShareArgsBase {
  /** Display name. Required. Updates in place. */
  name: pulumi.Input<string>;
  /** Unique API identifier among all shares; the collection's natural key. Required. Updates in place. */
  code: pulumi.Input<string>;
  /**
   * Files and folders in accsyn path notation (`volume=assets/templates`, `folder=theproject/specs/v1.doc`,
   * `share=`, `home=`); absolute paths are rejected. Reconciled by path on update: new paths are
   * added, removed ones taken out, the rest kept (with their file ids). Default none.
   */
  files?: pulumi.Input<pulumi.Input<string>[]>;
  /** On destroy: `deactivate` (default, restorable), `delete`, or `retain`. */
  deletionPolicy?: pulumi.Input<DeletionPolicy>;
}

/** A virtual shared folder of files from several volumes, folders and homes, shared with Grants. */
export class Collection extends pulumi.dynamic.Resource {
  declare readonly code: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly files: pulumi.Output<string[]>;

  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("Collection"), name, withName(name, args), opts, "accsyn", "Collection");
  }
}

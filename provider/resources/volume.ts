import * as pulumi from "@pulumi/pulumi";
import { type DeletionPolicy, type ShareArgsBase, withName } from "./common";
import { providerFor } from "./provider";

/** Storage paths of a volume per operating system; the VPN variants let the desktop app pick upload/download mode. */
export interface VolumePaths {
  windows?: string;
  linux?: string;
  mac?: string;
  windows_vpn?: string;
  linux_vpn?: string;
  mac_vpn?: string;
}

export interface VolumeArgs extends ShareArgsBase {
  /** Display name. Required. Updates in place (a rename). */
  name: pulumi.Input<string>;
  /** Unique API identifier among all shares. Required for volumes (it is their natural key). Updates in place. */
  code: pulumi.Input<string>;
  /** Paths per OS; the one for the serving server's OS is required. Updates in place. */
  paths: pulumi.Input<VolumePaths>;
  /** Serving server (id or code) at the main site. Changing it re-assigns the volume (in place). */
  server?: pulumi.Input<string>;
  /** Site servers (ids or codes) assigned at creation; manage them afterwards with VolumeServer. */
  siteServers?: pulumi.Input<pulumi.Input<string>[]>;
  /** On destroy: `deactivate` (default, restorable, nothing on disk touched), `delete`, or `retain`. */
  deletionPolicy?: pulumi.Input<DeletionPolicy>;
}

/** An accsyn storage volume: the base directory accsyn serves and shares from. Admin role required. */
export class Volume extends pulumi.dynamic.Resource {
  /** The volume's code (its API identifier). */
  declare readonly code: pulumi.Output<string>;
  /** The volume's display name. */
  declare readonly name: pulumi.Output<string>;
  /** The declared paths per OS. */
  declare readonly paths: pulumi.Output<VolumePaths>;

  constructor(name: string, args: VolumeArgs, opts?: pulumi.CustomResourceOptions) {
    super(providerFor("Volume"), name, withName(name, args), opts, "accsyn", "Volume");
  }
}

/**
 * pulumi-accsyn: accsyn workspaces as Pulumi resources. Credentials come from stack config
 * (`accsyn:workspace`, `accsyn:apiUser`, `accsyn:apiKey` as a secret, `accsyn:endpoint`) or the
 * environment variables the official accsyn client reads.
 */
export { Volume, type VolumeArgs, type VolumePaths } from "./resources/volume";
export { Folder, type FolderArgs } from "./resources/folder";
export { Home, type HomeArgs } from "./resources/home";
export { Collection, type CollectionArgs } from "./resources/collection";
export { VolumeServer, type VolumeServerArgs } from "./resources/volume-server";
export { Grant, type GrantArgs, type GrantRule, type ShareType } from "./resources/grant";
export type { DeletionPolicy } from "./resources/common";

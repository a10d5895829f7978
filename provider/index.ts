/**
 * pulumi-accsyn: accsyn workspaces as Pulumi resources. Credentials come from stack config
 * (`accsyn:workspace`, `accsyn:apiUser`, `accsyn:apiKey` as a secret, `accsyn:endpoint`) or the
 * environment variables the official accsyn client reads.
 * @module pulumi-accsyn
 */
export * from "./kinds";
export type { KindRef } from "./kinds/resource";
export type { DeletionPolicy, ShareStatus, ShareType } from "./vocabulary";

import type * as pulumi from "@pulumi/pulumi";

/** What happens to the accsyn entity when the resource is destroyed or replaced. */
export type DeletionPolicy = "deactivate" | "delete" | "retain";

/** Fields every share resource (Volume, Folder, Home, Collection) accepts. */
export interface ShareArgsBase {
  /** Unique API identifier among all shares of the workspace (used in `share=<code>/...`). Changing it updates in place. */
  code?: pulumi.Input<string>;
  /** Description shown in accsyn. Default empty. Updates in place. */
  description?: pulumi.Input<string>;
  /** Additional e-mail addresses to deliver notifications to. Updates in place. */
  email?: pulumi.Input<string>;
  /** Free-form metadata passed along with workflows. Updates in place. */
  metadata?: pulumi.Input<Record<string, unknown>>;
  /** Queue (id or code) that new jobs involving this share go to. Updates in place. */
  queue?: pulumi.Input<string>;
  /** `enabled` (default as created by accsyn) or `disabled` (related transfers are put on hold). Updates in place. */
  status?: pulumi.Input<"enabled" | "disabled">;
  /**
   * Take over an existing share with the same natural key (code; for a folder without code, volume +
   * path; for a home, the user) and bring it to the declared state. Without it, a collision fails and
   * names the existing share. Pulumi's `import` option does not work for dynamic resources (pulumi/pulumi#16175).
   */
  adopt?: pulumi.Input<boolean>;
}

/** Keeps the resource's own name in its inputs, so provider errors and duplicate checks can name it. */
export function withName<T extends object>(name: string, args: T): T & { resourceName: string } {
  return { ...args, resourceName: name };
}

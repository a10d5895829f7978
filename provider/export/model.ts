/**
 * What an export produces before it is written: resources of the registry's kinds with their
 * properties, where a reference to another exported resource is a {@link Ref} (an emitter writes
 * it as a variable in TypeScript, as `${name}` in YAML).
 */
import type { ResourceKind } from "../kinds/registry";

/** A reference to another exported resource. */
export class Ref {
  constructor(readonly target: ExportResource) {}
}

export type Value =
  | string
  | number
  | boolean
  | null
  | Ref
  | readonly Value[]
  | { readonly [k: string]: Value };

export interface ExportResource {
  readonly kind: ResourceKind;
  /** The accsyn id (for a Grant `<userId>/<shareId>`, for a VolumeServer `<volumeId>/<serverId>`). */
  readonly id: string;
  /** The properties to declare, in declaration order (defaults and empty values left out). */
  readonly props: Readonly<Record<string, Value>>;
  /** Resource names to try in order (the first free one wins), derived from codes and e-mails. */
  readonly candidates: (self: ExportResource) => string[];
  /** A line said in a comment above the resource (e.g. that it is inactive in accsyn). */
  readonly note?: string;
  /** The Pulumi resource name, once assigned (names.ts). */
  name: string;
  /** The TypeScript variable holding it, once assigned (names.ts). */
  ident: string;
}

/** What was exported and what was left out, for the summary. */
export interface ExportCounts {
  /** Resources per kind. */
  readonly resources: Readonly<Partial<Record<ResourceKind, number>>>;
  /** Inactive entities left out (without --include-inactive). */
  readonly skippedInactive: number;
  /** Entities outside the --volume subset. */
  readonly outsideSubset: number;
  /** Entities a resource cannot declare, each with why. */
  readonly refused: readonly string[];
}

export interface ExportPlan {
  readonly workspace: string;
  readonly resources: readonly ExportResource[];
  readonly counts: ExportCounts;
  /** The subset's volume code, when --volume was given. */
  readonly volume?: string;
  readonly includeInactive: boolean;
}

import type { z } from "zod";
import type { WorkspaceApi } from "./api";

/**
 * Marks a live projection whose entity was deactivated outside Pulumi: the diff plans an update,
 * and the update re-activates it in place. Never stored in the state.
 */
export const DEACTIVATED = "__deactivated";

/** What to do with the accsyn entity when its resource is destroyed (or replaced). */
export type DeletionPolicy = "deactivate" | "delete" | "retain";

/** Inputs every resource accepts besides its own fields. */
export interface CommonInputs {
  /** The Pulumi resource name, so errors and duplicate checks can name the resource. */
  resourceName?: string;
  /** Take over an existing entity with the same natural key instead of failing. */
  adopt?: boolean;
  deletionPolicy?: DeletionPolicy;
}

/**
 * One accsyn entity kind as a Pulumi resource: how to validate its inputs, which fields force a
 * replacement, and how to create, read, update and delete it. The generic lifecycle in
 * `lifecycle.ts` does the rest (validation errors, unknowns during preview, the live diff).
 */
export interface ResourceSpec<I extends CommonInputs> {
  kind: string;
  schema: z.ZodType<I, z.ZodTypeDef, unknown>;
  /** Fields whose change replaces the entity; all others update in place. */
  replaceOn: readonly string[];
  /** Fields compared with the live service (drift); a subset of the inputs. */
  managed: readonly string[];
  /** The live entity projected onto the managed input fields, or undefined when it is gone. */
  readLive(api: WorkspaceApi, id: string, inputs: I): Promise<Partial<I> | undefined>;
  create(api: WorkspaceApi, inputs: I): Promise<{ id: string; outs?: Record<string, unknown> }>;
  update(api: WorkspaceApi, id: string, olds: I, news: I): Promise<Record<string, unknown> | void>;
  remove(api: WorkspaceApi, id: string, inputs: I): Promise<void>;
  /** Extra checks that need more than one field or the rest of the program (e.g. duplicate grants). */
  checkMore?(inputs: I): void;
}

/** The spec type the dispatcher and tests hold every kind as. */
export type AnySpec = ResourceSpec<CommonInputs & Record<string, unknown>>;

/**
 * The creation marker: how the provider recognises, after `pulumi up` was killed, the shares that
 * a create of the same resource made but the state never recorded.
 *
 * Every fresh create of a share writes, in the same single create call, `metadata["pulumi-accsyn"]
 * = { resource: "<project>/<stack>/<Kind>/<resource name>" }`. When the next run finds an active
 * share with the declared natural key, it takes it over without `adopt` only if that marker names
 * this very resource; one made by hand, by another stack or by another resource is refused as
 * before. The marker is the provider's, never the program's: live reads strip it (diffs, drift,
 * plans and refresh never show it) and updates carry it along, so it never causes a write alone.
 */
import { z } from "zod";
import type { Entity, WorkspaceApi } from "../runtime/api";
import type { ShareType } from "../vocabulary";
import { type Props, field } from "./kind";
import { createOrRestore, liveShare, shareFields } from "./share";

/** The metadata key the provider reserves for its marker. */
export const MARKER_KEY = "pulumi-accsyn";

/**
 * The internal input naming the Pulumi project and stack that declare the resource, set by the
 * resource class (the provider process is not told which stack it serves). It only matters when
 * the entity is created, so adding or changing it is no change for existing stacks.
 */
export const stackField = field(z.string().optional(), {
  change: "internal",
  createOnly: true,
  doc: "The Pulumi project and stack declaring the resource, `<project>/<stack>` (set by the resource class).",
});

/** The share's `metadata`, refusing the key the marker uses (the provider hides it from every read). */
export const metadataField = field(
  z
    .record(z.unknown())
    .refine((m) => !(MARKER_KEY in m), {
      message: `the key '${MARKER_KEY}' is reserved for the provider's own marker`,
      params: { fix: `rename that metadata key (anything but '${MARKER_KEY}')` },
    })
    .optional(),
  { change: "update", doc: shareFields.metadata.doc },
);

/**
 * Who creates the entity, as the marker says it: undefined when the inputs do not say which stack
 * declares them (a program built on an older package, or the runtime driven directly).
 */
export function ownerOf(
  kind: string,
  inputs: { stack?: string | undefined; resourceName?: string | undefined },
): string | undefined {
  if (!inputs.stack || !inputs.resourceName) return undefined;
  return `${inputs.stack}/${kind}/${inputs.resourceName}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The resource a live share's marker names, if it has one. */
export function markerOf(e: Entity | undefined): string | undefined {
  const metadata = e?.metadata;
  if (!isRecord(metadata)) return undefined;
  const marker = metadata[MARKER_KEY];
  return isRecord(marker) && typeof marker.resource === "string" ? marker.resource : undefined;
}

/** True when `owner` (this resource) created the live share. */
export function madeBy(e: Entity | undefined, owner: string | undefined): boolean {
  return owner !== undefined && markerOf(e) === owner;
}

/** The payload of a fresh create, its metadata carrying the marker next to the user's own keys. */
export function markedForCreate(payload: Props, owner: string | undefined): Props {
  if (owner === undefined) return payload;
  const mine = isRecord(payload.metadata) ? payload.metadata : {};
  return { ...payload, metadata: { ...mine, [MARKER_KEY]: { resource: owner } } };
}

/**
 * The payload of a write to an existing share: declared metadata gets the live marker back, so
 * neither a missing marker shows as a change nor is the marker dropped by an edit. Metadata the
 * program does not declare is not sent at all (not managed).
 */
export function keepingMarker(payload: Props, live: Entity | undefined): Props {
  if (!isRecord(payload.metadata) || !isRecord(live?.metadata) || !(MARKER_KEY in live.metadata))
    return payload;
  return { ...payload, metadata: { ...payload.metadata, [MARKER_KEY]: live.metadata[MARKER_KEY] } };
}

/** A live projection without the marker: what the program declares is all it ever sees. */
export function withoutMarker(projection: Props): Props {
  const metadata = projection.metadata;
  if (!isRecord(metadata) || !(MARKER_KEY in metadata)) return projection;
  const { [MARKER_KEY]: _marker, ...rest } = metadata;
  return { ...projection, metadata: rest };
}

/**
 * `extra` for `updateCommon`: the declared metadata with the live marker kept (nothing when the
 * program does not declare metadata). Reads the same coalesced list the update reads anyway.
 */
export async function metadataKeepingMarker(
  api: WorkspaceApi,
  type: ShareType,
  id: string,
  metadata: Record<string, unknown> | undefined,
): Promise<Props> {
  if (metadata === undefined) return {};
  return keepingMarker({ metadata }, await liveShare(api, type, id));
}

/**
 * Creates the share with the marker, or takes over the one holding its natural key: a deactivated
 * one is restored, an active one only with `adopt` or when this resource's own create made it.
 */
export async function createOrTakeOver(
  api: WorkspaceApi,
  type: ShareType,
  existing: Entity | undefined,
  steer: { adopt?: boolean | undefined; owner: string | undefined },
  payload: Props,
  describe: string,
): Promise<Entity> {
  const takeOver = steer.adopt === true || madeBy(existing, steer.owner);
  const body = existing ? keepingMarker(payload, existing) : markedForCreate(payload, steer.owner);
  return createOrRestore(api, type, existing, takeOver, body, describe);
}

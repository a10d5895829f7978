import type { FieldMeta } from "../kinds/kind";
import { type AnyKind, kindNamed } from "../kinds/registry";
import { type Preview, type PreviewStep, type ResourceState, urnParts } from "./preview";
import { sameValue as same } from "../runtime/diff";
import { MASK, isUnknown, masked } from "./values";

/** What the plan does to one resource, in the words of the preview (replace covers its sub-steps). */
export type Operation = "create" | "update" | "replace" | "delete" | "same";

/** One field that changes: its value before (live when refreshed) and after, and why it changes. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  /** The live value differs from the last applied one: someone changed it outside Pulumi. */
  drift: boolean;
  /** The code's value differs from the last applied one. */
  inCode: boolean;
  meta: FieldMeta | undefined;
}

export interface ResourceChange {
  urn: string;
  name: string;
  /** The accsyn kind (Volume, Grant, ...) or, for other resources, their Pulumi type. */
  kindName: string;
  kind: AnyKind | undefined;
  op: Operation;
  id: string | undefined;
  /** The state as last applied (before this preview's refresh). */
  applied: Record<string, unknown> | undefined;
  /** The live values the refresh read; undefined without --refresh or when the entity is gone. */
  live: Record<string, unknown> | undefined;
  /** The declared inputs; undefined for a delete. */
  declared: Record<string, unknown> | undefined;
  fields: FieldChange[];
  replaceReasons: string[];
  /** In the state, but the refresh found it gone from the live workspace (so it is created again). */
  goneOutside: boolean;
  /** Fields referring to other resources: field → that resource's URN (from the dependencies). */
  refs: Record<string, string>;
  /**
   * What the provider said about this resource during the preview (its diagnostics that are not
   * errors), e.g. which existing entity an adoption takes over and what it changes on it.
   */
  notes: string[];
}

export interface Plan {
  stack: string;
  project: string;
  /** The preview ran with --refresh, so before-values are live values and drift is visible. */
  refreshed: boolean;
  resources: ResourceChange[];
}

const DYNAMIC = "pulumi-nodejs:dynamic/";
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced"]);
const OP_OF: Record<string, Operation> = {
  create: "create",
  update: "update",
  delete: "delete",
  same: "same",
};

/** Fields a reviewer never needs: the serialized provider, and fields the metadata calls internal. */
export function isInternal(field: string, meta: FieldMeta | undefined): boolean {
  return field.startsWith("__") || meta?.change === "internal";
}

function kindOf(type: string): { kindName: string; kind: AnyKind | undefined } {
  if (!type.startsWith(DYNAMIC)) return { kindName: type, kind: undefined };
  const last = type.slice(DYNAMIC.length).split(":").pop() ?? type;
  const kind = kindNamed(last);
  return { kindName: kind?.name ?? last, kind };
}

/**
 * The props a review may show: inputs (what the program declared) over outputs (what accsyn
 * computed, like a derived code), internals left out, secrets masked (Pulumi's and the kind's).
 */
function propsOf(
  s: ResourceState | null | undefined,
  kind: AnyKind | undefined,
): Record<string, unknown> | undefined {
  if (!s) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...(s.outputs ?? {}), ...(s.inputs ?? {}) })) {
    const meta = kind?.fields[k];
    if (isInternal(k, meta)) continue;
    out[k] = masked(v);
  }
  return out;
}

/** A value of a field the kind marks secret, masked (compare before masking). */
function hide(v: unknown, meta: FieldMeta | undefined): unknown {
  return meta?.secret && v !== undefined && v !== null && v !== "" ? MASK : v;
}

function hideSecrets(p: Record<string, unknown> | undefined, kind: AnyKind | undefined) {
  return p && Object.fromEntries(Object.entries(p).map(([k, v]) => [k, hide(v, kind?.fields[k])]));
}

function operationOf(steps: PreviewStep[]): Operation {
  if (steps.some((s) => REPLACE_OPS.has(s.op))) return "replace";
  for (const s of steps) if (OP_OF[s.op]) return OP_OF[s.op];
  return "same";
}

function fieldChanges(
  kind: AnyKind | undefined,
  applied: Record<string, unknown> | undefined,
  live: Record<string, unknown> | undefined,
  declared: Record<string, unknown> | undefined,
): FieldChange[] {
  const before = live ?? applied ?? {};
  const after = declared ?? {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: FieldChange[] = [];
  for (const field of names) {
    const meta = kind?.fields[field];
    if (isInternal(field, meta)) continue;
    // A field the code leaves unset is not managed (the provider's diff rule), unless the kind
    // says removing it clears it in accsyn.
    if (declared && after[field] === undefined && meta?.clearable !== true) continue;
    if (same(before[field], after[field])) continue;
    const drift = live !== undefined && applied !== undefined && !same(live[field], applied[field]);
    const inCode = applied === undefined || !same(applied[field], after[field]);
    out.push({
      field,
      before: hide(before[field], meta),
      after: hide(after[field], meta),
      drift,
      inCode,
      meta,
    });
  }
  return out.sort((a, b) => a.field.localeCompare(b.field));
}

function refsOf(s: ResourceState | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, urns] of Object.entries(s?.propertyDependencies ?? {}))
    if (urns[0]) out[field] = urns[0];
  return out;
}

/**
 * The provider's non-error diagnostics about one resource. Lines a dynamic provider prints reach
 * the preview without a URN (measured: severity `info#err`, no `urn`), so they are matched by the
 * prefix this provider starts every message with (`accsyn Folder 'show': `).
 */
function notesOf(preview: Preview, urn: string, prefix: string): string[] {
  return (preview.diagnostics ?? [])
    .filter((d) => d.severity !== "error" && d.message !== undefined)
    .filter((d) => d.urn === urn || (d.urn === undefined && (d.message ?? "").startsWith(prefix)))
    .map((d) => (d.message ?? "").trim());
}

/** The plan of a preview: one entry per resource (the stack itself left out), in preview order. */
export function buildPlan(preview: Preview): Plan {
  const steps = preview.steps ?? [];
  const byUrn = new Map<string, PreviewStep[]>();
  for (const s of steps) byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);
  const refreshed = steps.some((s) => s.op === "refresh");
  let stack = "";
  let project = "";
  const resources: ResourceChange[] = [];
  for (const [urn, steps] of byUrn) {
    const parts = urnParts(urn);
    stack ||= parts.stack;
    project ||= parts.project;
    if (parts.type === "pulumi:pulumi:Stack" || parts.type.startsWith("pulumi:providers:")) continue;
    const refresh = steps.find((s) => s.op === "refresh");
    const main = steps.find((s) => s.op !== "refresh");
    const op = operationOf(main ? steps.filter((s) => s.op !== "refresh") : []);
    const { kindName, kind } = kindOf(main?.newState?.type ?? main?.oldState?.type ?? parts.type);
    // Without a refresh, the old state is the applied one; with it, the step's old state is live.
    const applied = propsOf(refresh ? refresh.oldState : main?.oldState, kind);
    const goneOutside = refresh !== undefined && op === "create";
    const live = refresh && !goneOutside ? propsOf(main?.oldState ?? refresh.newState, kind) : undefined;
    const declared = op === "delete" ? undefined : propsOf(main?.newState ?? refresh?.newState, kind);
    const id = main?.oldState?.id ?? refresh?.oldState?.id;
    resources.push({
      urn,
      name: parts.name,
      kindName,
      kind,
      op,
      id: id && !isUnknown(id) ? id : undefined,
      applied: hideSecrets(applied, kind),
      live: hideSecrets(live, kind),
      declared: hideSecrets(declared, kind),
      fields: op === "delete" ? [] : fieldChanges(kind, goneOutside ? undefined : applied, live, declared),
      replaceReasons: main?.replaceReasons ?? [],
      goneOutside,
      refs: refsOf(main?.newState ?? main?.oldState ?? refresh?.oldState),
      notes: notesOf(preview, urn, `accsyn ${kindName} '${parts.name}': `),
    });
  }
  return { stack, project, refreshed, resources };
}

/** The comment lines that open an exported program: what it declares and how to use it. */
import { KINDS } from "../kinds/registry";
import type { ExportPlan } from "./model";

/** "3 Volume, 1 VolumeServer, 12 Folder, ..." in registry order; kinds with none are left out. */
export function countsLine(plan: ExportPlan): string {
  const parts = KINDS.map((k) => [k.name, plan.counts.resources[k.name] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  return parts.length > 0 ? parts.join(", ") : "no resources";
}

/**
 * The header, without a date on purpose: the same workspace exports to the same bytes, so a diff
 * of two exports shows only what changed in the workspace.
 */
export function headerLines(plan: ExportPlan): string[] {
  const subset = plan.volume !== undefined ? ` (volume '${plan.volume}' and what lies beneath it)` : "";
  return [
    `accsyn workspace "${plan.workspace}"${subset}, written by accsyn-export: ${countsLine(plan)}.`,
    "Every resource adopts the entity whose id its comment gives (adopt: true), so `pulumi up` takes the",
    "workspace over without creating anything. Credentials: the stack's accsyn:* config or ACCSYN_* variables.",
    ...(plan.includeInactive ? ["Inactive entities are included: `pulumi up` re-activates them."] : []),
  ];
}

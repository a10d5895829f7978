import type { FieldChange, Plan, ResourceChange } from "./model";

/** Something in the live workspace that differs from the last applied state, which `up` puts back. */
export interface Drift {
  resource: string;
  kindName: string;
  /** The drifted fields: live value (before) and the value up writes (after). */
  fields: FieldChange[];
  /** Why, when no field shows it (gone, deactivated, or a preview without --refresh). */
  note?: string;
}

/** The drift a plan shows: fields changed by hand, entities gone, and changes no field explains. */
export function driftOf(plan: Plan): Drift[] {
  const out: Drift[] = [];
  for (const r of plan.resources) {
    const base = { resource: r.name, kindName: r.kindName };
    if (r.goneOutside) {
      out.push({
        ...base,
        fields: [],
        note: "gone from the live workspace (deleted or deactivated by hand, or its share was); up creates it again",
      });
      continue;
    }
    const drifted = r.fields.filter((f) => f.drift);
    if (drifted.length > 0) out.push({ ...base, fields: drifted });
    else if (unexplained(r)) {
      out.push({
        ...base,
        fields: [],
        note: plan.refreshed
          ? "the live entity differs in something the state does not record (for a share: deactivated by hand); up restores the declared state"
          : "the live workspace differs from the code; run the preview with --refresh to see which fields",
      });
    }
  }
  return out;
}

/** An update the provider planned from the live read that no visible field accounts for. */
function unexplained(r: ResourceChange): boolean {
  return r.op === "update" && !r.fields.some((f) => f.inCode || f.meta?.change === "provider");
}

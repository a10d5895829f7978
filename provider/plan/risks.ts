import { deletionPolicyOf } from "./access";
import type { Plan, ResourceChange } from "./model";
import { isUnknown } from "./values";

export type RiskKind = "deactivate" | "delete" | "retain" | "replace" | "adopt" | "restore";

/** A change a reviewer must look at, with what it does to ids, data and ACLs. */
export interface Risk {
  kind: RiskKind;
  /** The resources it concerns (one, or all the creates of a kind that may restore). */
  resources: string[];
  kindName: string;
  reason: string;
}

/** What each deletion policy does to the entity and its ACLs (policies: provider/vocabulary.ts). */
const POLICY_EFFECT: Record<string, { risk: RiskKind; text: string }> = {
  deactivate: {
    risk: "deactivate",
    text: "deactivated, restorable: accsyn keeps it and its ACLs (offline); declaring it again restores the same id",
  },
  delete: { risk: "delete", text: "deleted permanently: its id and its ACLs are gone" },
  retain: { risk: "retain", text: "left in accsyn as it is and only removed from the Pulumi state" },
};

/** What deleting a resource does, from its kind's deletion policy (a kind without one is removed). */
export function deletionEffect(r: ResourceChange): { risk: RiskKind; text: string } {
  const policy = deletionPolicyOf(r);
  // A kind with a grantee is an ACL: deleting it is a revocation (the access review has the detail).
  const isAcl = Object.values(r.kind?.fields ?? {}).some((f) => f.access === "grantee");
  if (isAcl && policy === "delete")
    return { risk: "delete", text: "revoked: the user loses this access (deletionPolicy `delete`)" };
  const base = policy ? POLICY_EFFECT[policy] : undefined;
  if (!base) return { risk: "delete", text: "removed from accsyn" };
  return { ...base, text: `${base.text} (deletionPolicy \`${policy}\`)` };
}

function naturalKey(r: ResourceChange): string {
  for (const alt of r.kind?.naturalKey ?? []) {
    const values = alt.map((f) => r.declared?.[f]);
    if (values.every((v) => v !== undefined && !isUnknown(v))) {
      return alt.map((f, i) => `${f} \`${String(values[i])}\``).join(", ");
    }
  }
  return "its natural key";
}

function dependentsOf(plan: Plan, r: ResourceChange): ResourceChange[] {
  return plan.resources.filter((x) => x !== r && Object.values(x.refs).includes(r.urn) && x.op === "replace");
}

function replaceReason(plan: Plan, r: ResourceChange): string {
  const why =
    r.replaceReasons.length > 0
      ? r.replaceReasons
      : r.fields.filter((f) => f.meta?.change === "replace").map((f) => f.field);
  const because =
    why.length > 0
      ? `\`${why.join("`, `")}\` changed, which identifies it`
      : "a resource it refers to is replaced";
  const old = deletionEffect(r);
  const deps = dependentsOf(plan, r);
  const acl =
    deps.length > 0
      ? `; ${deps.length} resource(s) referring to it are replaced too (${deps.map((d) => d.name).join(", ")}), ACLs granted again on the new id`
      : "";
  return `${because}. The old one${r.id ? ` (id ${r.id})` : ""} is ${old.text} first; a new one is created with a new id${acl}`;
}

/**
 * Creates of kinds whose default deletion is a deactivation: accsyn may hold a deactivated entity
 * with the same natural key, and creating restores it with its old ACLs. One line per kind.
 */
function restores(plan: Plan): Risk[] {
  const byKind = new Map<string, ResourceChange[]>();
  for (const r of plan.resources) {
    if (r.op !== "create" || r.declared?.adopt === true) continue;
    if (r.kind?.fields.deletionPolicy?.default !== "deactivate") continue;
    byKind.set(r.kindName, [...(byKind.get(r.kindName) ?? []), r]);
  }
  return [...byKind].map(([kindName, rs]) => ({
    kind: "restore",
    kindName,
    resources: rs.map((r) => r.name),
    reason:
      rs.length === 1
        ? `restores a deactivated ${kindName} with ${naturalKey(rs[0])} if accsyn has one (same id, its old ACLs back online); otherwise creates it`
        : `${rs.length} ${kindName}s created: each restores a deactivated ${kindName} with the same ${naturalKeyNames(rs[0])} if accsyn has one (same id, its old ACLs back online)`,
  }));
}

function naturalKeyNames(r: ResourceChange): string {
  return (r.kind?.naturalKey ?? []).map((alt) => alt.join(" and ")).join(", or ") || "natural key";
}

/** The risky changes of a plan, deletions and replacements first. */
export function risksOf(plan: Plan): Risk[] {
  const out: Risk[] = [];
  for (const r of plan.resources) {
    const base = { resources: [r.name], kindName: r.kindName };
    if (r.op === "delete") {
      const e = deletionEffect(r);
      out.push({
        ...base,
        kind: e.risk,
        reason: `Removed from the code: ${e.text}${r.id ? ` (id ${r.id})` : ""}`,
      });
    } else if (r.op === "replace") {
      out.push({ ...base, kind: "replace", reason: replaceReason(plan, r) });
    } else if (r.op === "create" && r.declared?.adopt === true) {
      out.push({
        ...base,
        kind: "adopt",
        reason:
          r.notes.length > 0
            ? `Adopts an existing ${r.kindName}; the provider says: ${r.notes.join(" ")}`
            : `Adopts the existing ${r.kindName} with ${naturalKey(r)} if there is one, and brings it to the declared state (fields below)`,
      });
    }
  }
  out.push(...restores(plan));
  const order: RiskKind[] = ["delete", "replace", "deactivate", "adopt", "restore", "retain"];
  return out.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}

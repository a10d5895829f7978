import type { Fields } from "../kinds/kind";
import type { WorkspaceApi } from "../runtime/api";
import { isShareType } from "../vocabulary";
import type { Rights } from "./access";
import type { Plan, ResourceChange } from "./model";

/** An ACL on a share the stack manages that no Grant of the stack declares: Pulumi cannot see it. */
export interface UnmanagedAccess {
  user: string;
  /** The share resource's kind and name. */
  share: string;
  path: string;
  rights: Rights;
}

function fieldWith(fields: Fields, meaning: string): string | undefined {
  return Object.entries(fields).find(([, f]) => f.access === meaning)?.[0];
}

/** The rules of one ACL whether the API gives it per path or with a list of rules. */
function rulesOf(acl: unknown): { path: string; read: boolean; write: boolean }[] {
  const a = acl as { rules?: unknown; path?: unknown; read?: unknown; write?: unknown };
  const list = Array.isArray(a.rules)
    ? (a.rules as Record<string, unknown>[])
    : [a as Record<string, unknown>];
  return list.map((r) => ({ path: String(r.path ?? "/"), read: r.read === true, write: r.write === true }));
}

const gone = (r: ResourceChange) => r.op === "create" || r.op === "delete" || r.goneOutside;

/**
 * Reads the ACLs of every share the stack manages and returns those no Grant of the stack
 * declares for that user and share. Read-only: it lists, never writes.
 */
export async function unmanagedAccess(plan: Plan, api: WorkspaceApi): Promise<UnmanagedAccess[]> {
  const declared = new Set<string>();
  for (const r of plan.resources) {
    const grantee = r.kind && fieldWith(r.kind.fields, "grantee");
    const share = r.kind && fieldWith(r.kind.fields, "share");
    if (!grantee || !share || r.op === "delete") continue;
    const props = r.live ?? r.applied ?? r.declared;
    const user = props?.[grantee];
    if (typeof user !== "string" || typeof props?.[share] !== "string") continue;
    const found = await api.findUser(user);
    declared.add(`${found?.id ?? user}|${String(props[share])}`);
  }
  const out: UnmanagedAccess[] = [];
  for (const r of plan.resources) {
    if (!isShareType(r.kindName) || r.id === undefined || gone(r)) continue;
    for (const acl of await api.access(r.kindName, r.id)) {
      if (declared.has(`${acl.userId}|${r.id}`)) continue;
      const user = await api.findUser(acl.userId);
      const label = user?.code ?? acl.userId;
      for (const rule of rulesOf(acl)) {
        out.push({ user: label, share: `${r.kindName} ${r.name}`, path: rule.path, rights: rule });
      }
    }
  }
  return out;
}

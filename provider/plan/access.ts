import type { Fields } from "../kinds/kind";
import type { Plan, ResourceChange } from "./model";
import { isUnknown } from "./values";

/** The rights on one path of a share. */
export interface Rights {
  read: boolean;
  write: boolean;
}

export type AccessVerdict = "gained" | "lost" | "widened" | "narrowed" | "changed" | "re-granted";

/** One change of one user's access to one path of one share. */
export interface AccessChange {
  user: string;
  share: string;
  path: string;
  /** The path the access was on before, when a wider path took its place. */
  fromPath?: string;
  before: Rights | undefined;
  after: Rights | undefined;
  verdict: AccessVerdict;
  /** The resource that makes the change. */
  resource: string;
  /** Why, when it is not the code alone (an ACL removed by hand, a share replaced). */
  note?: string;
}

export interface AccessReview {
  changes: AccessChange[];
  /** Users the stack grants access to for the first time; accsyn invites an e-mail it does not know. */
  invited: { user: string; resource: string }[];
}

/** The field names that carry each access meaning in a kind (from the kinds' metadata). */
interface AccessFields {
  grantee: string;
  share: string;
  shareKind: string | undefined;
  rules: string;
  path: string;
  read: string;
  write: string;
}

function accessFields(fields: Fields): AccessFields | undefined {
  const named = (m: string) => Object.entries(fields).find(([, f]) => f.access === m);
  const grantee = named("grantee");
  const share = named("share");
  const rules = named("rules");
  if (!grantee || !share || !rules) return undefined;
  const sub = (m: string) => Object.entries(rules[1].items ?? {}).find(([, f]) => f.access === m)?.[0];
  const [path, read, write] = [sub("path"), sub("read"), sub("write")];
  if (!path || !read || !write) return undefined;
  return {
    grantee: grantee[0],
    share: share[0],
    shareKind: share[1].kindField,
    rules: rules[0],
    path,
    read,
    write,
  };
}

type PathRights = Map<string, Rights>;

function rulesOf(props: Record<string, unknown> | undefined, f: AccessFields): PathRights {
  const out: PathRights = new Map();
  const rules = props?.[f.rules];
  if (!Array.isArray(rules)) return out;
  for (const r of rules) {
    if (typeof r !== "object" || r === null) continue;
    const rule = r as Record<string, unknown>;
    const path = typeof rule[f.path] === "string" ? (rule[f.path] as string) : "/";
    out.set(path, { read: rule[f.read] === true, write: rule[f.write] === true });
  }
  return out;
}

/** The policy that applies when the resource is deleted: its own, else its kind's default. */
export function deletionPolicyOf(r: ResourceChange): string | undefined {
  const meta = r.kind?.fields.deletionPolicy;
  if (!meta) return undefined;
  const given = r.declared?.deletionPolicy ?? r.applied?.deletionPolicy;
  return typeof given === "string" ? given : meta.default;
}

/** How a resource names a share in the review: the share resource's name where the plan has it. */
function shareLabel(
  plan: Plan,
  r: ResourceChange,
  f: AccessFields,
  props: Record<string, unknown> | undefined,
) {
  const urn = r.refs[f.share];
  const target = urn ? plan.resources.find((x) => x.urn === urn) : undefined;
  const value = props?.[f.share];
  const byId = target ?? plan.resources.find((x) => x.id !== undefined && x.id === value);
  const type = (f.shareKind && props?.[f.shareKind]) || byId?.kindName || "share";
  if (byId) {
    const code = byId.declared?.code ?? byId.applied?.code;
    return `${String(type)} ${byId.name}${typeof code === "string" && !isUnknown(code) ? ` (${code})` : ""}`;
  }
  return `${String(type)} ${isUnknown(value) ? "(new)" : String(value)}`;
}

function verdictOf(before: Rights | undefined, after: Rights | undefined): AccessVerdict | undefined {
  const b = before ?? { read: false, write: false };
  const a = after ?? { read: false, write: false };
  const gains = (a.read && !b.read) || (a.write && !b.write);
  const losses = (b.read && !a.read) || (b.write && !a.write);
  if (!gains && !losses) return undefined;
  if (!before || (!b.read && !b.write)) return "gained";
  if (!after || (!a.read && !a.write)) return "lost";
  if (gains && losses) return "changed";
  return gains ? "widened" : "narrowed";
}

function covers(wide: string, narrow: string): boolean {
  const w = wide.replace(/^\/+|\/+$/g, "");
  const n = narrow.replace(/^\/+|\/+$/g, "");
  return w === "" || n === w || n.startsWith(w + "/");
}

/** A lost path and a gained wider path with at least the same rights are one widening. */
function mergeWiderPaths(changes: AccessChange[]): AccessChange[] {
  const out = [...changes];
  for (const lost of changes.filter((c) => c.verdict === "lost")) {
    const wider = out.find(
      (g) =>
        g.verdict === "gained" &&
        g.user === lost.user &&
        g.share === lost.share &&
        g.path !== lost.path &&
        covers(g.path, lost.path) &&
        (g.after?.read || !lost.before?.read) &&
        (g.after?.write || !lost.before?.write),
    );
    if (!wider) continue;
    out.splice(out.indexOf(lost), 1);
    out.splice(out.indexOf(wider), 1, {
      ...wider,
      verdict: "widened",
      fromPath: lost.path,
      before: lost.before,
    });
  }
  return out;
}

function grantChanges(plan: Plan, r: ResourceChange, f: AccessFields): AccessChange[] {
  if (r.op === "same") return [];
  const retained = r.op === "delete" && deletionPolicyOf(r) === "retain";
  const beforeProps = r.op === "create" ? undefined : (r.live ?? r.applied);
  const afterProps = r.op === "delete" ? (retained ? beforeProps : undefined) : r.declared;
  const userOf = (p: Record<string, unknown> | undefined) => (p ? String(p[f.grantee] ?? "") : "");
  const user = userOf(afterProps) || userOf(beforeProps);
  const shareBefore = beforeProps ? shareLabel(plan, r, f, beforeProps) : undefined;
  const shareAfter = afterProps ? shareLabel(plan, r, f, afterProps) : undefined;
  const sides: [string, PathRights, PathRights][] =
    shareBefore !== undefined && shareAfter !== undefined && shareBefore !== shareAfter
      ? [
          [shareBefore, rulesOf(beforeProps, f), new Map()],
          [shareAfter, new Map(), rulesOf(afterProps, f)],
        ]
      : [[shareAfter ?? shareBefore ?? "share", rulesOf(beforeProps, f), rulesOf(afterProps, f)]];
  const note = r.goneOutside
    ? "its ACL was removed outside Pulumi (or its share was); up grants it again"
    : undefined;
  const out: AccessChange[] = [];
  for (const [share, before, after] of sides) {
    for (const path of new Set([...before.keys(), ...after.keys()])) {
      const b = before.get(path);
      const a = after.get(path);
      const verdict = verdictOf(b, a);
      const base = { user, share, path, before: b, after: a, resource: r.name, ...(note ? { note } : {}) };
      if (verdict) out.push({ ...base, verdict });
      else if (r.op === "replace" && a) {
        out.push({
          ...base,
          verdict: "re-granted",
          note: "the ACL is revoked and granted again (same rights)",
        });
      }
    }
  }
  return mergeWiderPaths(out);
}

/** Who gains, loses, widens or narrows access where, derived from the kinds whose fields carry access meanings. */
export function reviewAccess(plan: Plan): AccessReview {
  const changes: AccessChange[] = [];
  const invited: AccessReview["invited"] = [];
  const knownUsers = new Set<string>();
  for (const r of plan.resources) {
    const f = r.kind && accessFields(r.kind.fields);
    if (!f) continue;
    for (const p of [r.applied, r.live]) {
      const u = p?.[f.grantee];
      if (typeof u === "string" && r.op !== "create") knownUsers.add(u.toLowerCase());
    }
  }
  for (const r of plan.resources) {
    const f = r.kind && accessFields(r.kind.fields);
    if (!f) continue;
    changes.push(...grantChanges(plan, r, f));
    const user = r.declared?.[f.grantee];
    // Where the kind has an invite switch (the field whose access meaning is `invite`), only a
    // grant with it on may invite (preview refuses an unknown e-mail otherwise); without one, any
    // grant to an e-mail may.
    const inviteField = Object.entries(r.kind?.fields ?? {}).find(([, fd]) => fd.access === "invite")?.[0];
    const mayInvite = inviteField === undefined || r.declared?.[inviteField] === true;
    if (r.op === "create" && !r.goneOutside && mayInvite && typeof user === "string" && user.includes("@")) {
      const key = user.toLowerCase();
      if (!knownUsers.has(key) && !invited.some((i) => i.user.toLowerCase() === key)) {
        invited.push({ user, resource: r.name });
      }
    }
  }
  changes.sort(
    (a, b) => a.user.localeCompare(b.user) || a.share.localeCompare(b.share) || a.path.localeCompare(b.path),
  );
  return { changes, invited };
}

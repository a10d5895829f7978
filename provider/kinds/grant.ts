import { CustomResource } from "@pulumi/pulumi/resource";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Acl, AclRule, UserRef, WorkspaceApi } from "../runtime/api";
import { ConflictError, InputError, ReferenceNotFoundError } from "../runtime/errors";
import { nearMatches } from "../runtime/near";
import { findShare, requireShareId } from "../runtime/resolve";
import { SHARE_TYPES, type ShareType, isId } from "../vocabulary";
import { onlyDeclaredAcls } from "./acl-recovery";
import { pathProblem, refinePath } from "./paths";
import { type InputsOf, defineKind, field } from "./kind";
import { type ArgsOf, resourceArgs } from "./resource";
import { adoptField, deletionPolicyField, resourceNameField, userRefSchema } from "./share";

/** accsyn's spelling of a path within a share: `/` for the whole share, else relative, no trailing slash. */
function normalizePath(p: string): string {
  const parts = p
    .trim()
    .replace(/\\/g, "/")
    .split("/")
    .filter((x) => x !== "" && x !== ".");
  return parts.length === 0 ? "/" : parts.join("/");
}

const ruleSchema = z
  .object({
    path: z.string().default("/").superRefine(refinePath(pathProblem)).transform(normalizePath),
    read: z.boolean().default(false),
    write: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.read || r.write, {
    message: "grants neither read nor write; accsyn needs at least one",
    params: { fix: "set read: true (download), write: true (upload), or both" },
  });

function byPath<T extends { path: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => a.path.localeCompare(b.path));
}

const fields = {
  user: field(userRefSchema, {
    change: "replace",
    ref: ["User"],
    access: "grantee",
    doc:
      "The user (id or e-mail). An e-mail no user has fails the preview, naming near matches, unless " +
      "`invite` is true.",
  }),
  share: field(z.string().min(1, "must name a share (its id or code)"), {
    change: "replace",
    ref: SHARE_TYPES,
    kindField: "shareType",
    access: "share",
    doc: "The share: a Volume, Folder, Home or Collection resource, or a share id or code together with `shareType`.",
  }),
  shareType: field(z.enum(SHARE_TYPES), {
    change: "replace",
    doc: "The share's kind; required when `share` is an id or code (set from the resource otherwise).",
  }),
  rules: field(
    z
      .array(ruleSchema)
      .min(1, "needs at least one {path, read, write} rule")
      .refine((rules) => new Set(rules.map((r) => r.path)).size === rules.length, {
        message: "lists the same path twice",
        params: { fix: "merge the rules of that path into one {path, read, write}" },
      })
      .transform(byPath),
    {
      change: "update",
      access: "rules",
      doc:
        "One or more path rules (at least one of read/write each); accsyn keeps one ACL per path. A change " +
        "grants new and changed paths first, then revokes the paths no longer declared, so access both the " +
        "old and the new rules give is never interrupted.",
      items: {
        path: {
          access: "path",
          doc: "Path relative to the share (`plates`, not `/plates`); default `/` (the whole share).",
        },
        read: { access: "read", doc: "Users may download from the path. Default false." },
        write: { access: "write", doc: "Users may upload to the path. Default false." },
      },
    },
  ),
  invite: field(z.boolean().default(false), {
    change: "provider",
    access: "invite",
    default: "false",
    doc:
      "Invite `user` as a new standard user when no user has that e-mail (or bring back a deactivated " +
      "one). Off by default, so a mistyped e-mail fails the preview instead of inviting a stranger.",
  }),
  notify: field(z.boolean().default(true), {
    change: "write-only",
    default: "true",
    doc: "E-mail the user when access to a new path is granted.",
  }),
  message: field(z.string().optional(), { change: "write-only", doc: "Message sent with the notification." }),
  adopt: field(z.boolean().optional(), {
    ...adoptField,
    doc: "Take over the ACLs the user already has on the share (revoking paths not declared).",
  }),
  deletionPolicy: deletionPolicyField(["delete", "retain"], "`delete` (revoke every ACL) or `retain`."),
  resourceName: resourceNameField,
};

type GrantInputs = InputsOf<typeof fields>;

/** One ACL of a Grant, as its state records it. */
export interface GrantAcl {
  id: string;
  path: string;
  read: boolean;
  write: boolean;
}

function recorded(acls: readonly Acl[]): GrantAcl[] {
  return byPath(acls.map((a) => ({ id: a.id, path: a.path, read: a.read, write: a.write })));
}

function rulesOf(acls: readonly Acl[]): AclRule[] {
  return byPath(acls.map((a) => ({ path: a.path, read: a.read, write: a.write })));
}

/**
 * The user a Grant names, as the live workspace has it: an entity, or undefined when no user has
 * that e-mail. An id that names no user is an error whatever `invite` says (ids are not invited).
 */
async function liveUser(api: WorkspaceApi, user: string): Promise<UserRef | undefined> {
  const found = await api.findUser(user);
  if (!found && isId(user)) throw new ReferenceNotFoundError("Grant", "user", "User", user);
  return found;
}

/** Refuses, before any change, a user that granting would invite or bring back without `invite`. */
async function requireGrantee(
  api: WorkspaceApi,
  user: string,
  invite: boolean,
): Promise<UserRef | undefined> {
  const found = await liveUser(api, user);
  if (invite) return found;
  if (!found) {
    const emails = (await api.list("User"))
      .filter((u) => u.inactive !== true)
      .map((u) => String(u.code ?? ""))
      .filter((c) => c !== "");
    const near = nearMatches(user, emails);
    throw new InputError(
      "Grant",
      "user",
      `no user has the e-mail '${user}' in the workspace` +
        (near.length > 0 ? ` (did you mean ${near.map((n) => `'${n}'`).join(" or ")}?)` : ""),
      `correct the e-mail, or set 'invite: true' to invite '${user}' as a new standard user`,
    );
  }
  if (found.inactive === true) {
    throw new InputError(
      "Grant",
      "user",
      `user '${String(found.code ?? user)}' (id ${found.id}) is deactivated`,
      "set 'invite: true' to bring the user back with this access, or remove the Grant",
    );
  }
  return found;
}

/**
 * Which resource claims which (user, share), on resolved ids: an e-mail and the id of the same user,
 * or a share resource and the share's code, are the same claim. The provider process sees every
 * check of a run, so two Grants claiming one pair fail the preview (and `up`), naming both.
 */
const claims = new Map<string, { name: string; written: string }>();

function claim(userKey: string, shareId: string, i: Partial<GrantInputs>): void {
  const key = `${userKey}|${shareId}`;
  const mine = {
    name: i.resourceName ?? "(unnamed)",
    written: `user '${i.user}' on ${i.shareType} '${i.share}'`,
  };
  const other = claims.get(key);
  if (other !== undefined && other.name !== mine.name) {
    throw new InputError(
      "Grant",
      "share",
      `Grants '${other.name}' (${other.written}) and '${mine.name}' (${mine.written}) both claim user ` +
        `${userKey} on share ${shareId}; a Grant is the whole set of that user's ACLs on the share`,
      "merge their rules into one Grant",
    );
  }
  claims.set(key, mine);
}

/** The user id (or the e-mail of a user to invite) and the share id; undefined when either is gone. */
async function resolveIfPresent(
  api: WorkspaceApi,
  i: GrantInputs,
): Promise<{ userId: string; shareId: string } | undefined> {
  const share = await findShare(api, i.shareType, i.share);
  const user = await api.findUser(i.user);
  if (!share || !user) return undefined;
  return { userId: user.id, shareId: share.id };
}

async function aclsOf(api: WorkspaceApi, type: ShareType, shareId: string, userId: string): Promise<Acl[]> {
  return (await api.access(type, shareId)).filter((a) => a.userId === userId);
}

/**
 * Brings the user's ACLs on the share to the declared rules, one ACL per path: first grants every
 * new or changed path (a changed path's ACL is updated in place, keeping its id), then revokes the
 * paths no longer declared. Granting first means no access that both the old and the new rules
 * give is ever missing. Returns the ACLs as they are afterwards.
 */
async function converge(
  api: WorkspaceApi,
  i: GrantInputs,
  user: string,
  shareId: string,
  have: readonly Acl[],
): Promise<Acl[]> {
  const type = i.shareType;
  const keep: Acl[] = [];
  let userRef = user;
  for (const rule of i.rules) {
    const same = have.find((a) => a.path === rule.path);
    if (same && same.read === rule.read && same.write === rule.write) {
      keep.push(same);
      continue;
    }
    // Sequential: the first grant may invite the user; the next ones then name the new id.
    const acl = await api.grant(userRef, type, shareId, rule, {
      notify: same === undefined && i.notify,
      invite: i.invite,
      ...(i.message !== undefined ? { message: i.message } : {}),
    });
    userRef = acl.userId || userRef;
    keep.push(acl);
  }
  const declared = new Set(i.rules.map((r) => r.path));
  for (const stale of have.filter((a) => !declared.has(a.path))) await api.revokeAcl(stale.id);
  return keep;
}

function grantId(userId: string, shareId: string): string {
  return `${userId}/${shareId}`;
}

export const grantKind = defineKind({
  name: "Grant",
  doc:
    "Access of one user to one share: the set of that user's ACLs on the share, one per rule path " +
    "(accsyn keeps one ACL per user, share and path). One Grant owns the pair: two Grants for the same " +
    "user and share (however each names them) fail the preview, naming both.",
  fields,
  naturalKey: [["user", "share"]],
  outputs: {
    acls: "The ACLs accsyn holds for this Grant, one per path: `{id, path, read, write}`, sorted by path.",
  },
  checkMore(i) {
    // Without the live workspace (no credentials yet, or accsyn:liveDiff=false) the same words
    // for the same user and share are still one claim.
    claim(i.user.trim().toLowerCase(), `${i.shareType}:${i.share.trim().toLowerCase()}`, i);
  },
  async preflight(api, i, ctx) {
    if (i.user === undefined) return;
    const user = await requireGrantee(api, i.user, i.invite ?? false);
    if (i.share === undefined || i.shareType === undefined) return;
    const shareId = await requireShareId(api, i.shareType, i.share, "Grant", "share");
    claim(user?.id ?? i.user.trim().toLowerCase(), shareId, i);
    if (ctx.isNew && user && !i.adopt) {
      const existing = await aclsOf(api, i.shareType, shareId, user.id);
      // ACLs that are each exactly a declared rule are what this Grant's own killed create made.
      if (existing.length > 0 && !onlyDeclaredAcls(existing, i.rules)) {
        throw new ConflictError({
          entity: { kind: "Grant" },
          field: "user",
          problem:
            `user '${i.user}' already has ${existing.length} ACL(s) on ${i.shareType} '${i.share}' ` +
            `(${existing.map((a) => `${a.path} ${a.id}`).join(", ")})`,
          fix: "set 'adopt: true' to manage them with this Grant (paths it does not declare are revoked)",
        });
      }
    }
  },
  async readLive(api, _id, inputs) {
    const ids = await resolveIfPresent(api, inputs);
    if (!ids) return undefined;
    const acls = await aclsOf(api, inputs.shareType, ids.shareId, ids.userId);
    if (acls.length === 0) return undefined;
    return {
      user: inputs.user,
      shareType: inputs.shareType,
      share: inputs.share,
      rules: rulesOf(acls),
      acls: recorded(acls),
    };
  },
  async create(api, inputs) {
    const shareId = await requireShareId(api, inputs.shareType, inputs.share, "Grant", "share");
    const user = await requireGrantee(api, inputs.user, inputs.invite);
    const have = user ? await aclsOf(api, inputs.shareType, shareId, user.id) : [];
    if (have.length > 0 && !inputs.adopt && !onlyDeclaredAcls(have, inputs.rules)) {
      throw new ConflictError({
        entity: { kind: "Grant" },
        problem: `user '${inputs.user}' already has ACLs on ${inputs.shareType} '${inputs.share}'`,
        fix: "set 'adopt: true' to manage them with Pulumi",
      });
    }
    const acls = await converge(api, inputs, user?.id ?? inputs.user.trim().toLowerCase(), shareId, have);
    const userId = acls[0]?.userId ?? user?.id ?? inputs.user;
    return { id: grantId(userId, shareId), outs: { rules: rulesOf(acls), acls: recorded(acls) } };
  },
  async update(api, _id, _olds, news) {
    const shareId = await requireShareId(api, news.shareType, news.share, "Grant", "share");
    const user = await requireGrantee(api, news.user, news.invite);
    const have = user ? await aclsOf(api, news.shareType, shareId, user.id) : [];
    const acls = await converge(api, news, user?.id ?? news.user.trim().toLowerCase(), shareId, have);
    return { rules: rulesOf(acls), acls: recorded(acls) };
  },
  async remove(api, _id, inputs) {
    if ((inputs.deletionPolicy ?? fields.deletionPolicy.default) === "retain") return;
    const ids = await resolveIfPresent(api, inputs);
    if (!ids) return; // the share or user is gone, and the ACLs with it
    for (const acl of await aclsOf(api, inputs.shareType, ids.shareId, ids.userId))
      await api.revokeAcl(acl.id);
  },
});

/**
 * The arguments of a {@link Grant} (docs/reference.md describes each field).
 * @interface
 */
export type GrantArgs = ArgsOf<typeof fields>;
/**
 * One access rule of a grant: a path relative to the share and its rights (at least one of read/write).
 * @interface
 */
export type GrantRule = z.input<typeof ruleSchema>;

/**
 * Access of one user to one share: the set of that user's ACLs on the share, one per rule path.
 * Two Grants for the same user and share fail the preview, naming both.
 */
export class Grant extends CustomResource {
  /** The resource's kind, so reference fields can tell a Volume from a Folder. */
  readonly accsynKind = "Grant";

  /** The rules as accsyn holds them (sorted by path). */
  declare readonly rules: pulumi.Output<Required<GrantRule>[]>;
  /** The ACLs accsyn holds for this Grant, one per path, with their ids. */
  declare readonly acls: pulumi.Output<GrantAcl[]>;

  constructor(name: string, args: GrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(...resourceArgs(grantKind, name, args, opts));
  }
}

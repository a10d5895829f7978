import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Acl, AclRule, WorkspaceApi } from "../runtime/api";
import { sameValue } from "../runtime/diff";
import { ConflictError, InputError, ReferenceNotFoundError } from "../runtime/errors";
import { requireShareId, requireUserId } from "../runtime/resolve";
import { SHARE_TYPES, type ShareType } from "../vocabulary";
import { type InputsOf, defineKind, field } from "./kind";
import { AccsynResource, type ArgsOf } from "./resource";
import { adoptField, deletionPolicyField, resourceNameField } from "./share";

const ruleSchema = z
  .object({
    path: z
      .string()
      .default("/")
      .refine((p) => !p.split("/").includes(".."), { message: "must not contain '..'" }),
    read: z.boolean().default(false),
    write: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.read || r.write, {
    message: "grants neither read nor write; accsyn needs at least one",
    params: { fix: "set read: true (download), write: true (upload), or both" },
  });

const fields = {
  user: field(z.string().min(1, "must name a user (id or e-mail)"), {
    change: "replace",
    ref: ["User"],
    access: "grantee",
    doc: "The user (id or e-mail). An e-mail no user has is invited as a standard user.",
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
      }),
    {
      change: "update",
      access: "rules",
      doc: "One or more path rules (at least one of read/write each). A change updates the ACL in place.",
      items: {
        path: { access: "path", doc: "Path relative to the share; default `/` (the whole share)." },
        read: { access: "read", doc: "Users may download from the path. Default false." },
        write: { access: "write", doc: "Users may upload to the path. Default false." },
      },
    },
  ),
  notify: field(z.boolean().default(true), {
    change: "write-only",
    default: "true",
    doc: "E-mail the user when access is granted.",
  }),
  message: field(z.string().optional(), { change: "write-only", doc: "Message sent with the notification." }),
  adopt: field(z.boolean().optional(), {
    ...adoptField,
    doc: "Take over an ACL the user already has on the share.",
  }),
  deletionPolicy: deletionPolicyField(["delete", "retain"], "`delete` (revoke the ACL) or `retain`."),
  resourceName: resourceNameField,
};

type GrantInputs = InputsOf<typeof fields>;

function sortRules(rules: AclRule[]): AclRule[] {
  return [...rules]
    .map((r) => ({ path: r.path, read: r.read, write: r.write }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * accsyn keeps one ACL per (user, share), so one Grant owns that pair. Two Grants in one program
 * claiming the same pair would fight over it; the provider process sees every check, so it catches
 * them at preview.
 */
const claims = new Map<string, string>();

/** The user id, or the e-mail itself when no user has it yet (granting invites it). */
async function resolve(api: WorkspaceApi, i: GrantInputs): Promise<{ userId: string; shareId: string }> {
  const shareId = await requireShareId(api, i.shareType, i.share, "Grant", "share");
  const user = await api.findUser(i.user);
  if (user) return { userId: user.id, shareId };
  if (i.user.includes("@")) return { userId: i.user, shareId };
  return { userId: await requireUserId(api, i.user, "Grant"), shareId };
}

/** Like resolve, but undefined when the share or user no longer exists; other failures propagate. */
async function resolveIfPresent(
  api: WorkspaceApi,
  i: GrantInputs,
): Promise<{ userId: string; shareId: string } | undefined> {
  try {
    return await resolve(api, i);
  } catch (e) {
    if (e instanceof ReferenceNotFoundError) return undefined;
    throw e;
  }
}

async function grantAll(
  api: WorkspaceApi,
  ids: { userId: string; shareId: string },
  i: GrantInputs,
  rules: AclRule[],
): Promise<Acl | undefined> {
  // Sequential on purpose: the first grant creates the ACL (inviting an unknown e-mail), the
  // following ones add path rules to it.
  let acl: Acl | undefined;
  let user = ids.userId;
  for (const rule of rules) {
    acl = await api.grant(user, i.shareType, ids.shareId, rule, {
      notify: i.notify,
      ...(i.message !== undefined ? { message: i.message } : {}),
    });
    user = acl.userId || user;
  }
  return acl;
}

async function findAcl(api: WorkspaceApi, type: ShareType, shareId: string, userId: string) {
  return (await api.access(type, shareId)).find((a) => a.userId === userId);
}

export const grantKind = defineKind({
  name: "Grant",
  doc:
    "Access of one user to one share. accsyn keeps one ACL per (user, share), so one Grant owns that " +
    "pair: two Grants for the same pair fail the preview, naming both.",
  fields,
  naturalKey: [["user", "share"]],
  checkMore(i) {
    const key = `${i.user.toLowerCase()}|${i.shareType}:${i.share.toLowerCase()}`;
    const name = i.resourceName ?? "(unnamed)";
    const other = claims.get(key);
    if (other !== undefined && other !== name) {
      throw new InputError(
        "Grant",
        "share",
        `Grants '${other}' and '${name}' both claim user '${i.user}' on ${i.shareType} '${i.share}'; accsyn keeps one ACL per user and share`,
        `merge their rules into one Grant`,
      );
    }
    claims.set(key, name);
  },
  async readLive(api, id, inputs) {
    const ids = await resolveIfPresent(api, inputs);
    if (!ids) return undefined;
    const acl = (await api.access(inputs.shareType, ids.shareId)).find(
      (a) => a.id === id || a.userId === ids.userId,
    );
    if (!acl) return undefined;
    return {
      user: inputs.user,
      shareType: inputs.shareType,
      share: inputs.share,
      rules: sortRules(acl.rules),
    };
  },
  async create(api, inputs) {
    const { userId, shareId } = await resolve(api, inputs);
    const type = inputs.shareType;
    const existing = await findAcl(api, type, shareId, userId);
    if (existing && !inputs.adopt) {
      throw new ConflictError({
        entity: { kind: "Grant" },
        problem: `user '${inputs.user}' already has an ACL on ${type} '${inputs.share}' (id ${existing.id})`,
        fix: "set 'adopt: true' to manage it with Pulumi",
      });
    }
    if (existing && sameValue(sortRules(existing.rules), sortRules(inputs.rules))) return { id: existing.id };
    if (existing) await api.revoke(userId, type, shareId);
    const granted = await grantAll(api, { userId, shareId }, inputs, inputs.rules);
    const acl = granted && (await findAcl(api, type, shareId, granted.userId));
    if (!acl) {
      throw new ConflictError({
        entity: { kind: "Grant" },
        problem: `the ACL of '${inputs.user}' on ${type} '${inputs.share}' did not appear after granting`,
        fix: "run `pulumi refresh`, check the user's access in accsyn, then run the command again",
      });
    }
    return { id: acl.id, outs: { rules: sortRules(inputs.rules) } };
  },
  async update(api, _id, _olds, news) {
    const { userId, shareId } = await resolve(api, news);
    const type = news.shareType;
    const acl = await findAcl(api, type, shareId, userId);
    const have = sortRules(acl?.rules ?? []);
    const want = sortRules(news.rules);
    const onlyAdditions = have.every((h) => want.some((w) => sameValue(w, h)));
    // There is no per-path revoke in accsyn: removing or changing a rule means revoking the ACL and
    // granting the declared rules again. Notifications are not re-sent for that re-grant.
    if (!onlyAdditions) await api.revoke(userId, type, shareId);
    const toGrant = onlyAdditions ? want.filter((w) => !have.some((h) => sameValue(w, h))) : want;
    await grantAll(
      api,
      { userId, shareId },
      { ...news, notify: onlyAdditions ? news.notify : false },
      toGrant,
    );
    const after = await findAcl(api, type, shareId, userId);
    return after ? { rules: sortRules(after.rules) } : undefined;
  },
  async remove(api, _id, inputs) {
    if ((inputs.deletionPolicy ?? fields.deletionPolicy.default) === "retain") return;
    const ids = await resolveIfPresent(api, inputs);
    if (!ids) return; // the share or user is gone, and the ACL with it
    if (await findAcl(api, inputs.shareType, ids.shareId, ids.userId)) {
      await api.revoke(ids.userId, inputs.shareType, ids.shareId);
    }
  },
});

export type GrantArgs = ArgsOf<typeof fields>;
/** One access rule of a grant: a path relative to the share and its rights (at least one of read/write). */
export type GrantRule = z.input<typeof ruleSchema>;

/**
 * Access of one user to one share. accsyn keeps one ACL per (user, share), so one Grant owns that
 * pair: two Grants for the same pair fail the preview, naming both.
 */
export class Grant extends AccsynResource<"Grant"> {
  /** The rules as accsyn holds them (sorted by path). */
  declare readonly rules: pulumi.Output<Required<GrantRule>[]>;

  constructor(name: string, args: GrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(grantKind, name, args, opts);
  }
}

import { z } from "zod";
import type { Acl, AclRule, ShareKind, WorkspaceApi } from "../api";
import { sameValue } from "../diff";
import { ResourceConflictError, ResourceInputError } from "../errors";
import { requireShareId, requireUserId } from "../resolve";
import type { ResourceSpec } from "../spec";

const ruleSchema = z
  .object({
    /** Path relative to the share; "/" (the default) is the whole share. */
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

export const grantSchema = z
  .object({
    /** User id or e-mail; an e-mail no user has is invited as a standard user. */
    user: z.string().min(1, "must name a user (id or e-mail)"),
    shareType: z.enum(["Volume", "Folder", "Home", "Collection"]),
    /** Share id or code. */
    share: z.string().min(1, "must name a share (its id or code)"),
    rules: z.array(ruleSchema).min(1, "needs at least one {path, read, write} rule"),
    notify: z.boolean().default(true),
    message: z.string().optional(),
    adopt: z.boolean().optional(),
    deletionPolicy: z
      .enum(["delete", "retain"], { message: "use 'delete' (revoke, the default) or 'retain'" })
      .optional(),
    resourceName: z.string().optional(),
  })
  .strict()
  .refine((g) => new Set(g.rules.map((r) => r.path)).size === g.rules.length, {
    message: "lists the same path twice",
    params: { fix: "merge the rules of that path into one {path, read, write}" },
    path: ["rules"],
  });

export type GrantInputs = z.infer<typeof grantSchema>;

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
  const shareId = await requireShareId(api, i.shareType as ShareKind, i.share, "share");
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
    if (e instanceof ResourceConflictError && e.operation === "lookup") return undefined;
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
    acl = await api.grant(user, i.shareType as ShareKind, ids.shareId, rule, {
      notify: i.notify,
      ...(i.message !== undefined ? { message: i.message } : {}),
    });
    user = acl.userId || user;
  }
  return acl;
}

async function findAcl(api: WorkspaceApi, kind: ShareKind, shareId: string, userId: string) {
  return (await api.access(kind, shareId)).find((a) => a.userId === userId);
}

export const grantSpec: ResourceSpec<GrantInputs> = {
  kind: "Grant",
  schema: grantSchema,
  replaceOn: ["user", "shareType", "share"],
  managed: ["user", "shareType", "share", "rules"],
  checkMore(i) {
    const key = `${i.user.toLowerCase()}|${i.shareType}:${i.share.toLowerCase()}`;
    const name = i.resourceName ?? "(unnamed)";
    const other = claims.get(key);
    if (other !== undefined && other !== name) {
      throw new ResourceInputError(
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
    const { userId, shareId } = ids;
    const acl = (await api.access(inputs.shareType as ShareKind, shareId)).find(
      (a) => a.id === id || a.userId === userId,
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
    const kind = inputs.shareType as ShareKind;
    const existing = await findAcl(api, kind, shareId, userId);
    if (existing && !inputs.adopt) {
      throw new ResourceConflictError(
        "Grant",
        "create",
        `user '${inputs.user}' already has an ACL on ${kind} '${inputs.share}' (id ${existing.id}). ` +
          `Set 'adopt: true' to manage it with Pulumi`,
      );
    }
    if (existing && sameValue(sortRules(existing.rules), sortRules(inputs.rules))) return { id: existing.id };
    if (existing) await api.revoke(userId, kind, shareId);
    const granted = await grantAll(api, { userId, shareId }, inputs, inputs.rules);
    const acl = granted && (await findAcl(api, kind, shareId, granted.userId));
    if (!acl)
      throw new ResourceConflictError(
        "Grant",
        "create",
        `the ACL of '${inputs.user}' did not appear after granting`,
      );
    return { id: acl.id, outs: { rules: sortRules(inputs.rules) } };
  },
  async update(api, _id, _olds, news) {
    const { userId, shareId } = await resolve(api, news);
    const kind = news.shareType as ShareKind;
    const acl = await findAcl(api, kind, shareId, userId);
    const have = sortRules(acl?.rules ?? []);
    const want = sortRules(news.rules);
    const onlyAdditions = have.every((h) => want.some((w) => sameValue(w, h)));
    // There is no per-path revoke in accsyn: removing or changing a rule means revoking the ACL and
    // granting the declared rules again. Notifications are not re-sent for that re-grant.
    if (!onlyAdditions) await api.revoke(userId, kind, shareId);
    const toGrant = onlyAdditions ? want.filter((w) => !have.some((h) => sameValue(w, h))) : want;
    await grantAll(
      api,
      { userId, shareId },
      { ...news, notify: onlyAdditions ? news.notify : false },
      toGrant,
    );
    const after = await findAcl(api, kind, shareId, userId);
    return after ? { rules: sortRules(after.rules) } : undefined;
  },
  async remove(api, _id, inputs) {
    if (inputs.deletionPolicy === "retain") return;
    const ids = await resolveIfPresent(api, inputs);
    if (!ids) return; // the share or user is gone, and the ACL with it
    if (await findAcl(api, inputs.shareType as ShareKind, ids.shareId, ids.userId)) {
      await api.revoke(ids.userId, inputs.shareType as ShareKind, ids.shareId);
    }
  },
};

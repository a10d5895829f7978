/**
 * Access: one ACL per user, share and path, each with its id (accsyn's model). Grant is an upsert of one path
 * (granting a path the user has updates that ACL; repeated like a read after a lost reply); revoke removes ACLs:
 * one by id, or a user's ACLs on a share. Users and shares named by code or e-mail are found through the same
 * entity reads as everything else.
 */
import { ShareType, isId } from "../vocabulary";
import { AccsynHttpError, AccsynUsageError, isAccsynNotFoundError } from "./errors";
import { Entities } from "./entities";
import { aclGranted, aclRevoked, grantedUser } from "./list-edits";
import { assertId, refId } from "./ids";
import { q } from "./query";
import { Acl, AclSchema, parseList, parseWith } from "./schemas";
import { Session } from "./session";

/** A grant of one path. Omitted entirely = read and write on the whole share. */
export interface GrantRule {
  read?: boolean;
  write?: boolean;
  /** Path relative to the share; default "/". One ACL per path: granting a path again updates its ACL. */
  path?: string;
  /** Default false. */
  notify?: boolean;
  message?: string;
  /** Invite an e-mail that matches no user (default true, as in accsyn's own client). */
  invite?: boolean;
}

/** accsyn's spelling of a path within a share: `/` for the whole share, else relative, no trailing slash. */
export function normalizeAclPath(path: string | undefined): string {
  const parts = (path ?? "/")
    .replace(/\\/g, "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  return parts.length === 0 ? "/" : parts.join("/");
}

/** The user a grant names, as far as this client can tell (see `resolveGrantee`). */
interface Grantee {
  ref: string;
  knownActive: boolean;
  knownAbsent: boolean;
}

export class Acls {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /**
   * Grants a user (id or e-mail; an unknown e-mail is invited unless `invite: false`) access to one path of a share
   * (id or code). Returns that path's ACL: created, or updated in place when the user had one for the path.
   */
  async grant(user: string, shareType: ShareType, share: string, rule?: GrantRule): Promise<Acl> {
    const invite = rule?.invite ?? true;
    const grantee = await this.resolveGrantee(user, invite);
    const userRef = grantee.ref;
    const shareId = await this.resolveShare(shareType, share);
    const r = rule ?? { read: true, write: true };
    const path = normalizeAclPath(r.path);
    const result = await this.s.call({
      method: "POST",
      uri: "acl/create",
      data: {
        entity: `user:${userRef}`,
        target: `share:${shareId}`,
        invite,
        read: r.read ?? false,
        write: r.write ?? false,
        notify: r.notify ?? false,
        message: r.message ?? "",
        path,
      },
      entityType: shareType,
      entityId: shareId,
      idempotent: true,
      // An invitation (or a deactivated user brought back) also changes that user, and on a revival their homes;
      // a grant to a user known to be active changes neither.
      cacheUpdate: aclGranted(
        invite && !grantee.knownActive
          ? { ...(isId(userRef) ? {} : { email: userRef }), revives: !grantee.knownAbsent }
          : undefined,
      ),
    });
    const first = Array.isArray(result) ? (result[0] as unknown) : result;
    if (typeof first === "object" && first !== null) {
      return parseWith(AclSchema, first, { entityType: "Acl", operation: "acl/create", entityId: shareId });
    }
    // an older service answered `true`: read that path's ACL back
    const uid = isId(userRef) ? userRef : await this.resolveUser(userRef, false);
    const acl = (await this.access(shareType, shareId, { user: uid })).find(
      (a) => normalizeAclPath(a.path) === path,
    );
    if (acl === undefined) {
      throw new AccsynHttpError(
        `accsyn acl/create succeeded but no ACL of user ${uid} on ${shareType} ${shareId} path ${path}`,
        {
          operation: "acl/create",
          method: "POST",
          entityType: shareType,
          entityId: shareId,
          status: 200,
          retryable: false,
        },
      );
    }
    return acl;
  }

  /** ACLs of a share (`recursive`: of everything beneath a volume too), optionally of one user (id). */
  async access(
    shareType: ShareType,
    shareId: string,
    opts: { recursive?: boolean; user?: string } = {},
  ): Promise<Acl[]> {
    assertId(shareId, "acl/find");
    let query = `acl WHERE target=share:${shareId}`;
    if (opts.user !== undefined) {
      assertId(opts.user, "acl/find");
      query += ` AND entity=user:${opts.user}`;
    }
    const r = await this.s.call({
      method: "GET",
      uri: "acl/find",
      data: opts.recursive ? { recursive: true } : {},
      query,
      entityType: shareType,
      entityId: shareId,
    });
    return parseList(AclSchema, r ?? [], { entityType: "Acl", operation: "acl/find", entityId: shareId });
  }

  /**
   * Every ACL of the workspace the caller may see, from one coalesced list (`acl/find` without a target), kept
   * current by the grants and revocations made through this client. accsyn-local answers it; the service
   * documents only per-share queries, so callers fall back to {@link access} if it refuses.
   */
  listAll(): Promise<Acl[]> {
    return this.entities.list("Acl", {});
  }

  /**
   * {@link listAll} by share id (the `target` each ACL names), indexed once per version of the list: the
   * provider asks for one share's ACLs per Grant, and filtering the whole list each time grew as N².
   */
  async byShare(): Promise<ReadonlyMap<string, readonly Acl[]>> {
    const all = await this.entities.shared("Acl", {});
    let index = this.indexes.get(all);
    if (index === undefined) {
      index = new Map<string, Acl[]>();
      for (const a of all) {
        const share = refId(a.target);
        const acls = index.get(share);
        if (acls === undefined) index.set(share, [a]);
        else acls.push(a);
      }
      this.indexes.set(all, index);
    }
    return index;
  }
  private readonly indexes = new WeakMap<readonly Acl[], Map<string, Acl[]>>();

  /**
   * Removes a user's ACLs on a share: the one of `path` when given, else every one (accsyn's own client removes
   * only the first it finds). False when there was none.
   */
  async revoke(user: string, shareType: ShareType, share: string, path?: string): Promise<boolean> {
    const uid = await this.resolveUser(user, false);
    const shareId = await this.resolveShare(shareType, share);
    const want = path === undefined ? undefined : normalizeAclPath(path);
    const acls = (await this.access(shareType, shareId, { user: uid })).filter(
      (a) => want === undefined || normalizeAclPath(a.path) === want,
    );
    let removed = false;
    for (const acl of acls) if (await this.revokeAcl(acl.id)) removed = true;
    return removed;
  }

  /** Removes one ACL (one user, share and path) by id. False when it did not exist. */
  async revokeAcl(aclId: string): Promise<boolean> {
    assertId(aclId, "acl/delete");
    try {
      const r = await this.s.call({
        method: "DELETE",
        uri: "acl/delete",
        data: {},
        id: aclId,
        entityType: "Acl",
        entityId: aclId,
        cacheUpdate: aclRevoked(aclId),
      });
      return r !== false;
    } catch (e) {
      // gone after a repeat that followed a lost reply: our first attempt removed it
      if (isAccsynNotFoundError(e)) return e.afterAmbiguousAttempt === true;
      throw e;
    }
  }

  /**
   * The user a grant names: their id, or (when `allowUnknown`) the e-mail of someone who is not a user yet;
   * whether they are known to be an active user, so that the grant can neither invite nor bring them back; and
   * whether they are known not to be a user at all, so that it cannot bring anyone back. The user list this
   * client holds answers first; an e-mail it does not hold is looked up unless it may be invited.
   */
  private async resolveGrantee(user: string, allowUnknown: boolean): Promise<Grantee> {
    const u = user.trim().toLowerCase();
    // a grant of this client just invited or brought back this user: active, though their entry is not held
    const granted = grantedUser(this.s.suspected("User").get(u));
    if (granted !== undefined) return { ref: granted.id, knownActive: true, knownAbsent: false };
    const known = await this.entities.known("User", u, (x) => x.id === u || x.code.toLowerCase() === u);
    if (known.held && known.found !== undefined)
      return { ref: known.found.id, knownActive: known.found.inactive !== true, knownAbsent: false };
    // an e-mail that may be invited is sent as it is: the service resolves it to the user if there is one
    if (isId(u) || allowUnknown) return { ref: u, knownActive: false, knownAbsent: known.held };
    const found = await this.entities.findOne("User", q.eq("code", u));
    if (found) return { ref: found.id, knownActive: found.inactive !== true, knownAbsent: false };
    return this.unknownUser(user);
  }

  /** A user id or e-mail of an existing user (the held user list answers first). */
  private async resolveUser(user: string, allowUnknown: boolean): Promise<string> {
    return (await this.resolveGrantee(user, allowUnknown)).ref;
  }

  private unknownUser(user: string): never {
    throw new AccsynUsageError(`no user with e-mail ${JSON.stringify(user)} in the workspace`, {
      operation: "user/find",
      entityType: "User",
      entityCode: user,
      retryable: false,
    });
  }

  private async resolveShare(shareType: ShareType, share: string): Promise<string> {
    const s = share.trim().toLowerCase();
    if (isId(s)) return s;
    const found = await this.entities.findOne(shareType, q.eq("code", s));
    if (found) return found.id;
    throw new AccsynUsageError(`no ${shareType} with code ${JSON.stringify(share)} in the workspace`, {
      operation: `${shareType.toLowerCase()}/find`,
      entityType: shareType,
      entityCode: share,
      retryable: false,
    });
  }
}

/**
 * Access: one ACL per user and share, holding path rules. Grant is an upsert (repeated like a read after a lost
 * reply), revoke removes the user's whole ACL on the share. Users and shares named by code or e-mail are found
 * through the same entity reads as everything else.
 */
import { ShareType, isId } from "../vocabulary";
import { AccsynHttpError, AccsynUsageError, isAccsynNotFoundError } from "./errors";
import { Entities } from "./entities";
import { assertId } from "./ids";
import { q } from "./query";
import { Acl, AclSchema, parseList, parseWith } from "./schemas";
import { Session } from "./session";

/** A grant's rule. Omitted entirely = read and write on the whole share. */
export interface GrantRule {
  read?: boolean;
  write?: boolean;
  /** Path relative to the share; default "/". */
  path?: string;
  /** Default false. */
  notify?: boolean;
  message?: string;
  /** Invite an e-mail that matches no user (default true). */
  invite?: boolean;
}

export class Acls {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /**
   * Grants a user (id or e-mail; an unknown e-mail is invited unless `invite: false`) access to a share (id or
   * code). Returns the user's ACL on the share.
   */
  async grant(user: string, shareType: ShareType, share: string, rule?: GrantRule): Promise<Acl> {
    const userRef = await this.resolveUser(user, rule?.invite ?? true);
    const shareId = await this.resolveShare(shareType, share);
    const r = rule ?? { read: true, write: true };
    const result = await this.s.call({
      method: "POST",
      uri: "acl/create",
      data: {
        entity: `user:${userRef}`,
        target: `share:${shareId}`,
        invite: r.invite ?? true,
        read: r.read ?? false,
        write: r.write ?? false,
        notify: r.notify ?? false,
        message: r.message ?? "",
        path: r.path ?? "/",
      },
      entityType: shareType,
      entityId: shareId,
      idempotent: true,
    });
    const first = Array.isArray(result) ? (result[0] as unknown) : result;
    if (typeof first === "object" && first !== null) {
      return parseWith(AclSchema, first, { entityType: "Acl", operation: "acl/create", entityId: shareId });
    }
    // the server answered `true`: read the ACL back
    const uid = isId(userRef) ? userRef : await this.resolveUser(userRef, false);
    const acls = await this.access(shareType, shareId, { user: uid });
    if (acls[0] === undefined) {
      throw new AccsynHttpError(
        `accsyn acl/create succeeded but no ACL of user ${uid} on ${shareType} ${shareId}`,
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
    return acls[0];
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

  /** Removes a user's whole ACL on a share. False when there was none. */
  async revoke(user: string, shareType: ShareType, share: string): Promise<boolean> {
    const uid = await this.resolveUser(user, false);
    const shareId = await this.resolveShare(shareType, share);
    const acl = (await this.access(shareType, shareId, { user: uid }))[0];
    if (acl === undefined) return false;
    try {
      const r = await this.s.call({
        method: "DELETE",
        uri: "acl/delete",
        data: {},
        id: acl.id,
        entityType: "Acl",
        entityId: acl.id,
      });
      return r !== false;
    } catch (e) {
      // gone after a repeat that followed a lost reply: our first attempt removed it
      if (isAccsynNotFoundError(e)) return e.afterAmbiguousAttempt === true;
      throw e;
    }
  }

  /** A user id, or (when `allowUnknown`) the e-mail of someone who is not a user yet. */
  private async resolveUser(user: string, allowUnknown: boolean): Promise<string> {
    const u = user.trim().toLowerCase();
    if (isId(u)) return u;
    const found = await this.entities.findOne("User", q.eq("code", u));
    if (found) return found.id;
    if (allowUnknown) return u;
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

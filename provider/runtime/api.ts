/**
 * What the resources need from an accsyn workspace, phrased in their terms. The runtime talks to the
 * service only through this interface; `workspace-api.ts` implements it on the accsyn client, and
 * keeping it narrow is what lets every lookup be served from the client's coalesced list reads.
 */
import type { CreatableType, UserRef } from "../client";
import type { ShareType } from "../vocabulary";

export type { UserRef };

/** The accsyn entity types a kind can create and manage (shares, users, sites, servers...). */
export type EntityType = CreatableType;

/** An accsyn entity as the service returns it: an id plus whatever fields its type has. */
export interface Entity {
  id: string;
  [field: string]: unknown;
}

export interface AclRule {
  path: string;
  read: boolean;
  write: boolean;
}

/** One ACL: accsyn keeps one per user, share and path, each with its id. */
export interface Acl extends AclRule {
  id: string;
  userId: string;
  shareId: string;
}

export interface Assignment {
  serverId: string;
  serverCode?: string;
  siteServer: boolean;
}

export interface CollectionFile {
  id: string;
  path: string;
}

export interface WorkspaceApi {
  /** Every entity of one type, inactive ones included (served from a coalesced list read). */
  list(type: EntityType): Promise<Entity[]>;
  create(type: EntityType, data: Record<string, unknown>): Promise<Entity>;
  update(type: EntityType, id: string, data: Record<string, unknown>): Promise<Entity>;
  deactivate(type: EntityType, id: string): Promise<void>;
  activate(type: EntityType, id: string): Promise<void>;
  /** Deletes for good; an entity already gone counts as deleted. */
  delete(type: EntityType, id: string): Promise<void>;

  listFiles(collectionId: string): Promise<CollectionFile[]>;
  addFiles(collectionId: string, paths: string[]): Promise<void>;
  removeFiles(collectionId: string, fileIds: string[]): Promise<void>;

  assignments(volumeId: string): Promise<Assignment[]>;
  assignServer(volumeId: string, serverId: string): Promise<void>;
  deassignServer(volumeId: string, serverId: string): Promise<void>;

  /**
   * A user by id or e-mail (case-insensitive): id, e-mail and whether deactivated, which is all a reference
   * to a user needs; undefined when there is none.
   */
  findUser(idOrEmail: string): Promise<UserRef | undefined>;
  /** A server by id or code; undefined when there is none. */
  findServer(idOrCode: string): Promise<Entity | undefined>;

  /** The ACLs of one share, one per user and path. */
  access(kind: ShareType, shareId: string): Promise<Acl[]>;
  /**
   * Grants one path: creates its ACL, or updates the user's ACL of that path in place. `user` is an
   * id, or (with `invite`) an e-mail that no user has yet, which accsyn invites as a standard user.
   */
  grant(
    user: string,
    kind: ShareType,
    shareId: string,
    rule: AclRule,
    opts: { notify: boolean; message?: string; invite: boolean },
  ): Promise<Acl>;
  /** Removes one ACL by id; one already gone counts as removed. */
  revokeAcl(aclId: string): Promise<void>;
}

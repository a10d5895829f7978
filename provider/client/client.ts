/**
 * AccsynClient: the façade the provider uses. It composes one session (login, retries, cache) with the modules
 * that know the operations, and forwards to them; it holds no logic of its own.
 */
import * as util from "node:util";

import { ShareType } from "../vocabulary";
import { Acls, GrantRule } from "./acls";
import { Collections } from "./collections";
import { CreatableType, CreateDataMap, Creates } from "./creates";
import { Entities, FindOptions } from "./entities";
import { Query } from "./query";
import { Acl, Assignment, CollectionFile, EntityOf, EntityType, LoginInfo, Task } from "./schemas";
import { Servers } from "./servers";
import { AccsynClientOptions, Session, SessionStats, resolveIdentity } from "./session";
import { TaskSpec, TaskUpdate, Tasks } from "./tasks";
import { UserRef, Users } from "./users";

/**
 * The accsyn v3 client. One per process and identity is enough (see {@link getSharedClient}): it holds one
 * connection pool and one cache of list reads, which every write through it keeps current.
 *
 * @example
 *   const c = new AccsynClient({ endpoint: server.url, workspace: "demo", user, apiKey });
 *   const vols = await c.find("Volume", q.eq("code", "projects"));
 *   const folder = await c.create("Folder", { parent: vols[0].id, path: "projects/x", name: "X" });
 */
export class AccsynClient {
  readonly #session: Session;
  readonly #entities: Entities;
  readonly #creates: Creates;
  readonly #acls: Acls;
  readonly #collections: Collections;
  readonly #tasks: Tasks;
  readonly #servers: Servers;
  readonly #users: Users;

  constructor(opts: AccsynClientOptions = {}) {
    const s = new Session(resolveIdentity(opts), opts);
    const entities = new Entities(s);
    this.#session = s;
    this.#entities = entities;
    this.#creates = new Creates(s, entities);
    this.#acls = new Acls(s, entities);
    this.#collections = new Collections(s, entities);
    this.#tasks = new Tasks(s, entities);
    this.#servers = new Servers(s, entities);
    this.#users = new Users(s, entities);
  }

  // ---------------------------------------------------------------- session

  /** Workspace code in use. */
  get workspace(): string {
    return this.#session.workspace;
  }
  /** API user in use. */
  get user(): string {
    return this.#session.user;
  }
  /** The resolved origin, once known. */
  get endpoint(): string | undefined {
    return this.#session.endpoint;
  }

  /**
   * Request totals since construction: logical `requests` and HTTP `attempts` (login included), `failures`
   * (requests that ended in a network error), create `reconciles` (natural-key lookups after an ambiguous
   * attempt) and coalesced `listLoads`.
   */
  stats(): SessionStats {
    return this.#session.stats();
  }

  [util.inspect.custom](): string {
    const s = this.#session;
    return `AccsynClient { workspace: ${JSON.stringify(s.workspace)}, user: ${JSON.stringify(
      s.user,
    )}, endpoint: ${JSON.stringify(s.endpoint ?? null)}, apiKey: [redacted] }`;
  }

  toJSON(): Record<string, unknown> {
    return this.#session.toJSON();
  }

  /** Resolves the endpoint and logs in (done lazily by every call; safe to call concurrently). */
  login(): Promise<LoginInfo> {
    return this.#session.login();
  }

  /** Closes the connection pool. */
  close(): Promise<void> {
    return this.#session.close();
  }

  // ---------------------------------------------------------------- entities

  find<T extends EntityType>(et: T, where?: Query, opts?: FindOptions): Promise<EntityOf<T>[]> {
    return this.#entities.find(et, where, opts);
  }
  findOne<T extends EntityType>(et: T, where: Query, opts?: FindOptions): Promise<EntityOf<T> | undefined> {
    return this.#entities.findOne(et, where, opts);
  }
  getEntity<T extends EntityType>(et: T, id: string): Promise<EntityOf<T> | undefined> {
    return this.#entities.getEntity(et, id);
  }
  findAll<T extends EntityType>(
    et: T,
    where?: Query,
    opts?: FindOptions,
    pageSize?: number,
  ): Promise<EntityOf<T>[]> {
    return this.#entities.findAll(et, where, opts, pageSize);
  }
  list<T extends EntityType>(et: T, opts?: FindOptions): Promise<EntityOf<T>[]> {
    return this.#entities.list(et, opts);
  }
  lookupByCode<T extends EntityType>(
    et: T,
    code: string,
    opts?: FindOptions,
  ): Promise<EntityOf<T> | undefined> {
    return this.#entities.lookupByCode(et, code, opts);
  }
  lookupById<T extends EntityType>(et: T, id: string, opts?: FindOptions): Promise<EntityOf<T> | undefined> {
    return this.#entities.lookupById(et, id, opts);
  }
  /** A user by id or e-mail as a reference needs them (see `Users.findRef`); undefined when there is none. */
  findUserRef(idOrEmail: string): Promise<UserRef | undefined> {
    return this.#users.findRef(idOrEmail);
  }
  entityTypes(): Promise<string[]> {
    return this.#entities.entityTypes();
  }
  attributes(et: string, opts?: { create?: boolean; update?: boolean }): Promise<unknown[]> {
    return this.#entities.attributes(et, opts);
  }
  create<T extends CreatableType>(
    et: T,
    data: CreateDataMap[T],
    opts?: { parent?: string },
  ): Promise<EntityOf<T>> {
    return this.#creates.create(et, data, opts);
  }
  update<T extends EntityType>(et: T, id: string, data: Record<string, unknown>): Promise<EntityOf<T>> {
    return this.#entities.update(et, id, data);
  }
  delete(et: EntityType, id: string, opts?: { force?: boolean; missingOk?: boolean }): Promise<boolean> {
    return this.#entities.delete(et, id, opts);
  }
  deactivate(et: EntityType, id: string): Promise<boolean> {
    return this.#entities.deactivate(et, id);
  }
  activate(et: EntityType, idOrCode: string): Promise<boolean> {
    return this.#entities.activate(et, idOrCode);
  }

  // ---------------------------------------------------------------- servers

  assignments(volumeId: string): Promise<Assignment[]> {
    return this.#servers.assignments(volumeId);
  }
  assignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.#servers.assignServer(volumeId, serverId);
  }
  deassignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.#servers.deassignServer(volumeId, serverId);
  }

  // ---------------------------------------------------------------- ACLs

  grant(user: string, shareType: ShareType, share: string, rule?: GrantRule): Promise<Acl> {
    return this.#acls.grant(user, shareType, share, rule);
  }
  access(
    shareType: ShareType,
    shareId: string,
    opts?: { recursive?: boolean; user?: string },
  ): Promise<Acl[]> {
    return this.#acls.access(shareType, shareId, opts);
  }
  /** Every ACL the caller may see, from one coalesced list kept current by this client's grants. */
  listAcls(): Promise<Acl[]> {
    return this.#acls.listAll();
  }
  /** {@link listAcls} by share id, indexed once per version of the list (see `Acls.byShare`). */
  aclsByShare(): Promise<ReadonlyMap<string, readonly Acl[]>> {
    return this.#acls.byShare();
  }
  revoke(user: string, shareType: ShareType, share: string, path?: string): Promise<boolean> {
    return this.#acls.revoke(user, shareType, share, path);
  }
  revokeAcl(aclId: string): Promise<boolean> {
    return this.#acls.revokeAcl(aclId);
  }

  // ---------------------------------------------------------------- collections

  listFiles(collectionId: string, opts?: Omit<FindOptions, "parent">): Promise<CollectionFile[]> {
    return this.#collections.listFiles(collectionId, opts);
  }
  /** A collection's files, from a list kept until a write through this client changes them. */
  listFilesCached(collectionId: string): Promise<CollectionFile[]> {
    return this.#collections.listFilesCached(collectionId);
  }
  addFiles(collectionId: string, files: string[]): Promise<CollectionFile[]> {
    return this.#collections.addFiles(collectionId, files);
  }
  removeFiles(collectionId: string, fileIds: string[]): Promise<boolean> {
    return this.#collections.removeFiles(collectionId, fileIds);
  }

  // ---------------------------------------------------------------- tasks

  findTasks(jobId: string, where?: Query, opts?: Omit<FindOptions, "parent">): Promise<Task[]> {
    return this.#tasks.findTasks(jobId, where, opts);
  }
  createTasks(jobId: string, tasks: TaskSpec[], opts?: { allowDuplicates?: boolean }): Promise<Task[]> {
    return this.#tasks.createTasks(jobId, tasks, opts);
  }
  updateTasks(jobId: string, updates: TaskUpdate[]): Promise<Task[]> {
    return this.#tasks.updateTasks(jobId, updates);
  }
}

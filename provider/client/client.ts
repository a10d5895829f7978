/**
 * AccsynClient: the façade the resources use. Typed methods for every accsyn v3 operation, lazy login,
 * coalesced list reads, and safe creates (never blindly retried; reconciled by natural key).
 */
import * as util from "node:util";

import { ReadCoalescer } from "./coalesce";
import { ApiKey, CredentialOptions, redact, resolveCredentials } from "./credentials";
import { EndpointOptions, resolveEndpoint } from "./endpoint";
import {
  AccsynError,
  AccsynHttpError,
  AccsynUsageError,
  httpErrorFor,
  isAccsynConflictError,
  isAccsynError,
  isAccsynHttpError,
  isAccsynNetworkError,
  isAccsynNotFoundError,
  isAccsynTimeoutError,
} from "./errors";
import { Query, q } from "./query";
import {
  Acl,
  AclSchema,
  Assignment,
  AssignmentSchema,
  CollectionFile,
  EntityOf,
  EntityType,
  FileSchema,
  LoginInfo,
  LoginSchema,
  SCHEMAS,
  Task,
  TaskSchema,
  parseList,
  parseWith,
} from "./schemas";
import {
  AccsynLogger,
  BudgetOptions,
  NOT_SENT_CODES,
  RetryPolicy,
  TlsOptions,
  Transport,
  backoffMs,
  resolveRetryPolicy,
  retryAfterMs,
  safeLogger,
} from "./transport";
import { deviceHeader } from "./version";
import {
  EventSpec,
  LOGIN_PATH,
  LOGIN_URI,
  Reply,
  buildEnvelope,
  decodeReply,
  encodeEvent,
  requestHeaders,
} from "./wire";

/** Options of {@link AccsynClient}. Credentials and endpoint fall back to the environment. */
export interface AccsynClientOptions extends CredentialOptions, EndpointOptions {
  /** Connect timeout in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Headers/body timeout in ms. Default 120000. */
  requestTimeoutMs?: number;
  /** Max sockets. Default 16. */
  connections?: number;
  /** TLS options for https endpoints (extra CA; verification is on by default). */
  tls?: TlsOptions;
  /** Retry policy for reads and idempotent writes (see {@link RetryPolicy}). */
  retry?: RetryPolicy;
  /** Client-side request budget. Default 25 req/s, burst 50. `false` disables it. */
  budget?: BudgetOptions | false;
  /** Structured request events (uri, method, status, ms, attempt). Never headers or bodies. */
  logger?: AccsynLogger;
  /** TTL of coalesced list reads in ms. Default 2000; 0 disables. */
  cacheTtlMs?: number;
  /**
   * Page size of {@link AccsynClient.list} reads (limit/skip). Default: none (one request per list; accsyn has no
   * cursor, so paging under concurrent writes can skip or repeat entities, which are de-duplicated by id).
   */
  pageSize?: number;
  /** Attempts of a create after unprocessed/ambiguous failures. Default 6. */
  createAttempts?: number;
  /** The `hostname` field of envelopes. Default `os.hostname()`. */
  hostname?: string;
  /** `X-Accsyn-Device`. Default `pulumi-accsyn/<package version>`. */
  device?: string;
}

/** Flags of a find (never part of the query). */
export interface FindOptions {
  /** Restrict to a parent: the job of tasks, the collection of files. */
  parent?: string;
  /** Include deactivated users and shares. */
  inactive?: boolean;
  /** (jobs) Include finished or aborted jobs. */
  finished?: boolean;
  /** (jobs) Search the archive of purged jobs. */
  archived?: boolean;
  limit?: number;
  skip?: number;
  /** Return only these attributes (skips schema validation). */
  attributes?: string[];
}

export type ShareType = "Volume" | "Folder" | "Home" | "Collection";
export const SHARE_TYPES: readonly ShareType[] = ["Volume", "Folder", "Home", "Collection"];

type Open = Record<string, unknown>;
export interface VolumeCreate extends Open {
  name: string;
  code?: string;
  paths: Record<string, string>;
  server?: string;
  siteservers?: string[];
}
export interface FolderCreate extends Open {
  parent: string;
  path: string;
  name: string;
  code?: string;
}
export interface HomeCreate extends Open {
  user: string;
  code?: string;
  parent?: string;
  path?: string;
}
export interface CollectionCreate extends Open {
  name: string;
  code?: string;
  files?: string[];
}
export interface TransferCreate extends Open {
  source: string;
  destination: string;
}
/** What `create` accepts per entity type. */
export interface CreateDataMap {
  Volume: VolumeCreate;
  Folder: FolderCreate;
  Home: HomeCreate;
  Collection: CollectionCreate;
  Transfer: TransferCreate;
  User: Open & { code: string; role?: string };
  Server: Open;
  Client: Open;
  Site: Open & { code: string };
  Acl: never;
  File: never;
  Task: never;
}
export type CreatableType = Exclude<EntityType, "Acl" | "File" | "Task">;

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

export interface TaskUpdate {
  id?: string;
  uri?: string;
  status?: string;
  priority?: number;
  metadata?: Record<string, unknown>;
}

export type TaskSpec = string | { source: string; destination?: string };

interface CallSpec extends EventSpec {
  entityType?: string;
  entityId?: string;
  /** Retried by the transport (reads and idempotent writes). Default: method !== POST. */
  idempotent?: boolean;
}

interface State {
  workspace: string;
  user: string;
  apiKey: ApiKey;
  endpointOpts: EndpointOptions;
  opts: AccsynClientOptions;
  device: string;
  coalescer: ReadCoalescer;
  ready?: Promise<void>;
  transport?: Transport;
  origin?: string;
  login?: LoginInfo;
  closed: boolean;
  reconciles: number;
}

const HEX24 = /^[0-9a-f]{24}$/;

/** File ids per `collection/file/remove` request (~10 KiB of URL). */
export const REMOVE_BATCH = 200;

function lc(et: string): string {
  return et.toLowerCase();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Which entity types a write to `et` may change (for cache invalidation). */
function affected(et: string): string[] {
  if ((SHARE_TYPES as readonly string[]).includes(et)) return [...SHARE_TYPES, "Acl", "File"];
  if (et === "User") return ["User", "Home", "Acl"];
  if (et === "Transfer") return ["Transfer", "Task"];
  return [et];
}

/**
 * The accsyn v3 client.
 *
 * @example
 *   const c = new AccsynClient({ endpoint: server.url, workspace: "demo", user, apiKey });
 *   const vols = await c.find("Volume", q.eq("code", "projects"));
 *   const folder = await c.create("Folder", { parent: vols[0].id, path: "projects/x", name: "X" });
 */
export class AccsynClient {
  readonly #s: State;

  constructor(opts: AccsynClientOptions = {}) {
    const creds = resolveCredentials(opts);
    const endpointOpts: EndpointOptions = {};
    if (opts.endpoint !== undefined) endpointOpts.endpoint = opts.endpoint;
    if (creds.proxy !== undefined) endpointOpts.proxy = creds.proxy;
    if (opts.masterUrl !== undefined) endpointOpts.masterUrl = opts.masterUrl;
    const asDev = (opts.env ?? process.env).AS_DEV;
    if (opts.dev ?? (asDev === "true" || asDev === "1")) endpointOpts.dev = true;
    this.#s = {
      workspace: creds.workspace,
      user: creds.user,
      apiKey: creds.apiKey,
      endpointOpts,
      opts: {
        ...opts,
        apiKey: undefined,
        env: undefined,
        ...(opts.logger ? { logger: safeLogger(opts.logger) } : {}),
      },
      device: opts.device ?? deviceHeader(),
      coalescer: new ReadCoalescer({ ttlMs: opts.cacheTtlMs ?? 2000 }),
      closed: false,
      reconciles: 0,
    };
  }

  /** Workspace code in use. */
  get workspace(): string {
    return this.#s.workspace;
  }
  /** API user in use. */
  get user(): string {
    return this.#s.user;
  }
  /** The resolved origin, once known. */
  get endpoint(): string | undefined {
    return this.#s.origin;
  }
  /** Number of list loads the coalescer actually started. */
  get listLoads(): number {
    return this.#s.coalescer.loads;
  }

  /**
   * Request totals since construction: logical `requests` and HTTP `attempts` (login included), create
   * `reconciles` (natural-key lookups after an ambiguous failure) and coalesced `listLoads`.
   */
  stats(): { requests: number; attempts: number; failures: number; reconciles: number; listLoads: number } {
    const t = this.#s.transport?.stats ?? { requests: 0, attempts: 0, failures: 0 };
    return { ...t, reconciles: this.#s.reconciles, listLoads: this.#s.coalescer.loads };
  }

  [util.inspect.custom](): string {
    return `AccsynClient { workspace: ${JSON.stringify(this.#s.workspace)}, user: ${JSON.stringify(
      this.#s.user,
    )}, endpoint: ${JSON.stringify(this.#s.origin ?? null)}, apiKey: [redacted] }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      workspace: this.#s.workspace,
      user: this.#s.user,
      endpoint: this.#s.origin ?? null,
      apiKey: "[redacted]",
    };
  }

  // ---------------------------------------------------------------- session

  /** Resolves the endpoint and logs in (done lazily by every call; safe to call concurrently). */
  async login(): Promise<LoginInfo> {
    await this.ready();
    return this.#s.login as LoginInfo;
  }

  /** Closes the connection pool. */
  async close(): Promise<void> {
    this.#s.closed = true;
    await this.#s.transport?.close();
  }

  private ready(): Promise<void> {
    const s = this.#s;
    if (s.closed) {
      return Promise.reject(
        new AccsynUsageError("client is closed", { operation: "client", retryable: false }),
      );
    }
    if (!s.ready) {
      s.ready = this.connect().catch((e: unknown) => {
        s.ready = undefined;
        throw e;
      });
    }
    return s.ready;
  }

  private transportFor(origin: string): Transport {
    const o = this.#s.opts;
    return new Transport({
      origin,
      ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}),
      ...(o.requestTimeoutMs !== undefined ? { requestTimeoutMs: o.requestTimeoutMs } : {}),
      ...(o.connections !== undefined ? { connections: o.connections } : {}),
      ...(o.retry !== undefined ? { retry: o.retry } : {}),
      ...(o.budget !== undefined ? { budget: o.budget } : {}),
      ...(o.logger !== undefined ? { logger: o.logger } : {}),
      ...(o.tls !== undefined ? { tls: o.tls } : {}),
      apiKey: this.#s.apiKey,
    });
  }

  private async connect(): Promise<void> {
    const s = this.#s;
    const origin = await resolveEndpoint(s.endpointOpts, s.workspace, async (master, path) => {
      const t = this.transportFor(master);
      try {
        const res = await t.send({
          method: "GET",
          path,
          headers: requestHeaders("GET", undefined, s.device),
          uri: "workspace/lookup",
          idempotent: true,
        });
        return this.unwrap(
          res.status,
          res.headers,
          res.text,
          { method: "GET", uri: "workspace/lookup" },
          true,
        );
      } finally {
        await t.close();
      }
    });
    if (!s.transport || s.origin !== origin) {
      await s.transport?.close();
      s.transport = this.transportFor(origin);
      s.origin = origin;
    }
    const res = await s.transport.send({
      method: "PUT",
      path: LOGIN_PATH,
      headers: requestHeaders("PUT", s, s.device),
      body: "{}",
      uri: LOGIN_URI,
      idempotent: true,
    });
    const result = this.unwrap(res.status, res.headers, res.text, { method: "PUT", uri: LOGIN_URI });
    s.login = parseWith(LoginSchema, result, { entityType: "Login", operation: LOGIN_URI });
  }

  /** Decodes a reply; returns `result` or throws the classified error. `whole` returns the whole body. */
  private unwrap(
    status: number,
    headers: Record<string, string | string[] | undefined>,
    text: string,
    spec: {
      method: string;
      uri: string;
      entityType?: string;
      entityId?: string;
      afterAmbiguousAttempt?: boolean;
    },
    whole = false,
  ): unknown {
    const reply = decodeReply(status, text);
    if (reply.ok) return whole ? JSON.parse(text) : reply.result;
    const httpStatus = status >= 200 && status < 300 ? statusFor2xxFailure(reply) : status;
    const serverMessage = redact(reply.message, this.#s.apiKey);
    const ra = retryAfterMs(headers);
    throw httpErrorFor(`${spec.method} ${spec.uri} failed (HTTP ${status}): ${serverMessage}`, {
      operation: spec.uri,
      method: spec.method,
      ...(spec.entityType !== undefined ? { entityType: spec.entityType } : {}),
      ...(spec.entityId !== undefined ? { entityId: spec.entityId } : {}),
      status: httpStatus,
      serverMessage,
      retryable: httpStatus === 429 || httpStatus >= 502,
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
      ...(spec.afterAmbiguousAttempt ? { afterAmbiguousAttempt: true } : {}),
    });
  }

  /** Sends one event and returns its `result`. The only place events are sent. */
  private async call(spec: CallSpec): Promise<unknown> {
    await this.ready();
    const s = this.#s;
    const env = buildEnvelope(spec, {
      workspace: s.workspace,
      session: s.login?.session_id ?? "",
      user: s.user,
      ...(s.opts.hostname !== undefined ? { hostname: s.opts.hostname } : {}),
    });
    const enc = encodeEvent(spec.method, env);
    const transport = s.transport as Transport;
    const res = await transport.send({
      method: spec.method,
      path: enc.path,
      headers: requestHeaders(spec.method, s, s.device),
      ...(enc.body !== undefined ? { body: enc.body } : {}),
      uri: spec.uri,
      idempotent: spec.idempotent ?? spec.method !== "POST",
      ...(spec.entityType !== undefined ? { entityType: spec.entityType } : {}),
      ...(spec.entityId !== undefined ? { entityId: spec.entityId } : {}),
    });
    return this.unwrap(res.status, res.headers, res.text, {
      ...spec,
      afterAmbiguousAttempt: res.afterAmbiguousAttempt,
    });
  }

  private schemaCtx(
    et: string,
    uri: string,
    id?: string,
  ): { entityType: string; operation: string; entityId?: string } {
    return { entityType: et, operation: uri, ...(id !== undefined ? { entityId: id } : {}) };
  }

  private parseEntities<T extends EntityType>(
    et: T,
    value: unknown,
    uri: string,
    id?: string,
  ): EntityOf<T>[] {
    if (value === null || value === undefined) return [];
    return parseList(SCHEMAS[et], value, this.schemaCtx(et, uri, id)) as EntityOf<T>[];
  }

  private invalidate(et: string): void {
    this.#s.coalescer.invalidate(...affected(et));
  }

  // ---------------------------------------------------------------- queries

  /** `find("<et> WHERE <where>")`. Flags go in `opts`, never in the query. */
  async find<T extends EntityType>(et: T, where?: Query, opts: FindOptions = {}): Promise<EntityOf<T>[]> {
    const uri = `${lc(et)}/find`;
    const result = await this.call({
      method: "GET",
      uri,
      data: findData(opts),
      ...(where !== undefined ? { query: where.toString() } : {}),
      entityType: et,
    });
    if (opts.attributes !== undefined) return (result ?? []) as EntityOf<T>[];
    return this.parseEntities(et, result, uri);
  }

  /** Like {@link find} with `single_entity_query`; the first match or undefined. */
  async findOne<T extends EntityType>(
    et: T,
    where: Query,
    opts: FindOptions = {},
  ): Promise<EntityOf<T> | undefined> {
    const uri = `${lc(et)}/find`;
    const result = await this.call({
      method: "GET",
      uri,
      data: { ...findData(opts), single_entity_query: true },
      query: where.toString(),
      entityType: et,
    });
    return this.parseEntities(et, result, uri)[0];
  }

  /** One entity by id, whether inactive, finished or archived; undefined when absent. */
  async getEntity<T extends EntityType>(et: T, id: string): Promise<EntityOf<T> | undefined> {
    const uri = `${et}/find`;
    try {
      const result = await this.call({ method: "GET", uri, data: {}, id, entityType: et, entityId: id });
      return this.parseEntities(et, result, uri, id)[0];
    } catch (e) {
      if (isAccsynNotFoundError(e)) return undefined;
      throw e;
    }
  }

  /**
   * A coalesced list of every entity of a type (default `{inactive: true}`): concurrent and repeated calls
   * within the TTL share one request; writes through this client invalidate.
   */
  list<T extends EntityType>(et: T, opts: FindOptions = { inactive: true }): Promise<EntityOf<T>[]> {
    // a copy per caller, so that one caller sorting or filtering in place cannot change what others see
    return this.#s.coalescer
      .get(et, JSON.stringify(opts), () => this.findAll(et, undefined, opts))
      .then((all) => all.slice());
  }

  /** Every match, paged with limit/skip when `pageSize` (option or argument) is set. */
  async findAll<T extends EntityType>(
    et: T,
    where?: Query,
    opts: FindOptions = {},
    pageSize = this.#s.opts.pageSize ?? 0,
  ): Promise<EntityOf<T>[]> {
    if (!(pageSize > 0)) return this.find(et, where, opts);
    const seen = new Set<string>();
    const out: EntityOf<T>[] = [];
    for (let skip = opts.skip ?? 0; ; skip += pageSize) {
      const page = await this.find(et, where, { ...opts, limit: pageSize, skip });
      for (const e of page) {
        const id = String((e as { id?: unknown }).id);
        if (!seen.has(id)) {
          seen.add(id);
          out.push(e);
        }
      }
      if (page.length < pageSize) return out;
    }
  }

  /** The entity with this code (case-insensitive), from the coalesced list; undefined when absent. */
  async lookupByCode<T extends EntityType>(
    et: T,
    code: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    const want = code.toLowerCase();
    const all = await this.list(et, opts);
    return all.find((e) => typeof e.code === "string" && e.code.toLowerCase() === want);
  }

  /** The entity with this id, from the coalesced list; undefined when absent. */
  async lookupById<T extends EntityType>(
    et: T,
    id: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    const all = await this.list(et, opts);
    return all.find((e) => e.id === id);
  }

  /** Drops cached lists (all, or of the given types). */
  invalidateCache(...types: EntityType[]): void {
    if (types.length === 0) this.#s.coalescer.clear();
    else this.#s.coalescer.invalidate(...types);
  }

  /** The entity types the server knows. */
  async entityTypes(): Promise<string[]> {
    const r = await this.call({ method: "GET", uri: "entitytypes", data: {} });
    return Array.isArray(r) ? r.map(String) : [];
  }

  /** Attribute descriptions of an entity type (`create`/`update`: writable ones). */
  async attributes(et: string, opts: { create?: boolean; update?: boolean } = {}): Promise<unknown[]> {
    const r = await this.call({
      method: "GET",
      uri: "attributes",
      data: { entitytype: lc(et), create: opts.create ?? false, update: opts.update ?? false },
    });
    return Array.isArray(r) ? r : [];
  }

  // ---------------------------------------------------------------- writes

  /**
   * Creates an entity. Never blindly retried: after an ambiguous failure (timeout, reset, lost reply, 5xx) the
   * entity is looked up by its natural key (shares: code; folder without code: parent+path; home: user;
   * collection: name) and returned if it exists, the create being repeated only when nothing exists. A 429/503
   * (answered before the event ran) is retried after the server's delay. Types without a natural key
   * (Transfer, ...) are not repeated after an ambiguous failure: the error is thrown.
   */
  async create<T extends CreatableType>(
    et: T,
    data: CreateDataMap[T],
    opts: { parent?: string } = {},
  ): Promise<EntityOf<T>> {
    const uri = `${lc(et)}/create`;
    const lookup = naturalKeyLookup(et, data as Open);
    const result = await this.safeCreate(
      {
        method: "POST",
        uri,
        data,
        ...(opts.parent !== undefined ? { id: opts.parent } : {}),
        entityType: et,
      },
      lookup ? () => lookup(this) : undefined,
    );
    const list = Array.isArray(result) ? result : [result];
    const parsed = this.parseEntities(et, list, uri);
    if (parsed.length === 0) {
      throw new AccsynHttpError(`${uri} returned no entity`, {
        operation: uri,
        method: "POST",
        entityType: et,
        status: 200,
        retryable: false,
      });
    }
    return parsed[0] as EntityOf<T>;
  }

  private async safeCreate(spec: CallSpec, lookup?: () => Promise<unknown | undefined>): Promise<unknown> {
    const max = Math.max(1, this.#s.opts.createAttempts ?? 6);
    let ambiguous = false;
    let last: unknown;
    for (let attempt = 1; attempt <= max; attempt++) {
      try {
        const r = await this.call({ ...spec, idempotent: false });
        this.invalidate(spec.entityType ?? "");
        return r;
      } catch (e) {
        last = e;
        if (!isAccsynError(e)) throw e;
        // a conflict after an ambiguous attempt may be our own earlier create
        const reconcile = isAccsynConflictError(e) ? ambiguous : isAmbiguous(e);
        if (reconcile && lookup) {
          ambiguous = true;
          this.invalidate(spec.entityType ?? "");
          const existing = await lookup();
          this.logReconcile(spec, e, attempt, existing !== undefined);
          if (existing !== undefined) return existing;
          if (isAccsynConflictError(e)) throw e;
          await sleep(backoffMs(attempt, this.policy()));
          continue;
        }
        if (notProcessed(e)) {
          const ra = isAccsynHttpError(e) ? e.retryAfterMs : undefined;
          await sleep(
            ra !== undefined
              ? Math.min(ra, this.policy().maxRetryAfterMs)
              : backoffMs(attempt, this.policy()),
          );
          continue;
        }
        throw e;
      }
    }
    throw last;
  }

  private logReconcile(spec: CallSpec, e: AccsynError, attempt: number, found: boolean): void {
    this.#s.reconciles += 1;
    this.#s.opts.logger?.({
      type: "reconcile",
      method: spec.method,
      uri: spec.uri,
      ...(e.status !== undefined ? { status: e.status } : {}),
      ...(e.causeCode !== undefined ? { code: e.causeCode } : {}),
      ms: 0,
      attempt,
      outcome: found ? "found" : "absent",
    });
  }

  private policy(): Required<RetryPolicy> {
    return this.#s.transport?.policy ?? resolveRetryPolicy(this.#s.opts.retry);
  }

  /** Edits an entity; returns it as the server now has it. */
  async update<T extends EntityType>(et: T, id: string, data: Open): Promise<EntityOf<T>> {
    const uri = `${lc(et)}/edit`;
    try {
      const r = await this.call({ method: "PUT", uri, data, id, entityType: et, entityId: id });
      const parsed = this.parseEntities(et, Array.isArray(r) ? r : [r], uri, id);
      return parsed[0] as EntityOf<T>;
    } finally {
      this.invalidate(et);
    }
  }

  /**
   * Deletes an entity. With `missingOk`, an unknown id (or one deleted by an earlier, unanswered attempt)
   * returns false instead of throwing {@link AccsynNotFoundError}.
   */
  async delete(
    et: EntityType,
    id: string,
    opts: { force?: boolean; missingOk?: boolean } = {},
  ): Promise<boolean> {
    try {
      const r = await this.call({
        method: "DELETE",
        uri: `${lc(et)}/delete`,
        data: opts.force ? { force: true } : null,
        id,
        entityType: et,
        entityId: id,
      });
      return r !== false;
    } catch (e) {
      // gone after a retry that followed a lost reply: our earlier attempt deleted it
      if (isAccsynNotFoundError(e) && e.afterAmbiguousAttempt) return true;
      if (opts.missingOk && isAccsynNotFoundError(e)) return false;
      throw e;
    } finally {
      this.invalidate(et);
    }
  }

  /** Deactivates a share or user (kept for audit; `inactive: true`). */
  async deactivate(et: EntityType, id: string): Promise<boolean> {
    try {
      const r = await this.call({
        method: "DELETE",
        uri: `${lc(et)}/deactivate`,
        data: {},
        id,
        entityType: et,
        entityId: id,
      });
      return r !== false;
    } finally {
      this.invalidate(et);
    }
  }

  /** Re-activates by id or code (a code is sent, lower-cased, as the bare query). Retried: idempotent. */
  async activate(et: EntityType, idOrCode: string): Promise<boolean> {
    const ident = idOrCode.trim().toLowerCase();
    const byId = HEX24.test(ident);
    try {
      const r = await this.call({
        method: "POST",
        uri: `${lc(et)}/activate`,
        data: {},
        ...(byId ? { id: ident } : { query: q.raw(bareCode(ident)).toString() }),
        entityType: et,
        entityId: ident,
        idempotent: true,
      });
      return r !== false;
    } finally {
      this.invalidate(et);
    }
  }

  // ---------------------------------------------------------------- servers

  /** Makes a server serve a volume. */
  assignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.serverAssignment("PUT", "share/server", volumeId, serverId, true);
  }

  /** Stops a server serving a volume. */
  deassignServer(volumeId: string, serverId: string): Promise<boolean> {
    return this.serverAssignment("DELETE", "volume/server", volumeId, serverId, false);
  }

  private async serverAssignment(
    method: "PUT" | "DELETE",
    uri: string,
    volumeId: string,
    serverId: string,
    serving: boolean,
  ): Promise<boolean> {
    assertId(volumeId, uri);
    assertId(serverId, uri);
    try {
      const r = await this.call({
        method,
        uri,
        data: { client: serverId },
        id: volumeId,
        entityType: "Volume",
        entityId: volumeId,
      });
      return r !== false;
    } catch (e) {
      // refused by a retry after a lost reply: done if the assignment is now as asked
      if (isAccsynHttpError(e) && e.afterAmbiguousAttempt) {
        if ((await this.assignments(volumeId)).some((a) => a.id === serverId) === serving) return true;
      }
      throw e;
    } finally {
      this.invalidate("Volume");
    }
  }

  /** Servers serving a volume. */
  async assignments(volumeId: string): Promise<Assignment[]> {
    const uri = "Volume/servers";
    const r = await this.call({
      method: "GET",
      uri,
      data: {},
      id: volumeId,
      entityType: "Volume",
      entityId: volumeId,
    });
    return parseList(AssignmentSchema, r ?? [], this.schemaCtx("Assignment", uri, volumeId));
  }

  // ---------------------------------------------------------------- ACLs

  /**
   * Grants a user (id or e-mail; an unknown e-mail is invited) access to a share (id or code). One ACL per
   * user and share holds path rules; a grant is an upsert, so it is repeated after an ambiguous failure.
   * Returns the ACL.
   */
  async grant(user: string, shareType: ShareType, share: string, rule?: GrantRule): Promise<Acl> {
    const userRef = await this.resolveUser(user, rule?.invite ?? true);
    const shareId = await this.resolveShare(shareType, share);
    const r = rule ?? { read: true, write: true };
    const data = {
      entity: `user:${userRef}`,
      target: `share:${shareId}`,
      invite: r.invite ?? true,
      read: r.read ?? false,
      write: r.write ?? false,
      notify: r.notify ?? false,
      message: r.message ?? "",
      path: r.path ?? "/",
    };
    let result: unknown;
    try {
      result = await this.call({
        method: "POST",
        uri: "acl/create",
        data,
        entityType: "Acl",
        entityId: shareId,
        idempotent: true,
      });
    } finally {
      this.invalidate("Acl");
      this.invalidate("User");
    }
    const first = Array.isArray(result) ? result[0] : result;
    if (typeof first === "object" && first !== null) {
      return parseWith(AclSchema, first, this.schemaCtx("Acl", "acl/create", shareId));
    }
    const uid = HEX24.test(userRef) ? userRef : await this.resolveUser(userRef, false);
    const acls = await this.access(shareType, shareId, { user: uid });
    if (acls[0] === undefined) {
      throw new AccsynHttpError(`acl/create succeeded but no ACL for user ${uid} on share ${shareId}`, {
        operation: "acl/create",
        method: "POST",
        entityType: "Acl",
        entityId: shareId,
        status: 200,
        retryable: false,
      });
    }
    return acls[0];
  }

  /** ACLs of a share (`recursive`: of everything beneath a volume too), optionally of one user (id). */
  async access(
    shareType: ShareType,
    shareId: string,
    opts: { recursive?: boolean; user?: string } = {},
  ): Promise<Acl[]> {
    void shareType;
    assertId(shareId, "acl/find");
    let query = `acl WHERE target=share:${shareId}`;
    if (opts.user !== undefined) {
      assertId(opts.user, "acl/find");
      query += ` AND entity=user:${opts.user}`;
    }
    const r = await this.call({
      method: "GET",
      uri: "acl/find",
      data: opts.recursive ? { recursive: true } : {},
      query,
      entityType: "Acl",
      entityId: shareId,
    });
    return parseList(AclSchema, r ?? [], this.schemaCtx("Acl", "acl/find", shareId));
  }

  /**
   * ACLs of a share from one coalesced list of every ACL (`acl/find` without a target), so that diffing many
   * grants costs one request. accsyn-local answers it; the real service documents only per-target queries,
   * so fall back to {@link access} if it refuses.
   */
  async accessCached(shareId: string, opts: { user?: string } = {}): Promise<Acl[]> {
    assertId(shareId, "acl/find");
    const all = (await this.list("Acl", {})) as Acl[];
    return all.filter(
      (a) => a.target === `share:${shareId}` && (opts.user === undefined || a.entity === `user:${opts.user}`),
    );
  }

  /** Removes a user's whole ACL on a share. False when there was none. */
  async revoke(user: string, shareType: ShareType, share: string): Promise<boolean> {
    const uid = await this.resolveUser(user, false);
    const shareId = await this.resolveShare(shareType, share);
    const acls = await this.access(shareType, shareId, { user: uid });
    if (acls.length === 0) return false;
    try {
      const r = await this.call({
        method: "DELETE",
        uri: "acl/delete",
        data: {},
        id: acls[0]!.id,
        entityType: "Acl",
        entityId: acls[0]!.id,
      });
      return r !== false;
    } catch (e) {
      if (isAccsynNotFoundError(e)) return e.afterAmbiguousAttempt === true;
      throw e;
    } finally {
      this.invalidate("Acl");
    }
  }

  private async resolveUser(user: string, allowUnknown: boolean): Promise<string> {
    const u = user.trim().toLowerCase();
    if (HEX24.test(u)) return u;
    const found = await this.call({
      method: "GET",
      uri: "user/find",
      data: null,
      query: q.eq("code", u).toString(),
      entityType: "User",
    });
    const first = Array.isArray(found) ? (found[0] as { id?: unknown } | undefined) : undefined;
    if (first && typeof first.id === "string") return first.id;
    if (allowUnknown) return u;
    throw new AccsynUsageError(`no user found with code ${JSON.stringify(user)}`, {
      operation: "user/find",
      entityType: "User",
      entityId: user,
      retryable: false,
    });
  }

  private async resolveShare(shareType: ShareType, share: string): Promise<string> {
    const s = share.trim().toLowerCase();
    if (HEX24.test(s)) return s;
    const found = await this.call({
      method: "GET",
      uri: `${lc(shareType)}/find`,
      data: null,
      query: q.eq("code", s).toString(),
      entityType: shareType,
    });
    const first = Array.isArray(found) ? (found[0] as { id?: unknown } | undefined) : undefined;
    if (first && typeof first.id === "string") return first.id;
    throw new AccsynUsageError(`no ${shareType} found with code ${JSON.stringify(share)}`, {
      operation: `${lc(shareType)}/find`,
      entityType: shareType,
      entityId: share,
      retryable: false,
    });
  }

  // ---------------------------------------------------------------- collections

  /** Adds files (accsyn paths such as `share=theproject/ref/x.tif`) to a collection. Not repeated after an ambiguous failure. */
  async addFiles(collectionId: string, files: string[]): Promise<CollectionFile[]> {
    assertId(collectionId, "file/add");
    const r = await this.safeCreate({
      method: "POST",
      uri: "file/add",
      data: { files },
      id: collectionId,
      entityType: "File",
      entityId: collectionId,
    });
    const list = Array.isArray(r) ? r : r === null || r === undefined || typeof r !== "object" ? [] : [r];
    return parseList(FileSchema, list, this.schemaCtx("File", "file/add", collectionId));
  }

  /**
   * Removes files (by file id) from a collection. False when none of them was there. Sent in batches of
   * {@link REMOVE_BATCH} ids: a DELETE carries the whole event in its URL, and servers limit URL length
   * (Node's default is 16 KiB of headers).
   */
  async removeFiles(collectionId: string, fileIds: string[]): Promise<boolean> {
    assertId(collectionId, "collection/file/remove");
    let any = false;
    try {
      for (let i = 0; i < fileIds.length; i += REMOVE_BATCH) {
        const r = await this.call({
          method: "DELETE",
          uri: "collection/file/remove",
          data: { files: fileIds.slice(i, i + REMOVE_BATCH) },
          id: collectionId,
          entityType: "Collection",
          entityId: collectionId,
        });
        any = any || r !== false;
      }
      return any;
    } finally {
      this.invalidate("File");
    }
  }

  /** Files of a collection. */
  listFiles(collectionId: string, opts: Omit<FindOptions, "parent"> = {}): Promise<CollectionFile[]> {
    assertId(collectionId, "file/find");
    return this.find("File", undefined, { ...opts, parent: collectionId });
  }

  // ---------------------------------------------------------------- tasks

  /** Tasks of a job. */
  findTasks(jobId: string, where?: Query, opts: Omit<FindOptions, "parent"> = {}): Promise<Task[]> {
    assertId(jobId, "task/find");
    return this.find("Task", where, { ...opts, parent: jobId });
  }

  /**
   * Adds tasks to a job. `allowDuplicates: false` rejects a task whose source and destination already exist.
   * Returns the created tasks when the server lists them (it may answer just `{"success": true}`).
   */
  async createTasks(
    jobId: string,
    tasks: TaskSpec[],
    opts: { allowDuplicates?: boolean } = {},
  ): Promise<Task[]> {
    assertId(jobId, "task/create");
    const data: Open = { tasks };
    if (opts.allowDuplicates !== undefined) data.allow_duplicates = opts.allowDuplicates;
    const r = await this.safeCreate({
      method: "POST",
      uri: "task/create",
      data,
      id: jobId,
      entityType: "Task",
      entityId: jobId,
    });
    this.invalidate("Task");
    const list = Array.isArray(r) ? r : typeof r === "object" && r !== null && "id" in r ? [r] : [];
    return parseList(TaskSchema, list, this.schemaCtx("Task", "task/create", jobId));
  }

  /** Updates status/priority/metadata of tasks of a job (by task `id` or `uri`). */
  async updateTasks(jobId: string, updates: TaskUpdate[]): Promise<Task[]> {
    assertId(jobId, "task/edit");
    try {
      const r = await this.call({
        method: "PUT",
        uri: "task/edit",
        data: updates,
        id: jobId,
        entityType: "Task",
        entityId: jobId,
      });
      return parseList(TaskSchema, Array.isArray(r) ? r : [], this.schemaCtx("Task", "task/edit", jobId));
    } finally {
      this.invalidate("Task");
    }
  }
}

/**
 * The status to classify a failure that arrived with a 2xx status (the real service may answer errors with
 * 200: the official client never looks at the status). A `message` means the server ran the event and refused
 * it, so it is never ambiguous: 404/409 when the text says so, else 400. An `exception` means it crashed while
 * running it (500); a body without result or not JSON is treated as a bad gateway (502).
 */
export function statusFor2xxFailure(reply: Exclude<Reply, { ok: true }>): number {
  if (reply.kind === "exception") return 500;
  if (reply.kind !== "message") return 502;
  const m = reply.message;
  if (/\bnot found\b|does not exist|doesn't exist|no such|unknown (entity|id)/i.test(m)) return 404;
  if (/already (exists|taken|in use)|\bduplicate\b|\bconflict|\bin use\b|\btaken\b/i.test(m)) return 409;
  return 400;
}

function findData(opts: FindOptions): Open {
  const d: Open = {};
  if (opts.parent !== undefined) d.parent = opts.parent;
  if (opts.finished !== undefined) d.finished = opts.finished;
  if (opts.inactive !== undefined) d.inactive = opts.inactive;
  if (opts.archived !== undefined) d.archived = opts.archived;
  if (opts.limit) d.limit = opts.limit;
  if (opts.skip) d.skip = opts.skip;
  if (opts.attributes && opts.attributes.length > 0) d.attributes = opts.attributes;
  return d;
}

function assertId(id: string, operation: string): void {
  if (!HEX24.test(id)) {
    throw new AccsynUsageError(`expected a 24-hex entity id, got ${JSON.stringify(id)}`, {
      operation,
      retryable: false,
    });
  }
}

function bareCode(code: string): string {
  if (!/^[a-z0-9_.@+-]+$/.test(code)) {
    throw new AccsynUsageError(`invalid code ${JSON.stringify(code)}`, {
      operation: "activate",
      retryable: false,
    });
  }
  return code;
}

/** True when the server certainly did not run the event (throttled, unavailable, never connected). */
function notProcessed(e: AccsynError): boolean {
  if (isAccsynHttpError(e)) return e.status === 429 || e.status === 503;
  return e.causeCode !== undefined && NOT_SENT_CODES.has(e.causeCode);
}

/** True when the event may or may not have run. */
function isAmbiguous(e: AccsynError): boolean {
  const status = e.status;
  if (notProcessed(e)) return false;
  if (isAccsynTimeoutError(e) || isAccsynNetworkError(e)) return true;
  return isAccsynHttpError(e) && status !== undefined && status >= 500;
}

/** The natural-key lookup used to reconcile an ambiguous create, when the type has one. */
function naturalKeyLookup(
  et: EntityType,
  data: Open,
): ((c: AccsynClient) => Promise<unknown | undefined>) | undefined {
  const str = (k: string): string | undefined =>
    typeof data[k] === "string" && data[k] !== "" ? (data[k] as string) : undefined;
  const code = str("code");
  const isShare = (SHARE_TYPES as readonly string[]).includes(et);
  if (isShare && code !== undefined) return (c) => c.findOne(et, q.eq("code", code));
  if (et === "Folder" && str("parent") !== undefined && str("path") !== undefined) {
    return (c) =>
      c.findOne(et, q.and(q.eq("parent", str("parent") as string), q.eq("path", str("path") as string)));
  }
  if (et === "Home" && str("user") !== undefined)
    return (c) => c.findOne(et, q.eq("user", str("user") as string));
  if (et === "Collection" && str("name") !== undefined)
    return (c) => c.findOne(et, q.eq("name", str("name") as string));
  if ((et === "User" || et === "Site") && code !== undefined) return (c) => c.findOne(et, q.eq("code", code));
  return undefined;
}

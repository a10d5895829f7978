/**
 * The session: credentials and endpoint resolved once, a lazy login, and `call()`, the only place events are
 * sent. Each call goes through the retry engine, its reply is decoded into a result or a typed error, and a
 * write invalidates the cached lists it may change (invalidation.ts).
 */
import * as util from "node:util";

import { ReadCoalescer } from "./coalesce";
import { ApiKey, CredentialOptions, redact, resolveCredentials } from "./credentials";
import { EndpointOptions, resolveEndpoint } from "./endpoint";
import { AccsynUsageError, httpErrorFor, wireFailureMessage } from "./errors";
import { invalidatedBy } from "./invalidation";
import { AccsynLogger, safeLogger } from "./log";
import { statusFor2xxFailure } from "./outcome";
import { EngineStats, RetryEngine, RetryPolicy, resolveRetryPolicy, retryAfterMs } from "./retry";
import { EntityType, LoginInfo, LoginSchema, parseWith } from "./schemas";
import { BudgetOptions, RawResponse, TlsOptions, Transport } from "./transport";
import { deviceHeader } from "./version";
import {
  EventSpec,
  HttpMethod,
  LOGIN_PATH,
  LOGIN_URI,
  buildEnvelope,
  decodeReply,
  encodeEvent,
  requestHeaders,
} from "./wire";

/** Options of the client. Credentials and endpoint fall back to the environment. */
export interface AccsynClientOptions extends CredentialOptions, EndpointOptions {
  /** Connect timeout in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Headers/body timeout in ms. Default 120000. */
  requestTimeoutMs?: number;
  /** Max sockets. Default 16. */
  connections?: number;
  /** TLS options for https endpoints (extra CA; verification is on by default). */
  tls?: TlsOptions;
  /** Retry policy of every request (see {@link RetryPolicy}); creates are looked up before being repeated. */
  retry?: RetryPolicy;
  /**
   * Client-side request budget. Default 30 req/s, burst 50 (the service's published 30/s, burst 60, less a margin
   * for requests bunched in transit), shared by every client of the process that talks to the same origin.
   * `false` disables it.
   */
  budget?: BudgetOptions | false;
  /** Structured request events (uri, method, status, ms, attempt). Never headers or bodies. */
  logger?: AccsynLogger;
  /** TTL of coalesced list reads in ms. Default 2000; 0 disables. */
  cacheTtlMs?: number;
  /**
   * Page size of list reads (limit/skip). Default: none (one request per list; accsyn has no cursor, so paging
   * under concurrent writes can skip or repeat entities, which are de-duplicated by id).
   */
  pageSize?: number;
  /** The `hostname` field of envelopes. Default `os.hostname()`. */
  hostname?: string;
  /** `X-Accsyn-Device`. Default `pulumi-accsyn/<package version>`. */
  device?: string;
}

/** Who and where, resolved from options and environment (the key stays opaque). */
export interface SessionIdentity {
  workspace: string;
  user: string;
  apiKey: ApiKey;
  endpoint: EndpointOptions;
}

export function resolveIdentity(opts: AccsynClientOptions): SessionIdentity {
  const creds = resolveCredentials(opts);
  const endpoint: EndpointOptions = {};
  if (opts.endpoint !== undefined) endpoint.endpoint = opts.endpoint;
  if (creds.proxy !== undefined) endpoint.proxy = creds.proxy;
  if (opts.masterUrl !== undefined) endpoint.masterUrl = opts.masterUrl;
  const asDev = (opts.env ?? process.env).AS_DEV;
  if (opts.dev ?? (asDev === "true" || asDev === "1")) endpoint.dev = true;
  return { workspace: creds.workspace, user: creds.user, apiKey: creds.apiKey, endpoint };
}

/** One event as the modules send it. */
export interface CallSpec extends EventSpec {
  /** What the event is about, for errors. */
  entityType?: EntityType;
  entityId?: string;
  entityCode?: string;
  /** Repeated after any listed failure (reads and idempotent writes). Default: method !== POST. */
  idempotent?: boolean;
  /** For creates: looks the entity up by natural key after an ambiguous attempt. */
  reconcile?: () => Promise<unknown>;
  /**
   * For writes whose effect on the cached lists is known exactly from the reply (a created share, a granted
   * ACL): applied to the lists instead of dropping those that `INVALIDATES` names. A failed or ambiguous
   * write still drops them, so the next reader reads what the service really has.
   */
  cacheUpdate?: (result: unknown, lists: CachedLists) => void;
}

/** What a {@link CallSpec.cacheUpdate} may do to the cached lists. */
export type CachedLists = Pick<ReadCoalescer, "edit" | "forget" | "invalidate" | "suspect">;

/** Request totals since construction. */
export interface SessionStats extends EngineStats {
  /** Coalesced list loads actually started. */
  listLoads: number;
}

type TransportSettings = Omit<ConstructorParameters<typeof Transport>[0], "origin">;

export class Session {
  readonly workspace: string;
  readonly user: string;
  readonly pageSize: number;
  readonly #apiKey: ApiKey;
  readonly #endpoint: EndpointOptions;
  readonly #transportSettings: TransportSettings;
  readonly #engine: RetryEngine;
  readonly #coalescer: ReadCoalescer;
  readonly #device: string;
  readonly #hostname?: string;
  #ready?: Promise<void>;
  #transport?: Transport;
  #origin?: string;
  #login?: LoginInfo;
  #closed = false;

  constructor(id: SessionIdentity, opts: AccsynClientOptions) {
    this.workspace = id.workspace;
    this.user = id.user;
    this.#apiKey = id.apiKey;
    this.#endpoint = id.endpoint;
    this.#coalescer = new ReadCoalescer({ ttlMs: opts.cacheTtlMs ?? 2000 });
    this.pageSize = opts.pageSize ?? 0;
    this.#device = opts.device ?? deviceHeader();
    if (opts.hostname !== undefined) this.#hostname = opts.hostname;
    const logger = opts.logger ? safeLogger(opts.logger) : undefined;
    this.#engine = new RetryEngine(resolveRetryPolicy(opts.retry), logger);
    this.#transportSettings = {
      apiKey: id.apiKey,
      ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
      ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
      ...(opts.connections !== undefined ? { connections: opts.connections } : {}),
      ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
      ...(opts.tls !== undefined ? { tls: opts.tls } : {}),
    };
  }

  /** The resolved origin, once known. */
  get endpoint(): string | undefined {
    return this.#origin;
  }

  stats(): SessionStats {
    return { ...this.#engine.stats, listLoads: this.#coalescer.loads };
  }

  [util.inspect.custom](): string {
    return `Session { workspace: ${JSON.stringify(this.workspace)}, user: ${JSON.stringify(this.user)} }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      workspace: this.workspace,
      user: this.user,
      endpoint: this.#origin ?? null,
      apiKey: "[redacted]",
    };
  }

  /** Resolves the endpoint and logs in, once (safe to call concurrently; a failed login is retried next call). */
  async login(): Promise<LoginInfo> {
    this.#assertOpen();
    this.#ready ??= this.connect().catch((e: unknown) => {
      this.#ready = undefined;
      throw e;
    });
    await this.#ready;
    return this.#login as LoginInfo;
  }

  /** Closes the connection pool; later calls fail with a usage error. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#transport?.close();
  }

  /**
   * A list read shared by concurrent and repeated callers within the TTL (see coalesce.ts); writes through this
   * session invalidate it. A closed session serves nothing, cached or not.
   */
  async cachedList<T>(et: EntityType, key: string, load: () => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.#coalescer.get(et, key, load);
  }

  /** A list this session holds (current, settled or in flight), or undefined: never a request. */
  heldList<T>(et: EntityType, key: string): Promise<T> | undefined {
    this.#assertOpen();
    return this.#coalescer.peek<T>(et, key);
  }

  /** The tokens of a type's entries that writes left in doubt since its lists were read (see `suspect`). */
  suspected(et: EntityType): ReadonlyMap<string, string> {
    return this.#coalescer.suspected(et);
  }

  /** Sends one event and returns its `result`. */
  async call(spec: CallSpec): Promise<unknown> {
    const login = await this.login();
    const transport = this.#transport as Transport;
    const env = buildEnvelope(spec, {
      workspace: this.workspace,
      session: login.session_id,
      user: this.user,
      ...(this.#hostname !== undefined ? { hostname: this.#hostname } : {}),
    });
    const enc = encodeEvent(spec.method, env);
    const entity = {
      ...(spec.entityType !== undefined ? { entityType: spec.entityType } : {}),
      ...(spec.entityId !== undefined ? { entityId: spec.entityId } : {}),
      ...(spec.entityCode !== undefined ? { entityCode: spec.entityCode } : {}),
    };
    let done: { result: unknown } | undefined;
    let ambiguous = false;
    const reconcile = spec.reconcile;
    try {
      const result = await this.#engine.run({
        method: spec.method,
        uri: spec.uri,
        idempotent: spec.idempotent ?? spec.method !== "POST",
        send: () =>
          transport.send({
            method: spec.method,
            path: enc.path,
            headers: requestHeaders(spec.method, this.#auth(), this.#device),
            ...(enc.body !== undefined ? { body: enc.body } : {}),
            uri: spec.uri,
            ...entity,
          }),
        interpret: (res, afterAmbiguous) => {
          if (afterAmbiguous) ambiguous = true;
          return this.unwrap(res, { method: spec.method, uri: spec.uri, ...entity }, afterAmbiguous);
        },
        ...(reconcile !== undefined
          ? {
              reconcile: () => {
                ambiguous = true;
                return reconcile();
              },
            }
          : {}),
      });
      // After an attempt of unknown outcome, the reply need not be the whole story: read the lists again.
      if (!ambiguous) done = { result };
      return result;
    } finally {
      if (spec.method !== "GET") {
        if (done !== undefined && spec.cacheUpdate !== undefined)
          spec.cacheUpdate(done.result, this.#coalescer);
        else this.#coalescer.invalidate(...invalidatedBy(spec.uri));
      }
    }
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new AccsynUsageError("client is closed", { operation: "client", retryable: false });
  }

  #auth(): { user: string; apiKey: ApiKey; workspace: string } {
    return { user: this.user, apiKey: this.#apiKey, workspace: this.workspace };
  }

  private async connect(): Promise<void> {
    const origin = await resolveEndpoint(this.#endpoint, this.workspace, (master, path) =>
      this.lookupWorkspace(master, path),
    );
    if (!this.#transport || this.#origin !== origin) {
      await this.#transport?.close();
      this.#transport = new Transport({ origin, ...this.#transportSettings });
      this.#origin = origin;
    }
    const transport = this.#transport;
    const spec = { method: "PUT" as const, uri: LOGIN_URI };
    const result = await this.#engine.run({
      ...spec,
      idempotent: true,
      send: () =>
        transport.send({
          ...spec,
          path: LOGIN_PATH,
          headers: requestHeaders("PUT", this.#auth(), this.#device),
          body: "{}",
        }),
      interpret: (res, afterAmbiguous) => this.unwrap(res, spec, afterAmbiguous),
    });
    this.#login = parseWith(LoginSchema, result, { entityType: "Login", operation: LOGIN_URI });
  }

  /** The master's workspace lookup, through a pool of its own that is closed right after. */
  private async lookupWorkspace(master: string, path: string): Promise<unknown> {
    const t = new Transport({ origin: master, ...this.#transportSettings });
    const spec = { method: "GET" as const, uri: "workspace/lookup" };
    try {
      return await this.#engine.run({
        ...spec,
        idempotent: true,
        send: () => t.send({ ...spec, path, headers: requestHeaders("GET", undefined, this.#device) }),
        interpret: (res, afterAmbiguous) => this.unwrap(res, spec, afterAmbiguous, true),
      });
    } finally {
      await t.close();
    }
  }

  /** Decodes a reply: its `result` (`whole`: the whole body), or the classified error. */
  private unwrap(
    res: RawResponse,
    spec: { method: HttpMethod; uri: string; entityType?: string; entityId?: string; entityCode?: string },
    afterAmbiguousAttempt: boolean,
    whole = false,
  ): unknown {
    const reply = decodeReply(res.status, res.text);
    if (reply.ok) return whole ? JSON.parse(res.text) : reply.result;
    const status = res.status >= 200 && res.status < 300 ? statusFor2xxFailure(reply) : res.status;
    const serverMessage = redact(reply.message, this.#apiKey);
    const ra = retryAfterMs(res.headers);
    const init = {
      operation: spec.uri,
      method: spec.method,
      ...(spec.entityType !== undefined ? { entityType: spec.entityType } : {}),
      ...(spec.entityId !== undefined ? { entityId: spec.entityId } : {}),
      ...(spec.entityCode !== undefined ? { entityCode: spec.entityCode } : {}),
      status,
      serverMessage,
      retryable: status === 429 || status >= 502,
      ...(ra !== undefined ? { retryAfterMs: ra } : {}),
      ...(afterAmbiguousAttempt ? { afterAmbiguousAttempt: true } : {}),
    };
    throw httpErrorFor(wireFailureMessage(init, `${serverMessage} (HTTP ${res.status})`), init);
  }
}

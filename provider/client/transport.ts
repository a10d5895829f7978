/**
 * HTTP transport: one undici Pool per client, a client-side request budget applied to every attempt, and a
 * declared retry policy executed by undici's RetryAgent for reads and idempotent writes. Non-idempotent
 * requests (POST) go straight to the pool; the client decides what to do after an ambiguous failure.
 */
import { Dispatcher, Pool, RetryAgent, RetryHandler } from "undici";

import { ApiKey, redact } from "./credentials";
import { AccsynError, AccsynNetworkError, AccsynTimeoutError } from "./errors";
import { HttpMethod } from "./wire";

/** One structured log event. Never contains headers, bodies or credentials. */
export interface AccsynLogEvent {
  /**
   * `attempt`: a failed attempt that will be retried; `request`: the outcome of a whole request; `reconcile`:
   * a create whose outcome was unknown was looked up by natural key (`outcome` says what was found).
   */
  type: "attempt" | "request" | "reconcile";
  /** For `reconcile`: `found` (the create had run; no second create) or `absent` (it will be repeated). */
  outcome?: "found" | "absent";
  method: string;
  /** Envelope uri (`folder/create`, `api/login`, `workspace/lookup`). */
  uri: string;
  status?: number;
  /** Error code of a network failure (`ECONNRESET`, `UND_ERR_SOCKET`, ...). */
  code?: string;
  /** Elapsed milliseconds since the request started. */
  ms: number;
  /** 1-based attempt number (for `request`: attempts used). */
  attempt: number;
  /** Delay before the next attempt (for `attempt` events). */
  retryInMs?: number;
}

export type AccsynLogger = (event: AccsynLogEvent) => void;

/**
 * Retry policy for GET and idempotent writes (PUT, DELETE). Capped exponential backoff with full jitter
 * between 50% and 100% of the step; `Retry-After` is honoured (capped by `maxRetryAfterMs`).
 */
export interface RetryPolicy {
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  /** First backoff step in ms. Default 200. */
  minDelayMs?: number;
  /** Backoff cap in ms. Default 8000. */
  maxDelayMs?: number;
  /** Growth factor. Default 2. */
  factor?: number;
  /** Longest `Retry-After` honoured, in ms. Default 30000. */
  maxRetryAfterMs?: number;
  /** Statuses retried. Default 429, 502, 503, 504. */
  statusCodes?: number[];
  /** Network error codes retried. */
  errorCodes?: string[];
  /** How many of the retries may follow a headers/body timeout (each costs a full `requestTimeoutMs`). Default 1. */
  timeoutRetries?: number;
}

/** Client-side token bucket applied to every HTTP attempt. Default 25 req/s, burst 50 (service: 30/s, 60). */
export interface BudgetOptions {
  perSecond: number;
  burst: number;
}

export interface TransportOptions {
  origin: string;
  /** Connect timeout, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Headers and body timeout, ms. Default 120000. */
  requestTimeoutMs?: number;
  /** Max sockets to the origin. Default 16 (the service allows 100 per IP). */
  connections?: number;
  retry?: RetryPolicy;
  budget?: BudgetOptions | false;
  logger?: AccsynLogger;
  /** Used only to scrub the key out of error text. */
  apiKey?: ApiKey;
  /** TLS options for https origins (certificates are verified by default). */
  tls?: TlsOptions;
}

/** TLS settings for https endpoints. */
export interface TlsOptions {
  /** Extra trusted CA certificate(s), PEM. */
  ca?: string | string[];
  /** Default true. `false` accepts any certificate (what the official Python client does); avoid. */
  rejectUnauthorized?: boolean;
}

export const DEFAULT_RETRY_ERROR_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
];

export interface RawRequest {
  method: HttpMethod;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Envelope uri, for logs and errors. */
  uri: string;
  /** True: retried by the RetryAgent. False (POST): one attempt only. */
  idempotent: boolean;
  entityType?: string;
  entityId?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  attempts: number;
  /** A retry followed an attempt whose outcome is unknown (see {@link isAmbiguousFailure}). */
  afterAmbiguousAttempt: boolean;
}

/** A token bucket: `reserve()` takes a token now or books one in the future and says how long to wait. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }
  reserve(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.perSecond);
  }
}

interface Trace {
  uri: string;
  start: number;
  attempts: number;
  timeouts: number;
  ambiguous: boolean;
}
type TracedOptions = Dispatcher.DispatchOptions & { accsynTrace?: Trace };

function failDispatch(handler: Dispatcher.DispatchHandler, e: Error): void {
  if (handler.onError) handler.onError(e);
  else
    handler.onResponseError?.(
      { aborted: true, paused: false, reason: e, abort: () => {}, pause: () => {}, resume: () => {} },
      e,
    );
}

function budgetInterceptor(bucket: TokenBucket | undefined): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts: TracedOptions, handler) => {
    if (opts.accsynTrace) opts.accsynTrace.attempts += 1;
    const wait = bucket ? bucket.reserve() : 0;
    if (wait <= 0) return dispatch(opts, handler);
    setTimeout(() => {
      try {
        dispatch(opts, handler);
      } catch (e) {
        failDispatch(handler, e instanceof Error ? e : new Error(String(e)));
      }
    }, wait);
    return true;
  };
}

function retryAfterMs(
  headers: Record<string, string | string[] | undefined> | undefined,
): number | undefined {
  const raw = headers?.["retry-after"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n * 1000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

/** Backoff for the given 1-based retry number, with jitter in [50%, 100%]. */
export function backoffMs(
  retry: number,
  p: Required<RetryPolicy>,
  random: () => number = Math.random,
): number {
  const step = Math.min(p.maxDelayMs, p.minDelayMs * p.factor ** Math.max(0, retry - 1));
  return Math.round(step * (0.5 + random() * 0.5));
}

/** The delay a retry should wait, honouring `Retry-After` when given. */
export function retryDelayMs(
  retry: number,
  headers: Record<string, string | string[] | undefined> | undefined,
  p: Required<RetryPolicy>,
): number {
  const ra = retryAfterMs(headers);
  if (ra !== undefined) return Math.min(ra, p.maxRetryAfterMs) + Math.round(Math.random() * 50);
  return backoffMs(retry, p);
}

export function resolveRetryPolicy(p: RetryPolicy = {}): Required<RetryPolicy> {
  return {
    maxRetries: p.maxRetries ?? 5,
    minDelayMs: p.minDelayMs ?? 200,
    maxDelayMs: p.maxDelayMs ?? 8000,
    factor: p.factor ?? 2,
    maxRetryAfterMs: p.maxRetryAfterMs ?? 30000,
    statusCodes: p.statusCodes ?? [429, 502, 503, 504],
    errorCodes: p.errorCodes ?? DEFAULT_RETRY_ERROR_CODES,
    timeoutRetries: p.timeoutRetries ?? 1,
  };
}

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Network/timeout codes after which the server certainly did not run the event. */
export const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

/** A failed attempt after which the event may or may not have run: lost connection, timeout, 5xx but 503. */
export function isAmbiguousFailure(status: number | undefined, code: string | undefined): boolean {
  if (status !== undefined) return status >= 500 && status !== 503;
  return code !== undefined && !NOT_SENT_CODES.has(code);
}

/** A logger that can never break a request: its exceptions are swallowed (and reported once on stderr). */
export function safeLogger(logger: AccsynLogger): AccsynLogger {
  let warned = false;
  return (event) => {
    try {
      logger(event);
    } catch (e) {
      if (!warned) {
        warned = true;
        process.emitWarning(`accsyn client logger threw: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
}

/** Running totals of one transport. */
export interface TransportStats {
  /** Logical requests sent. */
  requests: number;
  /** HTTP attempts made (requests plus retries). */
  attempts: number;
  /** Requests that ended in a network/timeout error. */
  failures: number;
}

export class Transport {
  readonly stats: TransportStats = { requests: 0, attempts: 0, failures: 0 };
  readonly origin: string;
  readonly policy: Required<RetryPolicy>;
  private readonly pool: Pool;
  private readonly direct: Dispatcher;
  private readonly retrying: Dispatcher;
  private readonly logger?: AccsynLogger;
  private readonly apiKey?: ApiKey;

  constructor(opts: TransportOptions) {
    this.origin = opts.origin;
    this.policy = resolveRetryPolicy(opts.retry);
    this.logger = opts.logger ? safeLogger(opts.logger) : undefined;
    this.apiKey = opts.apiKey;
    const requestTimeout = opts.requestTimeoutMs ?? 120_000;
    this.pool = new Pool(opts.origin, {
      connections: opts.connections ?? 16,
      connect: {
        timeout: opts.connectTimeoutMs ?? 10_000,
        ...(opts.tls?.ca !== undefined ? { ca: opts.tls.ca } : {}),
        ...(opts.tls?.rejectUnauthorized !== undefined
          ? { rejectUnauthorized: opts.tls.rejectUnauthorized }
          : {}),
      },
      headersTimeout: requestTimeout,
      bodyTimeout: requestTimeout,
    });
    const budget = opts.budget === false ? undefined : (opts.budget ?? { perSecond: 25, burst: 50 });
    const bucket = budget ? new TokenBucket(budget.perSecond, budget.burst) : undefined;
    this.direct = this.pool.compose(budgetInterceptor(bucket));
    const policy = this.policy;
    const logger = this.logger;
    this.retrying = new RetryAgent(this.direct, {
      maxRetries: policy.maxRetries,
      statusCodes: policy.statusCodes,
      errorCodes: policy.errorCodes,
      methods: ["GET", "PUT", "DELETE"],
      throwOnError: false,
      retry: (err, { state, opts: ropts }, cb) => {
        const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string> };
        const trace = (ropts as TracedOptions).accsynTrace;
        const timedOut = e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "UND_ERR_BODY_TIMEOUT";
        if (timedOut && trace) trace.timeouts += 1;
        const retriable =
          e.statusCode !== undefined
            ? policy.statusCodes.includes(e.statusCode)
            : timedOut
              ? (trace?.timeouts ?? 1) <= policy.timeoutRetries
              : e.code !== undefined && policy.errorCodes.includes(e.code);
        if (!retriable || state.counter > policy.maxRetries) {
          cb(err);
          return;
        }
        if (trace && isAmbiguousFailure(e.statusCode, e.code)) trace.ambiguous = true;
        const delay = retryDelayMs(state.counter, e.headers, policy);
        logger?.({
          type: "attempt",
          method: String(ropts.method),
          uri: trace?.uri ?? "",
          ...(e.statusCode !== undefined ? { status: e.statusCode } : {}),
          ...(e.code !== undefined && e.statusCode === undefined ? { code: e.code } : {}),
          ms: trace ? Date.now() - trace.start : 0,
          attempt: trace?.attempts ?? state.counter,
          retryInMs: delay,
        });
        setTimeout(() => cb(null), delay);
      },
    } as RetryHandler.RetryOptions);
  }

  /** Sends one request (retried per policy when idempotent). Throws timeout/network errors, never HTTP ones. */
  async send(req: RawRequest): Promise<RawResponse> {
    const trace: Trace = { uri: req.uri, start: Date.now(), attempts: 0, timeouts: 0, ambiguous: false };
    const dispatcher = req.idempotent ? this.retrying : this.direct;
    const options: TracedOptions = {
      path: req.path,
      method: req.method,
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      accsynTrace: trace,
    };
    this.stats.requests += 1;
    try {
      const res = await dispatcher.request(options as Dispatcher.RequestOptions);
      const text = await res.body.text();
      this.logger?.({
        type: "request",
        method: req.method,
        uri: req.uri,
        status: res.statusCode,
        ms: Date.now() - trace.start,
        attempt: Math.max(1, trace.attempts),
      });
      this.stats.attempts += Math.max(1, trace.attempts);
      return {
        status: res.statusCode,
        headers: res.headers,
        text,
        attempts: Math.max(1, trace.attempts),
        afterAmbiguousAttempt: trace.ambiguous,
      };
    } catch (e) {
      this.stats.attempts += Math.max(1, trace.attempts);
      this.stats.failures += 1;
      const err = this.mapError(e, req, trace);
      this.logger?.({
        type: "request",
        method: req.method,
        uri: req.uri,
        ...(err.causeCode !== undefined ? { code: err.causeCode } : {}),
        ms: Date.now() - trace.start,
        attempt: Math.max(1, trace.attempts),
      });
      throw err;
    }
  }

  private mapError(e: unknown, req: RawRequest, trace: Trace): AccsynError {
    const err = e as { code?: unknown; message?: unknown; name?: unknown };
    const code =
      typeof err.code === "string" ? err.code : typeof err.name === "string" ? err.name : "EUNKNOWN";
    const detail = redact(typeof err.message === "string" ? err.message : String(e), this.apiKey);
    const init = {
      operation: req.uri,
      method: req.method,
      ...(req.entityType !== undefined ? { entityType: req.entityType } : {}),
      ...(req.entityId !== undefined ? { entityId: req.entityId } : {}),
      retryable: true,
      causeCode: code,
      ...(trace.ambiguous ? { afterAmbiguousAttempt: true } : {}),
    };
    if (TIMEOUT_CODES.has(code)) {
      return new AccsynTimeoutError(`${req.method} ${req.uri} timed out (${code}): ${detail}`, init);
    }
    return new AccsynNetworkError(`${req.method} ${req.uri} failed (${code}): ${detail}`, init);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

export { retryAfterMs };

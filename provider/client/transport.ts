/**
 * HTTP transport: one undici Pool per origin and a client-side request budget. It makes exactly one attempt per
 * call and turns connection failures into typed errors; whether to repeat is decided by the retry engine
 * (retry.ts), which sees every attempt.
 */
import { Pool } from "undici";

import { ApiKey, redact } from "./credentials";
import { AccsynError, AccsynNetworkError, AccsynTimeoutError, wireFailureMessage } from "./errors";
import { TIMEOUT_CODES } from "./outcome";
import { HttpMethod } from "./wire";

/**
 * Client-side token bucket applied to every HTTP attempt. Default {@link SERVICE_BUDGET} (30 req/s, burst 50), one
 * bucket per origin and budget for the whole process (see {@link sharedBucket}).
 */
export interface BudgetOptions {
  perSecond: number;
  burst: number;
}

/** TLS settings for https endpoints. */
export interface TlsOptions {
  /** Extra trusted CA certificate(s), PEM. */
  ca?: string | string[];
  /** Default true. `false` accepts any certificate (what the official Python client does); avoid. */
  rejectUnauthorized?: boolean;
}

export interface TransportOptions {
  origin: string;
  /** Connect timeout, ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Headers and body timeout, ms. Default 120000. */
  requestTimeoutMs?: number;
  /** Max sockets to the origin. Default 16 (the service allows 100 per IP). */
  connections?: number;
  budget?: BudgetOptions | false;
  /** Used only to scrub the key out of error text. */
  apiKey?: ApiKey;
  /** TLS options for https origins (certificates are verified by default). */
  tls?: TlsOptions;
}

export interface RawRequest {
  method: HttpMethod;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Envelope uri, for errors. */
  uri: string;
  entityType?: string;
  entityId?: string;
  entityCode?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
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

/**
 * The service's published limit is 30 requests/s sustained, burst 60, per client IP. The client paces at the same
 * 30/s but keeps 10 of the burst in reserve: its clock runs when a request leaves the budget, the service's when
 * the request arrives, and requests queued behind a burst (16 sockets) arrive bunched. With the full 60, two
 * clients sending 120 requests drew 429s from accsyn-local in every run (tests/client/resilience.test.ts); with 50,
 * none.
 */
export const SERVICE_BUDGET: Readonly<BudgetOptions> = { perSecond: 30, burst: 50 };

const BUCKETS = Symbol.for("pulumi-accsyn.client.buckets.v1");

/**
 * The process's bucket for an origin and budget. The service limits per client IP, not per client: every client
 * of the process (one per identity, a reconfigured one, a module loaded twice) draws from one allowance, so
 * their bursts cannot add up to more than the service grants. Kept on `globalThis` for the same reason as the
 * shared clients (shared.ts).
 */
export function sharedBucket(origin: string, budget: BudgetOptions): TokenBucket {
  const g = globalThis as { [BUCKETS]?: Map<string, TokenBucket> };
  const all = (g[BUCKETS] ??= new Map<string, TokenBucket>());
  const key = JSON.stringify([origin, budget.perSecond, budget.burst]);
  let bucket = all.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(budget.perSecond, budget.burst);
    all.set(key, bucket);
  }
  return bucket;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class Transport {
  readonly origin: string;
  private readonly pool: Pool;
  private readonly bucket?: TokenBucket;
  private readonly apiKey?: ApiKey;

  constructor(opts: TransportOptions) {
    this.origin = opts.origin;
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
    const budget = opts.budget === false ? undefined : (opts.budget ?? SERVICE_BUDGET);
    if (budget) this.bucket = sharedBucket(opts.origin, budget);
  }

  /** One attempt, after waiting for the budget. Throws timeout/network errors, never HTTP ones. */
  async send(req: RawRequest): Promise<RawResponse> {
    const wait = this.bucket?.reserve() ?? 0;
    if (wait > 0) await sleep(wait);
    try {
      const res = await this.pool.request({
        path: req.path,
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
      });
      return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
    } catch (e) {
      throw this.mapError(e, req);
    }
  }

  private mapError(e: unknown, req: RawRequest): AccsynError {
    const err = e as { code?: unknown; message?: unknown; name?: unknown };
    const code =
      typeof err.code === "string" ? err.code : typeof err.name === "string" ? err.name : "EUNKNOWN";
    const detail = redact(typeof err.message === "string" ? err.message : String(e), this.apiKey);
    const init = {
      operation: req.uri,
      method: req.method,
      ...(req.entityType !== undefined ? { entityType: req.entityType } : {}),
      ...(req.entityId !== undefined ? { entityId: req.entityId } : {}),
      ...(req.entityCode !== undefined ? { entityCode: req.entityCode } : {}),
      retryable: true,
      causeCode: code,
    };
    const message = wireFailureMessage(init, detail);
    return TIMEOUT_CODES.has(code)
      ? new AccsynTimeoutError(message, init)
      : new AccsynNetworkError(message, init);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

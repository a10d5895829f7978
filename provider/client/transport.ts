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

/** Client-side token bucket applied to every HTTP attempt. Default 25 req/s, burst 50 (service: 30/s, 60). */
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
    const budget = opts.budget === false ? undefined : (opts.budget ?? { perSecond: 25, burst: 50 });
    if (budget) this.bucket = new TokenBucket(budget.perSecond, budget.burst);
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

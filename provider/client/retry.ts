/**
 * The retry engine: the only place that repeats a request. Every attempt's failure is classified once
 * (outcome.ts) and the same table decides for reads, idempotent writes and creates:
 *
 * | outcome   | read / idempotent write        | create with a natural key            | other create |
 * |-----------|--------------------------------|--------------------------------------|--------------|
 * | not-sent  | repeat if the policy lists it  | repeat                               | repeat       |
 * | ambiguous | repeat if the policy lists it  | look it up: found → done, else repeat| fail         |
 * | refused   | fail                           | 409 after an ambiguous attempt: look it up, else fail | fail |
 *
 * Repeats are bounded by `maxRetries` (a headers/body timeout by `timeoutRetries`), spaced by capped
 * exponential backoff with jitter, or by the server's `Retry-After`.
 */
import { AccsynError, isAccsynConflictError, isAccsynError, isAccsynHttpError } from "./errors";
import { AccsynLogEvent, AccsynLogger } from "./log";
import { RawResponse, sleep } from "./transport";

/**
 * Retry policy. Capped exponential backoff with jitter between 50% and 100% of the step; `Retry-After` is
 * honoured (capped by `maxRetryAfterMs`).
 */
export interface RetryPolicy {
  /**
   * Retries after the first attempt (reads, idempotent writes and creates alike). Default 8: when 20 % of
   * attempts fail at random (issue 13's fault runs), 6 attempts in all leave some call of a 270-call `up`
   * without a reply about 2 % of the time (one of a benchmark's three fault runs failed; the rate fits); 9
   * attempts, 0.02 %.
   */
  maxRetries?: number;
  /** First backoff step in ms. Default 200. */
  minDelayMs?: number;
  /** Backoff cap in ms. Default 8000. */
  maxDelayMs?: number;
  /** Growth factor. Default 2. */
  factor?: number;
  /** Longest `Retry-After` honoured, in ms. Default 30000. */
  maxRetryAfterMs?: number;
  /** Statuses after which a read or idempotent write is repeated. Default 429, 502, 503, 504. */
  statusCodes?: number[];
  /** Network error codes after which a read or idempotent write is repeated. */
  errorCodes?: string[];
  /** How many repeats may follow a headers/body timeout (each costs a full `requestTimeoutMs`). Default 1. */
  timeoutRetries?: number;
  /**
   * How many repeats may follow an error that says nothing listens at the endpoint or its name does not
   * resolve (`UNREACHABLE_ERROR_CODES`), so a wrong endpoint fails in about a second. Default 2.
   */
  unreachableRetries?: number;
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

/** Network errors that mean the endpoint is not there (rather than a reply lost on the way). */
export const UNREACHABLE_ERROR_CODES = ["ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EAI_AGAIN"];

export function resolveRetryPolicy(p: RetryPolicy = {}): Required<RetryPolicy> {
  return {
    maxRetries: p.maxRetries ?? 8,
    minDelayMs: p.minDelayMs ?? 200,
    maxDelayMs: p.maxDelayMs ?? 8000,
    factor: p.factor ?? 2,
    maxRetryAfterMs: p.maxRetryAfterMs ?? 30000,
    statusCodes: p.statusCodes ?? [429, 502, 503, 504],
    errorCodes: p.errorCodes ?? DEFAULT_RETRY_ERROR_CODES,
    timeoutRetries: p.timeoutRetries ?? 1,
    unreachableRetries: p.unreachableRetries ?? 2,
  };
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

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), when present. */
export function retryAfterMs(
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

/** One logical request, as the engine runs it. */
export interface EngineRequest<T> {
  method: string;
  /** Envelope uri, for logs. */
  uri: string;
  /** Reads and idempotent writes: repeated after a listed failure whatever its outcome. */
  idempotent: boolean;
  /** One HTTP attempt; throws AccsynNetworkError/AccsynTimeoutError. */
  send(): Promise<RawResponse>;
  /** The attempt's result, or throws its AccsynHttpError (`afterAmbiguous`: an earlier attempt was ambiguous). */
  interpret(res: RawResponse, afterAmbiguous: boolean): T;
  /** Looks a create up by its natural key after an ambiguous attempt; undefined when it does not exist. */
  reconcile?: () => Promise<T | undefined>;
}

/** Running totals of one engine. */
export interface EngineStats {
  /** Logical requests. */
  requests: number;
  /** HTTP attempts (requests plus repeats). */
  attempts: number;
  /** Requests that ended in a network/timeout error. */
  failures: number;
  /** Natural-key lookups after an ambiguous create. */
  reconciles: number;
}

/** The connection was up and the request sent, but no (complete) reply came in time. */
function isReplyTimeout(code: string | undefined): boolean {
  return code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT";
}

type Attempt<T> = { ok: true; value: T; status: number } | { ok: false; error: AccsynError; status?: number };

export class RetryEngine {
  readonly stats: EngineStats = { requests: 0, attempts: 0, failures: 0, reconciles: 0 };

  constructor(
    readonly policy: Required<RetryPolicy>,
    private readonly logger?: AccsynLogger,
  ) {}

  async run<T>(req: EngineRequest<T>): Promise<T> {
    const start = Date.now();
    const log = (e: Omit<AccsynLogEvent, "method" | "uri" | "ms">): void =>
      this.logger?.({ method: req.method, uri: req.uri, ms: Date.now() - start, ...e });
    // the wire status when there was a reply, else the network code
    const where = (a: Attempt<T>): Pick<AccsynLogEvent, "status" | "code"> =>
      a.status !== undefined ? { status: a.status } : { code: (!a.ok && a.error.causeCode) || "EUNKNOWN" };
    let ambiguous = false;
    let timeouts = 0;
    let unreachable = 0;
    this.stats.requests += 1;
    for (let n = 1; ; n++) {
      const a = await this.attempt(req, ambiguous);
      if (a.ok) {
        log({ type: "request", ...where(a), attempt: n });
        return a.value;
      }
      const e = a.error;
      const outcome = e.outcome;
      if (isReplyTimeout(e.causeCode)) timeouts += 1;
      if (UNREACHABLE_ERROR_CODES.includes(e.causeCode ?? "")) unreachable += 1;
      const conflictOfOurs = ambiguous && isAccsynConflictError(e);
      if (outcome === "ambiguous") ambiguous = true;
      let repeat: boolean;
      if (req.idempotent) {
        repeat = outcome !== "refused" && this.listed(a, timeouts);
      } else if (req.reconcile && (outcome === "ambiguous" || conflictOfOurs)) {
        this.stats.reconciles += 1;
        const found = await req.reconcile();
        log({
          type: "reconcile",
          ...where(a),
          attempt: n,
          outcome: found !== undefined ? "found" : "absent",
        });
        if (found !== undefined) {
          log({ type: "request", ...where(a), attempt: n });
          return found;
        }
        repeat = outcome === "ambiguous" && timeouts <= this.policy.timeoutRetries;
      } else {
        repeat = outcome === "not-sent";
      }
      if (!repeat || n > this.policy.maxRetries || unreachable > this.policy.unreachableRetries) {
        if (!isAccsynHttpError(e)) this.stats.failures += 1;
        log({ type: "request", ...where(a), attempt: n });
        throw e;
      }
      const delay =
        isAccsynHttpError(e) && e.retryAfterMs !== undefined
          ? Math.min(e.retryAfterMs, this.policy.maxRetryAfterMs) + Math.round(Math.random() * 50)
          : backoffMs(n, this.policy);
      log({ type: "attempt", ...where(a), attempt: n, retryInMs: delay });
      await sleep(delay);
    }
  }

  private async attempt<T>(req: EngineRequest<T>, afterAmbiguous: boolean): Promise<Attempt<T>> {
    this.stats.attempts += 1;
    let res: RawResponse;
    try {
      res = await req.send();
    } catch (e) {
      if (isAccsynError(e)) return { ok: false, error: e };
      throw e;
    }
    try {
      return { ok: true, value: req.interpret(res, afterAmbiguous), status: res.status };
    } catch (e) {
      if (isAccsynHttpError(e)) return { ok: false, error: e, status: res.status };
      throw e;
    }
  }

  /** Whether the policy lists this failure as worth repeating for a read or an idempotent write. */
  private listed(a: Attempt<unknown>, timeouts: number): boolean {
    if (a.ok) return false;
    if (a.status !== undefined) return this.policy.statusCodes.includes(a.status);
    const code = a.error.causeCode ?? "";
    if (isReplyTimeout(code)) return timeouts <= this.policy.timeoutRetries;
    return this.policy.errorCodes.includes(code);
  }
}

/** Token bucket per client IP (default 30 requests/s sustained, burst 60). */
import { ThrottledError } from "./errors";

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly opts: RateLimitOptions | false) {}

  /** Take one token for `key` or throw a 429 with the seconds until one is available. */
  take(key: string, now = Date.now()): void {
    if (!this.opts) return;
    const { perSecond, burst } = this.opts;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return;
    }
    const wait = Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
    throw new ThrottledError(
      `Rate limit exceeded (${perSecond} requests/s, burst ${burst}); retry after ${wait}s`,
      wait,
    );
  }

  reset(): void {
    this.buckets.clear();
  }
}

/** Parse `30/60` (per second / burst) or `off`. */
export function parseRateLimit(s: string): RateLimitOptions | false {
  if (/^(off|false|none|0)$/i.test(s.trim())) return false;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`Invalid --rate-limit '${s}' (expected e.g. 30/60 or off)`);
  const perSecond = Number(m[1]);
  return { perSecond, burst: m[2] ? Number(m[2]) : Math.max(1, Math.ceil(perSecond * 2)) };
}

/**
 * Size and shape caps on what a request may make the server hold. Every cap is
 * checked before the work it bounds (URL before parsing it, body while it is
 * read, gz_data while it is inflated, JSON structure before JSON.parse), so a
 * bad request costs at most the cap, never a crash or a stall.
 */
import { EmulatorError } from "./errors";

export interface Limits {
  /** Request target (path + query string); GET/DELETE events travel in it. */
  maxUrlBytes: number;
  /** Raw request body (PUT/POST events, control plane). */
  maxBodyBytes: number;
  /** `gz_data` once inflated. */
  maxInflatedBytes: number;
  /** Nesting of arrays/objects in any JSON the server parses. */
  maxJsonDepth: number;
  /** Values (scalars, arrays, objects) in one JSON document; bounds parse time and heap. */
  maxJsonValues: number;
  /** Body and inflated gz_data bytes held at once across all requests; past it, 429 with Retry-After. */
  maxInFlightBytes: number;
}

/**
 * Generous for real use: the official client gzips event data above 100 KiB,
 * so its bodies stay far below 8 MiB; 8 MiB of inflated JSON is ~50 000 file
 * entries. 1 MiB of URL holds a DELETE of several thousand file ids. The value
 * cap keeps the worst shape (`[{},{},...]`) to a few hundred ms of parsing.
 * The in-flight cap lets four maximal requests be read at once (each costs
 * about three times its size in memory while it is decoded and parsed).
 */
export const DEFAULT_LIMITS: Limits = {
  maxUrlBytes: 1024 * 1024,
  maxBodyBytes: 8 * 1024 * 1024,
  maxInflatedBytes: 8 * 1024 * 1024,
  maxJsonDepth: 64,
  maxJsonValues: 500_000,
  maxInFlightBytes: 32 * 1024 * 1024,
};

/** Headers other than the request line may add this much to the URL cap before Node refuses them (431). */
export const HEADER_ALLOWANCE_BYTES = 64 * 1024;

export function resolveLimits(partial: Partial<Limits> | undefined): Limits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const [k, v] of Object.entries(limits))
    if (!Number.isSafeInteger(v) || v <= 0)
      throw new Error(`Invalid limit ${k}=${String(v)} (a positive integer)`);
  return limits;
}

/** 413: the body, inflated gz_data or JSON exceeds a cap. */
export class PayloadTooLargeError extends EmulatorError {
  constructor(message: string) {
    super(413, message);
  }
}

/** 414: the request target exceeds the URL cap. */
export class UriTooLongError extends EmulatorError {
  constructor(message: string) {
    super(414, message);
  }
}

const UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1 << 20,
  mb: 1 << 20,
  mib: 1 << 20,
};

/** Parse a CLI size: `1048576`, `512KiB`, `8MiB` (K/KB/KiB and M/MB/MiB all mean powers of 1024). */
export function parseSize(flag: string, s: string): number {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(s.trim());
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0)
    throw new Error(`Invalid ${flag} '${s}' (expected bytes, or a number with KiB or MiB)`);
  return Number(m[1]) * unit;
}

/** Human form of a byte count for messages (`8 MiB`, `512 KiB`, `100 bytes`). */
export function bytesHr(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * Bounded reading of what a client sends: the body (capped while it streams
 * in), gz_data (inflated off the event loop, capped by zlib itself) and JSON
 * (its nesting and size checked by a linear scan before JSON.parse, so no
 * document can overflow the stack of later code or take seconds to parse).
 */
import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import { BadRequestError, ThrottledError } from "./errors";
import { type Limits, PayloadTooLargeError, bytesHr } from "./limits";

/**
 * The payload bytes all requests hold at once. Each cap above bounds one
 * request; this bounds many large ones arriving together, which get a 429
 * (retry after a second) instead of growing the heap. The first SMALL_PAYLOAD
 * bytes of every request are free, so a few slow large uploads that fill the
 * budget cannot lock everyone else out of ordinary writes and logins.
 */
export class PayloadBudget {
  static readonly SMALL_PAYLOAD = 64 * 1024;
  private held = 0;
  constructor(private readonly maxBytes: number) {}

  /** An account for one request; `release` gives back all it took (call it when the reply is done). */
  lease(): PayloadLease {
    let mine = 0;
    const counted = (n: number): number => Math.max(0, n - PayloadBudget.SMALL_PAYLOAD);
    return {
      take: (n: number): void => {
        const more = counted(mine + n) - counted(mine);
        if (more > 0 && this.held + more > this.maxBytes)
          throw new ThrottledError(
            `accsyn-local already holds its ${bytesHr(this.maxBytes)} of request payloads in flight; retry shortly`,
            1,
          );
        this.held += more;
        mine += n;
      },
      release: (): void => {
        this.held -= counted(mine);
        mine = 0;
      },
    };
  }
}

export interface PayloadLease {
  /** Account for `n` more bytes, or throw a 429 when the budget is spent. */
  take(n: number): void;
  release(): void;
}

/**
 * Read the body as UTF-8, refusing (413) as soon as it passes `maxBytes`: a
 * declared Content-Length over the cap is refused before any byte is read. The
 * rest of a refused body is left to Node, which discards it, so the client
 * still reads the 413 on an open connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number, lease: PayloadLease): Promise<string> {
  const tooLarge = (): PayloadTooLargeError =>
    new PayloadTooLargeError(`Request body exceeds the ${bytesHr(maxBytes)} limit of accsyn-local`);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      try {
        if (size > maxBytes) throw tooLarge();
        lease.take(c.length);
      } catch (e) {
        chunks.length = 0;
        req.off("data", onData);
        req.resume();
        reject(e);
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Inflate base64 gzip to UTF-8 text as a stream, counting each piece against
 * `maxBytes` (413) and the lease (429): a bomb costs at most the cap.
 */
export function inflateGzData(b64: string, maxBytes: number, lease: PayloadLease): Promise<string> {
  const gz = Buffer.from(b64, "base64");
  return new Promise((resolve, reject) => {
    const inflater = createGunzip();
    const parts: Buffer[] = [];
    let size = 0;
    inflater.on("data", (c: Buffer) => {
      size += c.length;
      try {
        if (size > maxBytes)
          throw new PayloadTooLargeError(
            `'gz_data' inflates past the ${bytesHr(maxBytes)} limit of accsyn-local`,
          );
        lease.take(c.length);
      } catch (e) {
        parts.length = 0;
        inflater.destroy();
        reject(e);
        return;
      }
      parts.push(c);
    });
    inflater.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    inflater.on("error", () => reject(new BadRequestError("'gz_data' must be base64 of gzip of JSON")));
    inflater.end(gz);
  });
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over JSON text outside strings: the deepest nesting (400 past the
 * cap) and the number of values (413 past the cap). It does not validate;
 * JSON.parse does that afterwards on text known to be within bounds.
 */
export function checkJsonShape(text: string, limits: Limits, what: string): void {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    if (inString) {
      // Jump to the next quote natively; it ends the string unless an odd run of backslashes escapes it.
      const q = text.indexOf('"', i);
      if (q < 0) break;
      let slashes = 0;
      while (q - slashes - 1 >= i && text.charCodeAt(q - slashes - 1) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) inString = false;
      i = q;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limits.maxJsonDepth)
        throw new BadRequestError(
          `${what} nests deeper than ${limits.maxJsonDepth} levels of arrays and objects`,
        );
      values++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
    else if (c === COMMA) values++;
    else continue;
    if (values > limits.maxJsonValues)
      throw new PayloadTooLargeError(`${what} holds more than ${limits.maxJsonValues} values`);
  }
}

/** JSON.parse after the shape check; `undefined` for blank text; `invalid` is the 400 for non-JSON. */
export function parseBoundedJson(text: string, limits: Limits, what: string, invalid: string): unknown {
  if (!text.trim()) return undefined;
  checkJsonShape(text, limits, what);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError(invalid);
  }
}

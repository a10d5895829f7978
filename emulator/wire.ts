/** The wire codec: auth header, event envelope (query string or body, gz_data), JSON replies. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { AuthError, BadRequestError, EmulatorError, ThrottledError } from "./errors";
import { isObject } from "./util";

export interface Envelope {
  uri: string;
  data: unknown;
  query?: unknown;
  id?: unknown;
  workspace?: unknown;
  [key: string]: unknown;
}

export interface Credentials {
  user: string;
  key: string;
}

function b64(s: string): string {
  return Buffer.from(s.trim(), "base64").toString("utf8");
}

/** `Authorization: basic <b64(user)>:<b64(key)>` (each half encoded separately, joined by ':'). */
export function parseAuth(header: string | undefined): Credentials {
  if (!header)
    throw new AuthError("Missing Authorization header (expected 'basic <b64(user)>:<b64(api key)>')");
  const m = /^basic\s+(.+)$/i.exec(header.trim());
  if (!m) throw new AuthError("Malformed Authorization header (expected 'basic <b64(user)>:<b64(api key)>')");
  const parts = m[1].split(":");
  if (parts.length !== 2 || !parts[0] || !parts[1])
    throw new AuthError(
      "Malformed Authorization header (expected 'basic <b64(user)>:<b64(api key)>', each half base64-encoded; RFC 7617 Basic is not accsyn auth)",
    );
  return { user: b64(parts[0]), key: b64(parts[1]) };
}

export function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BadRequestError(`Request body exceeds ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Decode the raw query string (GET/DELETE) as percent-encoded JSON. */
export function decodeQueryJson(raw: string): unknown {
  if (!raw) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, "%20"));
  } catch {
    throw new BadRequestError("The query string is not valid percent-encoding");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError("The query string must be the percent-encoded JSON event");
  }
}

export function parseJsonBody(body: string): unknown {
  if (!body.trim()) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw new BadRequestError("The request body must be JSON");
  }
}

/** Turn the raw request into an event envelope; `gz_data` is inflated into `data`. */
export function parseEnvelope(method: string, rawQuery: string, body: string): Envelope {
  const raw = method === "GET" || method === "DELETE" ? decodeQueryJson(rawQuery) : parseJsonBody(body);
  if (!isObject(raw)) throw new BadRequestError("The event must be a JSON object with at least 'uri'");
  const env = raw as Envelope;
  if (typeof env.uri !== "string" || !env.uri.trim()) throw new BadRequestError("The event has no 'uri'");
  if (env.gz_data !== undefined && env.gz_data !== null) {
    if (typeof env.gz_data !== "string") throw new BadRequestError("'gz_data' must be a base64 string");
    try {
      env.data = JSON.parse(gunzipSync(Buffer.from(env.gz_data, "base64")).toString("utf8"));
    } catch {
      throw new BadRequestError("'gz_data' must be base64 of gzip of JSON");
    }
    delete env.gz_data;
  }
  if (env.data === undefined) env.data = null;
  return env;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The one place errors become wire replies. */
export function replyError(res: ServerResponse, err: unknown): void {
  if (err instanceof EmulatorError) {
    const headers: Record<string, string> = {};
    if (err instanceof ThrottledError) headers["Retry-After"] = String(err.retryAfter);
    const body: Record<string, unknown> = { message: err.message };
    if (err.messageHr) body.message_hr = err.messageHr;
    sendJson(res, err.status, body, headers);
    return;
  }
  const msg = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, { message: `Internal error in accsyn-local: ${msg}` });
}

/** The wire codec: auth header, event envelope (query string or body, gz_data), JSON replies. */
import type { ServerResponse } from "node:http";
import { AuthError, BadRequestError, EmulatorError, ThrottledError } from "./errors";
import type { Limits } from "./limits";
import { type PayloadLease, inflateGzData, parseBoundedJson } from "./payload";
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

/** Decode the raw query string (GET/DELETE, lookup) as percent-encoded JSON. */
export function decodeQueryJson(raw: string, limits: Limits): unknown {
  if (!raw) return undefined;
  let text: string;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, "%20"));
  } catch {
    throw new BadRequestError("The query string is not valid percent-encoding");
  }
  return parseBoundedJson(
    text,
    limits,
    "The query string",
    "The query string must be the percent-encoded JSON event",
  );
}

export function parseJsonBody(body: string, limits: Limits): unknown {
  return parseBoundedJson(body, limits, "The request body", "The request body must be JSON");
}

/** Turn the raw request into an event envelope; `gz_data` is inflated (capped) into `data`. */
export async function parseEnvelope(
  method: string,
  rawQuery: string,
  body: string,
  limits: Limits,
  lease: PayloadLease,
): Promise<Envelope> {
  const raw =
    method === "GET" || method === "DELETE" ? decodeQueryJson(rawQuery, limits) : parseJsonBody(body, limits);
  if (!isObject(raw)) throw new BadRequestError("The event must be a JSON object with at least 'uri'");
  const env = raw as Envelope;
  if (typeof env.uri !== "string" || !env.uri.trim()) throw new BadRequestError("The event has no 'uri'");
  if (env.gz_data !== undefined && env.gz_data !== null) {
    if (typeof env.gz_data !== "string") throw new BadRequestError("'gz_data' must be a base64 string");
    const text = await inflateGzData(env.gz_data, limits.maxInflatedBytes, lease);
    const invalid = "'gz_data' must be base64 of gzip of JSON";
    env.data = parseBoundedJson(text, limits, "'gz_data'", invalid);
    if (env.data === undefined) throw new BadRequestError(invalid);
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

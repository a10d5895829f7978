/**
 * The accsyn v3 wire format: event envelopes, their encoding per HTTP method, auth headers, and reply
 * decoding. The only module that knows what goes over the wire (see /work/shared/accsyn-wire.md).
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";

import { ApiKey, revealApiKey } from "./credentials";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

export const EVENT_PATH = "/api/v3/event";
export const LOGIN_PATH = "/api/v3/api/login";
/** The `uri` the client reports for login (the control plane counts it as `PUT api/login`). */
export const LOGIN_URI = "api/login";
/** `data` whose JSON exceeds this many bytes is sent as `gz_data`. */
export const GZ_THRESHOLD = 100 * 1024;

/** The event envelope, exactly as sent. */
export interface Envelope {
  audience: "api";
  workspace: string;
  eid: string;
  session: string;
  uri: string;
  ident: string;
  created: string;
  hostname: string;
  data?: unknown;
  gz_data?: string;
  query?: string;
  id?: string;
}

export interface EventSpec {
  method: HttpMethod;
  uri: string;
  data?: unknown;
  query?: string;
  id?: string;
}

export interface EnvelopeContext {
  workspace: string;
  session: string;
  user: string;
  hostname?: string;
  now?: Date;
  eid?: string;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC, no zone. */
export function formatCreated(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** Builds the envelope; `data` (undefined → null) becomes `gz_data` when its JSON exceeds 100 KiB. */
export function buildEnvelope(spec: EventSpec, ctx: EnvelopeContext): Envelope {
  const env: Envelope = {
    audience: "api",
    workspace: ctx.workspace,
    eid: ctx.eid ?? randomUUID(),
    session: ctx.session,
    uri: spec.uri,
    ident: ctx.user,
    created: formatCreated(ctx.now ?? new Date()),
    hostname: ctx.hostname ?? os.hostname(),
  };
  const data = spec.data === undefined ? null : spec.data;
  const json = JSON.stringify(data);
  if (Buffer.byteLength(json, "utf8") > GZ_THRESHOLD) {
    env.gz_data = gzipSync(Buffer.from(json, "utf8")).toString("base64");
  } else {
    env.data = data;
  }
  if (spec.query !== undefined) env.query = spec.query;
  if (spec.id !== undefined) env.id = spec.id;
  return env;
}

export interface EncodedRequest {
  method: HttpMethod;
  /** Path plus raw query string. */
  path: string;
  body?: string;
}

/** GET/DELETE: the percent-encoded JSON is the entire query string. PUT/POST: the JSON is the body. */
export function encodeEvent(method: HttpMethod, env: Envelope): EncodedRequest {
  const json = JSON.stringify(env);
  if (method === "GET" || method === "DELETE") {
    return { method, path: `${EVENT_PATH}?${encodeURIComponent(json)}` };
  }
  return { method, path: EVENT_PATH, body: json };
}

/** Inverse of {@link encodeEvent} (used by tests and tooling). */
export function decodeEvent(path: string, body: string | undefined): Envelope {
  const q = path.indexOf("?");
  const raw = body !== undefined && body !== "" ? body : q >= 0 ? decodeURIComponent(path.slice(q + 1)) : "";
  return JSON.parse(raw) as Envelope;
}

/** Decodes `gz_data` (or returns `data`) of an envelope. */
export function envelopeData(env: Envelope): unknown {
  if (env.gz_data !== undefined) {
    return JSON.parse(gunzipSync(Buffer.from(env.gz_data, "base64")).toString("utf8"));
  }
  return env.data;
}

/** `basic <b64(user)>:<b64(key)>` (not RFC 7617: the halves are encoded separately). */
export function authorization(user: string, key: ApiKey): string {
  const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
  return `basic ${b64(user)}:${b64(revealApiKey(key))}`;
}

export function requestHeaders(
  method: HttpMethod,
  auth: { user: string; apiKey: ApiKey; workspace: string } | undefined,
  device: string,
): Record<string, string> {
  const h: Record<string, string> = { "X-Accsyn-Device": device, Accept: "application/json" };
  if (auth !== undefined) {
    h.Authorization = authorization(auth.user, auth.apiKey);
    h["X-Accsyn-Workspace"] = auth.workspace;
  }
  if (method === "PUT" || method === "POST") h["Content-Type"] = "application/json";
  return h;
}

/** A decoded reply: success with `result`, or a failure with what the server said. */
export type Reply =
  | { ok: true; result: unknown }
  | { ok: false; message: string; kind: "message" | "exception" | "non-json" | "no-result" };

/**
 * Decides from the body first (like the official client): a `message`/`exception` body is a failure whatever
 * the status; `{"result": x}` with a 2xx status is success; anything else is a failure.
 */
export function decodeReply(status: number, bodyText: string): Reply {
  let body: unknown;
  try {
    body = bodyText === "" ? undefined : JSON.parse(bodyText);
  } catch {
    return {
      ok: false,
      kind: "non-json",
      message: `non-JSON reply: ${bodyText.slice(0, 200)}`,
    };
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (b.exception !== undefined && b.exception !== null) {
      return { ok: false, kind: "exception", message: stringify(b.message_hr ?? b.message ?? b.exception) };
    }
    if (b.message !== undefined && b.message !== null) {
      return { ok: false, kind: "message", message: stringify(b.message_hr ?? b.message) };
    }
    if ("result" in b && status >= 200 && status < 300) return { ok: true, result: b.result };
  }
  return { ok: false, kind: "no-result", message: "reply without result" };
}

function stringify(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

import { randomUUID } from "node:crypto";
import { Dispatcher, request } from "undici";

/** Raw access to the accsyn v3 wire (accsyn-wire.md §1–3) for checks the Python client cannot make. */

export interface WireTarget {
  url: string;
}

export interface WireUser {
  code: string;
  apiKey: string;
}

export interface WireReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export type Method = "GET" | "PUT" | "POST" | "DELETE";

export function authorization(user: WireUser): string {
  const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");
  return `basic ${b64(user.code)}:${b64(user.apiKey)}`;
}

export function authHeaders(user: WireUser, workspace = "demo"): Record<string, string> {
  return {
    authorization: authorization(user),
    "x-accsyn-workspace": workspace,
    "x-accsyn-device": "accsyn-local conformance tests",
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function raw(
  target: WireTarget,
  method: Method | "PATCH",
  pathAndQuery: string,
  headers: Record<string, string>,
  body?: string,
  dispatcher?: Dispatcher,
): Promise<WireReply> {
  const res = await request(`${target.url}${pathAndQuery}`, { method, headers, body, dispatcher });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: parse(text) };
}

export async function login(target: WireTarget, user: WireUser, workspace = "demo"): Promise<string> {
  const r = await raw(target, "PUT", "/api/v3/api/login", authHeaders(user, workspace), "{}");
  const j = r.json as { result?: { session_id?: string } } | undefined;
  if (r.status !== 200 || !j?.result?.session_id) throw new Error(`login failed: ${r.status} ${r.text}`);
  return j.result.session_id;
}

export interface EventParts {
  data?: unknown;
  query?: string;
  id?: string;
  gz_data?: string;
}

export function envelope(
  user: WireUser,
  session: string,
  uri: string,
  parts: EventParts,
  workspace = "demo",
): Record<string, unknown> {
  const ev: Record<string, unknown> = {
    audience: "api",
    workspace,
    eid: randomUUID(),
    session,
    uri,
    ident: user.code,
    created: new Date().toISOString().slice(0, 19),
    hostname: "conformance",
  };
  if (parts.gz_data !== undefined) ev.gz_data = parts.gz_data;
  else ev.data = parts.data === undefined ? {} : parts.data;
  if (parts.query !== undefined) ev.query = parts.query;
  if (parts.id !== undefined) ev.id = parts.id;
  return ev;
}

/** Sends one event the way accsyn-wire.md §3 says: GET/DELETE in the raw query string, PUT/POST as the body. */
export async function sendEvent(
  target: WireTarget,
  user: WireUser,
  session: string,
  method: Method,
  uri: string,
  parts: EventParts = {},
  opts: { contentType?: string; workspace?: string; dispatcher?: Dispatcher } = {},
): Promise<WireReply> {
  const ev = envelope(user, session, uri, parts, opts.workspace);
  const headers = authHeaders(user, opts.workspace);
  if (opts.contentType) headers["content-type"] = opts.contentType;
  const json = JSON.stringify(ev);
  if (method === "GET" || method === "DELETE") {
    return raw(
      target,
      method,
      `/api/v3/event?${encodeURIComponent(json)}`,
      headers,
      undefined,
      opts.dispatcher,
    );
  }
  return raw(target, method, "/api/v3/event", headers, json, opts.dispatcher);
}

/** A logged-in raw client for one user. */
export class Wire {
  private constructor(
    readonly target: WireTarget,
    readonly user: WireUser,
    readonly session: string,
  ) {}

  static async login(target: WireTarget, user: WireUser): Promise<Wire> {
    return new Wire(target, user, await login(target, user));
  }

  send(
    method: Method,
    uri: string,
    parts: EventParts = {},
    opts: { contentType?: string } = {},
  ): Promise<WireReply> {
    return sendEvent(this.target, this.user, this.session, method, uri, parts, opts);
  }

  /** Sends and returns `result`, throwing with the reply when it is not a 200 with a result. */
  async result(method: Method, uri: string, parts: EventParts = {}): Promise<unknown> {
    const r = await this.send(method, uri, parts);
    const j = r.json as { result?: unknown } | undefined;
    if (r.status !== 200 || j === undefined || !("result" in j)) {
      throw new Error(`${method} ${uri} → ${r.status} ${r.text}`);
    }
    return j.result;
  }
}

export function messageOf(r: WireReply): string {
  const j = r.json as { message?: unknown; message_hr?: unknown; exception?: unknown } | undefined;
  if (!j) return "";
  return String(j.message ?? j.exception ?? "");
}

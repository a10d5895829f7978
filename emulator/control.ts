/**
 * The control plane (outside /api/v3, loopback only, only when enabled):
 * reset, call counters, fault rules, and manual job progression.
 */
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { BadRequestError, EmulatorError, ForbiddenError, NotFoundError } from "./errors";

export type FaultAction = "latency" | "throttle" | "unavailable" | "reset" | "lost-reply";

export interface FaultRule {
  uri?: string;
  method?: string;
  probability?: number;
  times?: number;
  action: FaultAction;
  latencyMs?: number;
  retryAfter?: number;
}

const ruleSchema = z
  .object({
    uri: z.string().optional(),
    method: z.string().optional(),
    probability: z.number().min(0).max(1).optional(),
    times: z.number().int().min(0).optional(),
    action: z.enum(["latency", "throttle", "unavailable", "reset", "lost-reply"]),
    latencyMs: z.number().min(0).optional(),
    retryAfter: z.number().min(0).optional(),
  })
  .strict();

export class Counters {
  total = 0;
  byUri: Record<string, number> = {};
  /** 429 replies of any cause (rate limit, in-flight budget, injected throttle); rate-limited requests never reach `byUri`. */
  throttled = 0;

  count(method: string, uri: string): void {
    this.total++;
    const key = `${method} ${uri}`;
    this.byUri[key] = (this.byUri[key] ?? 0) + 1;
  }

  clear(): void {
    this.total = 0;
    this.byUri = {};
    this.throttled = 0;
  }

  toJSON(): { total: number; byUri: Record<string, number>; throttled: number } {
    return { total: this.total, byUri: { ...this.byUri }, throttled: this.throttled };
  }
}

export class Faults {
  private rules: { rule: FaultRule; hits: number }[] = [];

  set(raw: unknown): void {
    if (!Array.isArray(raw)) throw new BadRequestError("Fault rules must be a JSON list ([] clears)");
    const parsed = raw.map((r, i) => {
      const res = ruleSchema.safeParse(r);
      if (!res.success) {
        const issue = res.error.issues[0];
        throw new BadRequestError(`Fault rule ${i}: '${issue.path.join(".")}' ${issue.message}`);
      }
      return res.data;
    });
    this.rules = parsed.map((rule) => ({ rule, hits: 0 }));
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** The first rule matching this call (and consuming one of its `times`), if any. */
  match(method: string, uri: string): FaultRule | undefined {
    for (const r of this.rules) {
      const { rule } = r;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.uri) {
        const pat = rule.uri.toLowerCase();
        const u = uri.toLowerCase();
        if (pat.endsWith("*") ? !u.startsWith(pat.slice(0, -1)) : pat !== u) continue;
      }
      if (rule.times !== undefined && r.hits >= rule.times) continue;
      if (Math.random() >= (rule.probability ?? 1)) continue;
      r.hits++;
      return rule;
    }
    return undefined;
  }

  clear(): void {
    this.rules = [];
  }
}

export function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === "::1" || addr.startsWith("127.") || addr.startsWith("::ffff:127."));
}

/** 415: a control-plane write that is not JSON. */
export class UnsupportedMediaTypeError extends EmulatorError {
  constructor(message: string) {
    super(415, message);
  }
}

/** `localhost` or an IP literal (`127.0.0.1`, `[::1]`), with an optional port. */
const ADDRESS_AUTHORITY = /^(localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A loopback peer is not enough: any web page open in a browser on this
 * machine is one. Such a page can send only "simple" cross-origin requests
 * (form or text/plain bodies) without a CORS preflight, which this server never
 * grants, and can reach us under its own domain name through DNS rebinding. So
 * the control plane requires a Host that is an address or `localhost` (or the
 * name the server was started with), an Origin (when a browser sends one) equal
 * to that Host, no cross-site Sec-Fetch-Site, and JSON bodies on writes.
 */
export function guardControlRequest(req: IncomingMessage, method: string, serverHost: string): void {
  const host = header(req, "host") ?? "";
  const hostName = host.replace(/:\d{1,5}$/, "").toLowerCase();
  if (!ADDRESS_AUTHORITY.test(host) && hostName !== serverHost.toLowerCase())
    throw new ForbiddenError(
      `The control plane only answers requests addressed to localhost or an IP address, not Host '${host}'`,
    );
  const origin = header(req, "origin");
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`)
    throw new ForbiddenError(`The control plane refuses cross-origin requests (Origin '${origin}')`);
  const site = header(req, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none")
    throw new ForbiddenError(`The control plane refuses cross-site requests (Sec-Fetch-Site '${site}')`);
  if (method === "POST" || method === "PUT") {
    const type = (header(req, "content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json")
      throw new UnsupportedMediaTypeError(
        `Control-plane ${method} requests must have Content-Type: application/json${type ? ` (got '${type}')` : ""}`,
      );
  }
}

export function controlNotFound(method: string, path: string): NotFoundError {
  return new NotFoundError(`Unknown control-plane operation '${method} ${path}'`);
}

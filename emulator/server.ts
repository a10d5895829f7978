/** The HTTP server: the three /api/v3 endpoints, and the control plane under /_accsyn-local. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { advanceJob, applySeed, authenticate, makeCtx, workspaceOf } from "./backend";
import { Counters, Faults, controlNotFound, isLoopback } from "./control";
import { AuthError, ForbiddenError, NotFoundError, ThrottledError, UnavailableError } from "./errors";
import { dispatch } from "./handlers";
import { RateLimiter } from "./ratelimit";
import { DEMO_SEED, type SeedFile, parseSeed } from "./seed";
import { Store } from "./store";
import { isObject } from "./util";
import {
  type Envelope,
  decodeQueryJson,
  parseAuth,
  parseEnvelope,
  parseJsonBody,
  readBody,
  replyError,
  sendJson,
} from "./wire";
import type { RunningServer, StartOptions } from "./options";

const LOOKUP = "/api/v3/J3PKTtDvolDMBtTy6AFGA";
const LOGIN = "/api/v3/api/login";
const EVENT = "/api/v3/event";
const CONTROL = "/_accsyn-local";

/** GET/DELETE carry the whole event in the URL; the official client sends long ones (1000 file ids). */
const MAX_HEADER_BYTES = 32 * 1024 * 1024;

/** The rate-limit key: the client address (the service limits per IP, as the official client documents). */
function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "?").replace(/^::ffff:/, "");
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const store = new Store(opts.dataDir);
  const seed = opts.seed ? parseSeed(opts.seed) : DEMO_SEED;
  if (!store.getMeta("seeded")) applySeed(store, seed);
  const limiter = new RateLimiter(
    opts.rateLimit === undefined ? { perSecond: 30, burst: 60 } : opts.rateLimit,
  );
  const counters = new Counters();
  const faults = new Faults();
  let port = 0;

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!opts.control) throw controlNotFound(req.method ?? "", path);
    if (!isLoopback(req.socket.remoteAddress))
      throw new ForbiddenError("The control plane only answers loopback clients");
    const method = req.method ?? "GET";
    const sub = path.slice(CONTROL.length).replace(/\/+$/, "");
    const body = method === "GET" || method === "DELETE" ? undefined : parseJsonBody(await readBody(req));
    if (sub === "/reset" && method === "POST") {
      const s = isObject(body) && body.seed !== undefined ? parseSeed(body.seed) : seed;
      applySeed(store, s);
      counters.clear();
      faults.clear();
      limiter.reset();
      return sendJson(res, 200, { result: true });
    }
    if (sub === "/counters" && method === "GET") return sendJson(res, 200, counters.toJSON());
    if (sub === "/counters" && method === "DELETE") {
      counters.clear();
      return sendJson(res, 200, { result: true });
    }
    if (sub === "/faults" && method === "GET") return sendJson(res, 200, faults.list());
    if (sub === "/faults" && method === "PUT") {
      faults.set(body);
      return sendJson(res, 200, faults.list());
    }
    const adv = /^\/jobs\/([0-9a-f]{24})\/advance$/i.exec(sub);
    if (adv && method === "POST") {
      const result = store.tx(() => advanceJob(store, adv[1], isObject(body) ? body : {}));
      return sendJson(res, 200, { result });
    }
    throw controlNotFound(method, path);
  }

  function lookup(rawQuery: string, res: ServerResponse): void {
    const q = decodeQueryJson(rawQuery);
    const ident = isObject(q) ? q.ident : undefined;
    const ws = workspaceOf(store);
    if (typeof ident !== "string" || ident.trim().toLowerCase() !== ws.code.toLowerCase())
      throw new NotFoundError(`Workspace '${String(ident)}' not found on this accsyn-local server`);
    const hostname = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    sendJson(res, 200, { result: { hostname, port } });
  }

  /** Counters, faults, rate limit, auth, then the event in one transaction. */
  async function event(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    env: Envelope,
  ): Promise<void> {
    const uri = env.uri.trim();
    counters.count(method, uri);
    const fault = faults.match(method, uri);
    if (fault?.action === "latency") await sleep(fault.latencyMs ?? 1000);
    if (fault?.action === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.action === "throttle") {
      const ra = fault.retryAfter ?? 1;
      throw new ThrottledError(`Rate limit exceeded (injected fault); retry after ${ra}s`, ra);
    }
    if (fault?.action === "unavailable") throw new UnavailableError("Service unavailable (injected fault)");
    limiter.take(clientIp(req));
    const creds = parseAuth(req.headers.authorization);
    const ws = workspaceOf(store);
    const wsHeader = req.headers["x-accsyn-workspace"];
    const wsName = Array.isArray(wsHeader) ? wsHeader[0] : wsHeader;
    if (!wsName) throw new AuthError("Missing X-Accsyn-Workspace header");
    if (wsName.trim().toLowerCase() !== ws.code.toLowerCase())
      throw new AuthError(`Unknown workspace '${wsName}' (this server holds '${ws.code}')`);
    const actor = authenticate(store, creds.user, creds.key);
    let result: unknown;
    if (uri === "api/login") {
      result = { role: actor.role, id: actor.id, session_id: randomBytes(12).toString("hex") };
    } else {
      result = store.tx(() => dispatch(makeCtx(store, actor, ws, uri), method, env));
    }
    if (fault?.action === "lost-reply") {
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, { result });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const qi = url.indexOf("?");
    const path = (qi < 0 ? url : url.slice(0, qi)).replace(/\/+$/, "") || "/";
    const rawQuery = qi < 0 ? "" : url.slice(qi + 1);
    const method = (req.method ?? "GET").toUpperCase();
    if (path === CONTROL || path.startsWith(`${CONTROL}/`)) return control(req, res, path);
    if (path === LOOKUP) {
      if (method !== "GET") throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      return lookup(rawQuery, res);
    }
    if (path === LOGIN) {
      if (method !== "PUT" && method !== "POST")
        throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      await readBody(req);
      return event(req, res, "PUT", { uri: "api/login", data: null });
    }
    if (path === EVENT) {
      if (!["GET", "PUT", "POST", "DELETE"].includes(method))
        throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      const body = method === "GET" || method === "DELETE" ? "" : await readBody(req);
      return event(req, res, method, parseEnvelope(method, rawQuery, body));
    }
    throw new NotFoundError(
      `Unknown operation '${method} ${path}' (accsyn-local serves /api/v3/event, /api/v3/api/login and ${LOOKUP})`,
    );
  }

  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      replyError(res, err);
    });
  });
  server.keepAliveTimeout = 5000;
  // Requests Node refuses before our handler runs (oversized headers, bad HTTP) still get a JSON body.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
    const body = JSON.stringify({
      message: tooLarge ? "Request line and headers too large" : "Malformed HTTP request",
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request"}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let stopped = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
    },
  };
}

export type { SeedFile };

/** The HTTP server: the three /api/v3 endpoints, and the control plane under /_accsyn-local. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import {
  advanceJob,
  applySeed,
  authenticate,
  isFileListWithoutParent,
  makeCtx,
  splitLegacyAcls,
  workspaceOf,
} from "./backend";
import { Counters, Faults, controlNotFound, guardControlRequest, isLoopback } from "./control";
import {
  AuthError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  ThrottledError,
  UnavailableError,
} from "./errors";
import { dispatch } from "./handlers";
import { HEADER_ALLOWANCE_BYTES, UriTooLongError, bytesHr, resolveLimits } from "./limits";
import { PayloadBudget, type PayloadLease, readBody } from "./payload";
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
  replyError,
  sendJson,
} from "./wire";
import type { RunningServer, StartOptions } from "./options";

/** The refusal of a server started with `fileFindNeedsParent` (the message accsyn-local gave before Decision 17). */
const FILE_FIND_NEEDS_PARENT = "File queries need the collection id as parent (entityid)";

const LOOKUP = "/api/v3/J3PKTtDvolDMBtTy6AFGA";
const LOGIN = "/api/v3/api/login";
const EVENT = "/api/v3/event";
const CONTROL = "/_accsyn-local";

/** The rate-limit key: the client address (the service limits per IP, as the official client documents). */
function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? "?").replace(/^::ffff:/, "");
}

/** How long a connection refused by Node's parser stays open for its client to read the reply. */
const LINGER_MS = 5000;

/** The authenticated caller, as the backend knows it. */
type Actor = ReturnType<typeof authenticate>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? "127.0.0.1";
  const limits = resolveLimits(opts.limits);
  const budget = new PayloadBudget(limits.maxInFlightBytes);
  const store = new Store(opts.dataDir);
  const seed = opts.seed ? parseSeed(opts.seed) : DEMO_SEED;
  if (!store.getMeta("seeded")) applySeed(store, seed);
  // A data directory from before per-path ACLs keeps every access it granted.
  store.tx(() => splitLegacyAcls(store));
  const limiter = new RateLimiter(
    opts.rateLimit === undefined ? { perSecond: 30, burst: 60 } : opts.rateLimit,
  );
  const counters = new Counters();
  const faults = new Faults();
  let port = 0;

  async function control(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    lease: PayloadLease,
  ): Promise<void> {
    if (!opts.control) throw controlNotFound(req.method ?? "", path);
    if (!isLoopback(req.socket.remoteAddress))
      throw new ForbiddenError("The control plane only answers loopback clients");
    const method = req.method ?? "GET";
    guardControlRequest(req, method, host);
    const sub = path.slice(CONTROL.length).replace(/\/+$/, "");
    const body =
      method === "GET" || method === "DELETE"
        ? undefined
        : parseJsonBody(await readBody(req, limits.maxBodyBytes, lease), limits);
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

  function lookup(req: IncomingMessage, rawQuery: string, res: ServerResponse): void {
    limiter.take(clientIp(req));
    const q = decodeQueryJson(rawQuery, limits);
    const ident = isObject(q) ? q.ident : undefined;
    const ws = workspaceOf(store);
    if (typeof ident !== "string" || ident.trim().toLowerCase() !== ws.code.toLowerCase())
      throw new NotFoundError(`Workspace '${String(ident)}' not found on this accsyn-local server`);
    const hostname = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    sendJson(res, 200, { result: { hostname, port } });
  }

  /**
   * Rate limit and credentials, from the headers alone: a request that fails
   * them is answered before its body is read, inflated or parsed.
   */
  function authorize(req: IncomingMessage): Actor {
    limiter.take(clientIp(req));
    const creds = parseAuth(req.headers.authorization);
    const ws = workspaceOf(store);
    const wsHeader = req.headers["x-accsyn-workspace"];
    const wsName = Array.isArray(wsHeader) ? wsHeader[0] : wsHeader;
    if (!wsName) throw new AuthError("Missing X-Accsyn-Workspace header");
    if (wsName.trim().toLowerCase() !== ws.code.toLowerCase())
      throw new AuthError(`Unknown workspace '${wsName}' (this server holds '${ws.code}')`);
    return authenticate(store, creds.user, creds.key);
  }

  /** Counters, faults, then the event of an authorized caller in one transaction. */
  async function event(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    env: Envelope,
    actor: Actor,
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
    let result: unknown;
    if (uri === "api/login") {
      result = { role: actor.role, id: actor.id, session_id: randomBytes(12).toString("hex") };
    } else {
      if (opts.fileFindNeedsParent === true && isFileListWithoutParent(uri, env.id, env.data))
        throw new BadRequestError(FILE_FIND_NEEDS_PARENT);
      const ws = workspaceOf(store);
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
    if (url.length > limits.maxUrlBytes)
      throw new UriTooLongError(
        `The request URL exceeds the ${bytesHr(limits.maxUrlBytes)} limit of accsyn-local`,
      );
    const qi = url.indexOf("?");
    const path = (qi < 0 ? url : url.slice(0, qi)).replace(/\/+$/, "") || "/";
    const rawQuery = qi < 0 ? "" : url.slice(qi + 1);
    const method = (req.method ?? "GET").toUpperCase();
    // Whatever payload this request holds is given back once its reply is done.
    const lease = budget.lease();
    res.once("close", lease.release);
    if (path === CONTROL || path.startsWith(`${CONTROL}/`)) return control(req, res, path, lease);
    if (path === LOOKUP) {
      if (method !== "GET") throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      return lookup(req, rawQuery, res);
    }
    if (path === LOGIN) {
      if (method !== "PUT" && method !== "POST")
        throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      const actor = authorize(req);
      await readBody(req, limits.maxBodyBytes, lease);
      return event(req, res, "PUT", { uri: "api/login", data: null }, actor);
    }
    if (path === EVENT) {
      if (!["GET", "PUT", "POST", "DELETE"].includes(method))
        throw new NotFoundError(`Unknown operation '${method} ${path}'`);
      const actor = authorize(req);
      const body =
        method === "GET" || method === "DELETE" ? "" : await readBody(req, limits.maxBodyBytes, lease);
      return event(req, res, method, await parseEnvelope(method, rawQuery, body, limits, lease), actor);
    }
    throw new NotFoundError(
      `Unknown operation '${method} ${path}' (accsyn-local serves /api/v3/event, /api/v3/api/login and ${LOOKUP})`,
    );
  }

  const server = createServer({ maxHeaderSize: limits.maxUrlBytes + HEADER_ALLOWANCE_BYTES }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof ThrottledError) counters.throttled++;
      replyError(res, err);
    });
  });
  server.keepAliveTimeout = 5000;
  // Requests Node refuses before our handler runs (oversized URL or headers, bad HTTP) still get a JSON body.
  server.on("clientError", (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable) return socket.destroy();
    let status = "400 Bad Request";
    let message = "Malformed HTTP request";
    if (err.code === "HPE_HEADER_OVERFLOW") {
      // Node hands over the chunk it was parsing; one without a line break is
      // inside a single huge line, in practice the request line (the URL). A
      // single header line of over a megabyte would be misreported as a URL.
      const oneLine = !err.rawPacket || !err.rawPacket.includes("\r\n");
      status = oneLine ? "414 URI Too Long" : "431 Request Header Fields Too Large";
      message = oneLine
        ? `The request URL exceeds the ${bytesHr(limits.maxUrlBytes)} limit of accsyn-local`
        : `The request line and headers exceed the ${bytesHr(limits.maxUrlBytes + HEADER_ALLOWANCE_BYTES)} limit of accsyn-local`;
    }
    const body = JSON.stringify({ message });
    socket.end(
      `HTTP/1.1 ${status}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    // Closing while the client is still sending would answer its bytes with a
    // TCP reset, which can discard our reply unread. Reading no more stalls its
    // upload (TCP flow control) at no cost to us while it reads the reply.
    socket.pause();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
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

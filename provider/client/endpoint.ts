import { AccsynHttpError, AccsynUsageError } from "./errors";

/** The official client's master host (`ACCSYN_BACKEND_MASTER_HOSTNAME` in its session.py). */
export const DEFAULT_MASTER_URL = "https://master.accsyn.com:443";
/** The workspace host lookup path; the odd name is the real one. */
export const LOOKUP_PATH = "/api/v3/J3PKTtDvolDMBtTy6AFGA";

export interface EndpointOptions {
  /** Explicit origin, e.g. `http://127.0.0.1:8181` (accsyn-local). Wins over everything else. */
  endpoint?: string;
  /** `ACCSYN_PROXY`-style `accsyn:HOST:PORT` / `HOST:PORT` / `HOST`: plain HTTP to that host. */
  proxy?: string;
  /** Master host for the workspace lookup; default {@link DEFAULT_MASTER_URL}. */
  masterUrl?: string;
  /** Like the official client's `AS_DEV=true`: plain HTTP to 127.0.0.1:8181. */
  dev?: boolean;
}

/** The official client's development endpoint (`AS_DEV=true`). */
export const DEV_ORIGIN = "http://127.0.0.1:8181";

/** Origin (`scheme://host:port`, no trailing slash) of an explicit endpoint option. */
export function normalizeOrigin(endpoint: string): string {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new AccsynUsageError(`invalid endpoint URL: ${endpoint}`, {
      operation: "endpoint",
      retryable: false,
    });
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") {
    throw new AccsynUsageError(`endpoint must be http(s): ${endpoint}`, {
      operation: "endpoint",
      retryable: false,
    });
  }
  const port = u.port !== "" ? u.port : u.protocol === "https:" ? "443" : "80";
  return `${u.protocol}//${u.hostname.includes(":") ? `[${u.hostname}]` : u.hostname}:${port}`;
}

/** Parses `ACCSYN_PROXY` like the official client; only the `accsyn` proxy type is supported. */
export function parseProxy(proxy: string): string {
  const parts = proxy.trim().split(":");
  let type = "accsyn";
  let host: string;
  let port = 80;
  if (parts.length === 3) {
    type = parts[0]!;
    host = parts[1]!;
    port = Number(parts[2]);
  } else if (parts.length === 2) {
    host = parts[0]!;
    port = Number(parts[1]);
  } else if (parts.length === 1) {
    host = parts[0]!;
  } else {
    throw new AccsynUsageError(`unsupported ACCSYN_PROXY value`, { operation: "endpoint", retryable: false });
  }
  if (type !== "accsyn") {
    throw new AccsynUsageError(`unsupported proxy type "${type}" (only "accsyn")`, {
      operation: "endpoint",
      retryable: false,
    });
  }
  if (host === "" || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new AccsynUsageError(`invalid ACCSYN_PROXY host or port`, {
      operation: "endpoint",
      retryable: false,
    });
  }
  return `http://${host}:${port}`;
}

/** The lookup request path+query: the JSON `{"ident": ws}`, percent-encoded, as the whole query string. */
export function lookupPath(workspace: string): string {
  return `${LOOKUP_PATH}?${encodeURIComponent(JSON.stringify({ ident: workspace }))}`;
}

/** Turns the lookup reply `{"result": {hostname, port}}` into an https origin. */
export function originFromLookup(reply: unknown, workspace: string): string {
  const r = (reply as { result?: { hostname?: unknown; port?: unknown } } | null)?.result;
  const host = r?.hostname;
  const port = r?.port === undefined || r?.port === null ? 443 : Number(r.port);
  if (typeof host !== "string" || host === "" || !Number.isInteger(port)) {
    throw new AccsynHttpError(`workspace lookup for "${workspace}" returned no hostname`, {
      operation: "workspace/lookup",
      method: "GET",
      status: 200,
      retryable: false,
    });
  }
  return `https://${host}:${port}`;
}

/**
 * Resolves the API origin: explicit `endpoint`, else the proxy, else `dev`, else the master lookup (performed by
 * `lookup`, which receives the master origin and the path, and returns the decoded JSON reply).
 */
export async function resolveEndpoint(
  opts: EndpointOptions,
  workspace: string,
  lookup: (origin: string, path: string) => Promise<unknown>,
): Promise<string> {
  if (opts.endpoint !== undefined && opts.endpoint !== "") return normalizeOrigin(opts.endpoint);
  if (opts.proxy !== undefined && opts.proxy !== "") return parseProxy(opts.proxy);
  if (opts.dev === true) return DEV_ORIGIN;
  const master = normalizeOrigin(opts.masterUrl ?? DEFAULT_MASTER_URL);
  return originFromLookup(await lookup(master, lookupPath(workspace)), workspace);
}

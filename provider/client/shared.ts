/**
 * One client per process and identity. Every caller that asks for the same endpoint, workspace and user gets the
 * same AccsynClient, hence one login, one connection pool, and one cache of list reads that sees every write.
 *
 * The registry lives on `globalThis` (under a registered symbol) rather than in this module, because Pulumi may
 * load the provider's modules more than once in one process (a serialized dynamic provider per resource);
 * every copy then still finds the same clients.
 */
import { ApiKey, revealApiKey } from "./credentials";
import { AccsynClient } from "./client";
import { AccsynClientOptions, resolveIdentity } from "./session";

interface Entry {
  client: AccsynClient;
  apiKey: ApiKey;
  /** Every other option the client was built with; a change means a new client. */
  fingerprint: string;
}

const REGISTRY = Symbol.for("pulumi-accsyn.client.shared.v1");

function registry(): Map<string, Entry> {
  const g = globalThis as { [REGISTRY]?: Map<string, Entry> };
  g[REGISTRY] ??= new Map<string, Entry>();
  return g[REGISTRY];
}

// Functions (the logger) compare by identity: a different logger is a different configuration.
const loggers = new WeakMap<object, number>();
let lastLoggerId = 0;
function loggerId(f: object | undefined): number {
  if (f === undefined) return 0;
  const known = loggers.get(f);
  if (known !== undefined) return known;
  lastLoggerId += 1;
  loggers.set(f, lastLoggerId);
  return lastLoggerId;
}

/**
 * The shared client for these options, built on first use. Options resolve like `new AccsynClient(options)`
 * (credentials and endpoint fall back to the environment) and are keyed by endpoint, workspace and user. When
 * the same identity comes back with a different API key or different options, the client is reconfigured: a new
 * one replaces it and the old one is closed once its requests finish (later calls on it fail as closed).
 */
export function getSharedClient(options: AccsynClientOptions = {}): AccsynClient {
  const id = resolveIdentity(options);
  const key = JSON.stringify([id.endpoint, id.workspace, id.user]);
  const { apiKey: _k, env: _e, logger, ...rest } = options;
  void _k;
  void _e;
  const fingerprint = JSON.stringify([rest, loggerId(logger)]);
  const reg = registry();
  const hit = reg.get(key);
  if (hit && hit.fingerprint === fingerprint && revealApiKey(hit.apiKey) === revealApiKey(id.apiKey)) {
    return hit.client;
  }
  const client = new AccsynClient(options);
  reg.set(key, { client, apiKey: id.apiKey, fingerprint });
  if (hit) void hit.client.close();
  return client;
}

/** Closes and forgets every shared client (for tests and orderly shutdown). */
export async function closeSharedClients(): Promise<void> {
  const reg = registry();
  const clients = [...reg.values()].map((e) => e.client);
  reg.clear();
  await Promise.all(clients.map((c) => c.close()));
}

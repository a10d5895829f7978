/**
 * One client per process and identity. Every caller that asks for the same endpoint, workspace and user gets the
 * same AccsynClient, hence one login, one connection pool, and one cache of list reads that sees every write.
 *
 * The registry lives on `globalThis` (under a registered symbol) rather than in this module, because Pulumi may
 * load the provider's modules more than once in one process (a serialized dynamic provider per resource);
 * every copy then still finds the same clients.
 */
import { createHmac, randomBytes } from "node:crypto";

import { ApiKey, revealApiKey } from "./credentials";
import { AccsynClient } from "./client";
import { AccsynClientOptions, resolveIdentity } from "./session";

interface Entry {
  client: AccsynClient;
  /** The API key (keyed hash) and every other option the client was built with; a change means a new client. */
  fingerprint: string;
}

const REGISTRY = Symbol.for("pulumi-accsyn.client.shared.v1");

interface Registry {
  /**
   * Keys compare by a keyed hash, never in plain text: the registry is reachable from `globalThis`, and another
   * copy of this package could not read an `ApiKey` made by this one.
   */
  salt: Buffer;
  current: Map<string, Entry>;
  /** Clients replaced by a reconfiguration: still usable by whoever holds them, closed at shutdown. */
  retired: Set<AccsynClient>;
  /** Loggers compare by identity: a different logger is a different configuration. */
  loggers: WeakMap<object, number>;
  lastLoggerId: number;
}

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  g[REGISTRY] ??= {
    salt: randomBytes(32),
    current: new Map<string, Entry>(),
    retired: new Set<AccsynClient>(),
    loggers: new WeakMap<object, number>(),
    lastLoggerId: 0,
  };
  return g[REGISTRY];
}

function keyHash(salt: Buffer, key: ApiKey): string {
  return createHmac("sha256", salt).update(revealApiKey(key)).digest("base64");
}

function loggerId(reg: Registry, f: object | undefined): number {
  if (f === undefined) return 0;
  const known = reg.loggers.get(f);
  if (known !== undefined) return known;
  reg.lastLoggerId += 1;
  reg.loggers.set(f, reg.lastLoggerId);
  return reg.lastLoggerId;
}

/**
 * The shared client for these options, built on first use. Options resolve like `new AccsynClient(options)`
 * (credentials and endpoint fall back to the environment) and are keyed by endpoint, workspace and user. When
 * the same identity comes back with a different API key or different options, the client is reconfigured: a new
 * one is built and handed out from then on. The old one is not closed, so that a holder in the middle of its
 * work is not cut off; {@link closeSharedClients} closes it.
 */
export function getSharedClient(options: AccsynClientOptions = {}): AccsynClient {
  const id = resolveIdentity(options);
  const key = JSON.stringify([id.endpoint, id.workspace, id.user]);
  const { apiKey: _k, env: _e, logger, ...rest } = options;
  void _k;
  void _e;
  const reg = registry();
  const fingerprint = JSON.stringify([keyHash(reg.salt, id.apiKey), rest, loggerId(reg, logger)]);
  const hit = reg.current.get(key);
  if (hit && hit.fingerprint === fingerprint) return hit.client;
  const client = new AccsynClient(options);
  reg.current.set(key, { client, fingerprint });
  if (hit) reg.retired.add(hit.client);
  return client;
}

/** Closes and forgets every shared client, current and replaced (for tests and orderly shutdown). */
export async function closeSharedClients(): Promise<void> {
  const reg = registry();
  const clients = [...[...reg.current.values()].map((e) => e.client), ...reg.retired];
  reg.current.clear();
  reg.retired.clear();
  await Promise.all(clients.map((c) => c.close()));
}

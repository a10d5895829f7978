import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { DEMO_SEED, startServer } from "accsyn-local";
import type { RunningServer, SeedFile, SeedUser, StartOptions } from "accsyn-local";

export type Role = "admin" | "employee" | "standard";

/** One fault rule of the control plane (ARCHITECTURE.md). */
export interface FaultRule {
  uri?: string;
  method?: string;
  probability?: number;
  times?: number;
  action: "latency" | "throttle" | "unavailable" | "reset" | "lost-reply";
  latencyMs?: number;
  retryAfter?: number;
}

export interface Counters {
  total: number;
  byUri: Record<string, number>;
}

export interface TestServer extends RunningServer {
  dataDir: string;
  controlUrl: string;
  counters(): Promise<Counters>;
  resetCounters(): Promise<void>;
  setFaults(rules: FaultRule[]): Promise<void>;
  faults(): Promise<FaultRule[]>;
  reset(seed?: SeedFile): Promise<void>;
  /** A user of `role` with its API key, from the seed in force (the start seed, or the last one given to reset). */
  credentials(role: Role): SeedUser & { apiKey: string };
  /** stop() and remove the data directory */
  close(): Promise<void>;
}

async function control(
  url: string,
  method: "GET" | "PUT" | "POST" | "DELETE",
  body?: unknown,
): Promise<unknown> {
  const res = await request(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** A seed user of `role` with an API key, from `seed` (default DEMO_SEED). */
export function seedCredentials(role: Role, seed: SeedFile = DEMO_SEED): SeedUser & { apiKey: string } {
  const user = seed.users.find((u) => u.role === role && typeof u.apiKey === "string");
  if (!user || !user.apiKey) throw new Error(`the seed has no ${role} user with an apiKey`);
  return { ...user, apiKey: user.apiKey };
}

/** Starts accsyn-local in-process on a fresh data dir, control plane on, rate limit off. */
export async function startTestServer(opts: StartOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), "accsyn-local-test-"));
  const running = await startServer({ port: 0, dataDir, control: true, rateLimit: false, ...opts });
  const controlUrl = `${running.url}/_accsyn-local`;
  const startSeed = opts.seed ?? DEMO_SEED;
  let seed = startSeed;
  return {
    ...running,
    url: running.url,
    port: running.port,
    stop: () => running.stop(),
    dataDir,
    controlUrl,
    counters: async () => (await control(`${controlUrl}/counters`, "GET")) as Counters,
    resetCounters: async () => {
      await control(`${controlUrl}/counters`, "DELETE");
    },
    setFaults: async (rules) => {
      await control(`${controlUrl}/faults`, "PUT", rules);
    },
    faults: async () => (await control(`${controlUrl}/faults`, "GET")) as FaultRule[],
    reset: async (s?: SeedFile) => {
      await control(`${controlUrl}/reset`, "POST", s ? { seed: s } : {});
      seed = s ?? startSeed;
    },
    credentials: (role) => seedCredentials(role, seed),
    close: async () => {
      await running.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

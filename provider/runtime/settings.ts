/**
 * Provider settings: stack config (through the dynamic provider's `configure` hook) first, then the
 * environment variables the official accsyn client reads. They live in this module, inside the
 * provider process, and never in any resource's inputs, outputs or serialized provider.
 */
import { isDeepStrictEqual } from "node:util";

export interface ProviderSettings {
  workspace?: string;
  apiUser?: string;
  apiKey?: string;
  endpoint?: string;
  /** Diff against the live service (default true); `accsyn:liveDiff=false` diffs against state only. */
  liveDiff: boolean;
  /** Lifetime of the client's coalesced list reads (ms); `ACCSYN_CACHE_TTL_MS`, for benchmarks. */
  cacheTtlMs?: number;
}

let current: ProviderSettings | undefined;
let generation = 0;

export type ConfigGetter = (key: string) => string | undefined;

export function configureSettings(get: ConfigGetter): void {
  const env = process.env;
  const pick = (key: string, ...envKeys: string[]): string | undefined => {
    const v = get(`accsyn:${key}`);
    if (v !== undefined && v !== "") return v;
    for (const k of envKeys) if (env[k]) return env[k];
    return undefined;
  };
  const next: ProviderSettings = {
    workspace: pick("workspace", "ACCSYN_WORKSPACE", "ACCSYN_DOMAIN", "ACCSYN_ORG"),
    apiUser: pick("apiUser", "ACCSYN_API_USER"),
    apiKey: pick("apiKey", "ACCSYN_API_KEY"),
    endpoint: pick("endpoint"),
    liveDiff: (pick("liveDiff", "ACCSYN_LIVE_DIFF") ?? "true").toLowerCase() !== "false",
    ...(env.ACCSYN_CACHE_TTL_MS ? { cacheTtlMs: Number(env.ACCSYN_CACHE_TTL_MS) } : {}),
  };
  // The host calls `configure` once per serialized provider, i.e. once per resource kind, often
  // while other resources are mid-operation. The same settings must keep the same client: a new
  // one would log in again and hold its own cached lists, blind to the other's writes.
  if (current !== undefined && isDeepStrictEqual(current, next)) return;
  current = next;
  generation++;
}

export function settings(): ProviderSettings {
  if (!current) configureSettings(() => undefined);
  return current as ProviderSettings;
}

/** Changes whenever the settings do, so a cached client can tell it is stale. */
export function settingsGeneration(): number {
  settings();
  return generation;
}

import * as fs from "node:fs";
import * as util from "node:util";

import { AccsynUsageError } from "./errors";

/**
 * Where credentials come from, in order: explicit options, then the `.env` file named by `credentialsPath` or
 * `ACCSYN_CREDENTIALS_PATH` (which, like the official Python client, overrides the process environment), then
 * the environment: `ACCSYN_WORKSPACE` (fallbacks `ACCSYN_DOMAIN`, `ACCSYN_ORG`), `ACCSYN_API_USER`,
 * `ACCSYN_API_KEY`, `ACCSYN_PROXY`.
 */
export interface CredentialOptions {
  /** Workspace code, e.g. `"demo"`. */
  workspace?: string;
  /** API user (e-mail). */
  user?: string;
  /** API key. Kept out of every error, log line, `util.inspect` and `JSON.stringify`. */
  apiKey?: string;
  /** Path to a `.env` file (KEY=VALUE lines). */
  credentialsPath?: string;
  /** `accsyn:HOST:PORT`, `HOST:PORT` or `HOST` (port 80): plain HTTP to that host. */
  proxy?: string;
  /** The environment to read; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

const secrets = new WeakMap<ApiKey, string>();

/** An opaque holder for the API key; nothing on it reveals the key except {@link revealApiKey}. */
export class ApiKey {
  constructor(value: string) {
    secrets.set(this, value);
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [util.inspect.custom](): string {
    return "ApiKey [redacted]";
  }
}

/** The only way to read the key back (used by wire.ts to build the Authorization header). */
export function revealApiKey(key: ApiKey): string {
  const v = secrets.get(key);
  if (v === undefined) throw new TypeError("not an ApiKey");
  return v;
}

export interface ResolvedCredentials {
  workspace: string;
  user: string;
  apiKey: ApiKey;
  proxy?: string;
}

/** Parses a `.env` file the way the official client does: `KEY=VALUE`, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && /^(["']).*\1$/s.test(value)) value = value.slice(1, -1);
    if (key) out[key] = value;
  }
  return out;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== "" ? v.trim() : undefined;
}

/** Resolves the credentials; throws {@link AccsynUsageError} naming what is missing (never a value). */
export function resolveCredentials(opts: CredentialOptions = {}): ResolvedCredentials {
  const baseEnv = opts.env ?? process.env;
  const path = nonEmpty(opts.credentialsPath) ?? nonEmpty(baseEnv.ACCSYN_CREDENTIALS_PATH);
  let fileEnv: Record<string, string> = {};
  if (path !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(path, "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "EIO";
      throw new AccsynUsageError(`cannot read credentials file ${path} (${code})`, {
        operation: "credentials",
        retryable: false,
        causeCode: code,
      });
    }
    fileEnv = parseEnvFile(text);
  }
  const get = (k: string): string | undefined => nonEmpty(fileEnv[k]) ?? nonEmpty(baseEnv[k]);

  const workspace =
    nonEmpty(opts.workspace) ?? get("ACCSYN_WORKSPACE") ?? get("ACCSYN_DOMAIN") ?? get("ACCSYN_ORG");
  const user = nonEmpty(opts.user) ?? get("ACCSYN_API_USER");
  const key = nonEmpty(opts.apiKey) ?? get("ACCSYN_API_KEY");
  const proxy = nonEmpty(opts.proxy) ?? get("ACCSYN_PROXY");
  const missing: string[] = [];
  if (workspace === undefined) missing.push("workspace (ACCSYN_WORKSPACE)");
  if (user === undefined) missing.push("user (ACCSYN_API_USER)");
  if (key === undefined) missing.push("apiKey (ACCSYN_API_KEY)");
  if (missing.length > 0 || workspace === undefined || user === undefined || key === undefined) {
    throw new AccsynUsageError(`missing accsyn credentials: ${missing.join(", ")}`, {
      operation: "credentials",
      retryable: false,
    });
  }
  const out: ResolvedCredentials = { workspace, user, apiKey: new ApiKey(key) };
  if (proxy !== undefined) out.proxy = proxy;
  return out;
}

/**
 * Replaces every occurrence of the key (raw, base64, URL-encoded) in a text with `[redacted]`. Applied to every
 * message the client produces from server or network text, in case either echoes a header back.
 */
export function redact(text: string, key: ApiKey | undefined): string {
  if (key === undefined) return text;
  const raw = secrets.get(key);
  if (raw === undefined || raw === "") return text;
  const forms = new Set([raw, Buffer.from(raw, "utf8").toString("base64"), encodeURIComponent(raw)]);
  let out = text;
  for (const f of forms) if (f.length > 0) out = out.split(f).join("[redacted]");
  return out;
}

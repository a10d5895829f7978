/**
 * accsyn-local: a wire-compatible accsyn v3 API server on SQLite.
 * See emulator/README.md for the operations, rules and decisions.
 */
export type { SeedUser, SeedSite, SeedServer, SeedFile } from "./seed";
export { DEMO_SEED } from "./seed";
export type { FaultRule, FaultAction } from "./control";
import type { SeedFile } from "./seed";

export interface StartOptions {
  /** 0 = any free port (default 0 when imported, 8181 for the CLI). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite lives at <dataDir>/accsyn-local.sqlite3; omitted = in-memory. */
  dataDir?: string;
  /** Applied when the database is new; default DEMO_SEED. */
  seed?: SeedFile;
  /** Enable the control plane (default false). */
  control?: boolean;
  /** Default { perSecond: 30, burst: 60 }; false disables. */
  rateLimit?: { perSecond: number; burst: number } | false;
}

export interface RunningServer {
  /** "http://127.0.0.1:PORT" */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export { startServer } from "./server";

/** Options of startServer and the handle it returns (kept apart so server.ts and index.ts do not import each other). */
import type { Limits } from "./limits";
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
  /**
   * Refuse `file/find` without a collection (400), as a service that lists files only per collection would
   * (Decision 17); default false: it lists every collection's files.
   */
  fileFindNeedsParent?: boolean;
  /** Caps on URL, body, inflated gz_data and JSON shape; unset fields keep DEFAULT_LIMITS (limits.ts). */
  limits?: Partial<Limits>;
}

export interface RunningServer {
  /** "http://127.0.0.1:PORT" */
  url: string;
  port: number;
  stop(): Promise<void>;
}

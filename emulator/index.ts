/**
 * accsyn-local: a wire-compatible accsyn v3 API server on SQLite.
 * See emulator/README.md for the operations, rules and decisions.
 */
export type { SeedUser, SeedSite, SeedServer, SeedFile } from "./seed";
export { DEMO_SEED } from "./seed";
export type { FaultRule, FaultAction } from "./control";
export type { Limits } from "./limits";
export { DEFAULT_LIMITS } from "./limits";

export type { RunningServer, StartOptions } from "./options";
export { startServer } from "./server";

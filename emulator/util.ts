import { randomBytes, randomUUID } from "node:crypto";

/** A new 24 lower-case hex entity id. */
export function newId(): string {
  return randomBytes(12).toString("hex");
}

/** A new UUID (collection files, tasks). */
export function newUuid(): string {
  return randomUUID();
}

/** Now, UTC, formatted `YYYY-MM-DDTHH:MM:SS`. */
export function nowStamp(): string {
  return new Date().toISOString().slice(0, 19);
}

export const ID_RE = /^[0-9a-f]{24}$/;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Longest path accepted anywhere (share paths, local paths, a volume's OS paths). */
export const MAX_PATH = 4096;

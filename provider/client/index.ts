/**
 * The accsyn v3 client: re-exports only.
 * @module pulumi-accsyn/client
 */
export * from "./acls";
export * from "./client";
export * from "./coalesce";
export * from "./collections";
export * from "./creates";
export * from "./credentials";
export * from "./endpoint";
export * from "./entities";
export * from "./errors";
export * from "./ids";
export * from "./invalidation";
export * from "./log";
export * from "./outcome";
export * from "./query";
export * from "./retry";
export * from "./schemas";
export * from "./servers";
export * from "./session";
export * from "./shared";
export * from "./tasks";
export * from "./transport";
export * from "./users";
export * from "./version";
export * from "./wire";

/** The accsyn v3 client: re-exports only. */
export * from "./client";
export * from "./coalesce";
export * from "./credentials";
export * from "./endpoint";
export * from "./errors";
export * from "./query";
export * from "./schemas";
export * from "./transport";
export * from "./wire";
export * from "./version";

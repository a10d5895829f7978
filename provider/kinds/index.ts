/**
 * The registry of resource kinds: one line per kind. Each line brings the kind's definition, its
 * resource class and its Args type; the package exports, the runtime's dispatch (registry.ts) and
 * the reference docs all follow from this list.
 */
export * from "./volume";
export * from "./folder";
export * from "./home";
export * from "./collection";
export * from "./volume-server";
export * from "./grant";

import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

/** Job queues: seeded (high, medium = default, low), read-only through the API. */
export const QUEUE: KindFields = {
  kind: "queue",
  fields: [
    ...STAMPS,
    { name: "code", type: "string", description: "Code" },
    { name: "name", type: "string", description: "Name" },
    { name: "type", type: "string", description: "queue" },
    { name: "priority", type: "int", description: "Higher runs first" },
    { name: "default", type: "bool", description: "Jobs naming no queue run here" },
    { name: "status", type: "string", description: "enabled|disabled" },
  ],
};

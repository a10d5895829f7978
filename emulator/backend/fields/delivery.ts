import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

/** Deliveries (job type 7): a named set of files for recipients; see entities/deliveries.ts. */
export const DELIVERY: KindFields = {
  kind: "delivery",
  fields: [
    ...STAMPS,
    { name: "code", type: "string", create: true, aliasOf: "name", description: "Same as name" },
    { name: "name", type: "string", create: true, update: true, required: true, description: "Name" },
    {
      name: "description",
      type: "string",
      create: true,
      update: true,
      maxLength: 4096,
      description: "Message to the recipients",
    },
    { name: "metadata", type: "dict", create: true, update: true, description: "User metadata" },
    { name: "queue", type: "string", create: true, description: "Queue (id or code) for its jobs" },
    {
      name: "status",
      type: "string",
      update: true,
      description: "init on create; pending (submit) or aborted by edit",
    },
    { name: "type", type: "string", description: "delivery" },
    { name: "public", type: "bool", description: "Reachable through a public link (never in accsyn-local)" },
    { name: "user", type: "objectid", description: "Creating user" },
    { name: "user_hr", type: "string", description: "Creating user, human readable" },
    { name: "recipients", type: "int", description: "Number of recipients" },
    { name: "finished", type: "datetime", description: "Aborted or done date" },
    { name: "archived", type: "bool", description: "True for deleted deliveries (archived finds only)" },
  ],
};

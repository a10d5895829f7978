import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

export const USER: KindFields = {
  kind: "user",
  fields: [
    ...STAMPS,
    { name: "code", type: "string", create: true, required: true, description: "E-mail" },
    {
      name: "email",
      type: "string",
      create: true,
      aliasOf: "code",
      description: "E-mail (same as code; on create another name for it)",
    },
    { name: "name", type: "string", create: true, update: true, description: "Name" },
    {
      name: "role",
      type: "string",
      create: true,
      update: true,
      adminOnly: true,
      description: "admin|employee|standard|support",
    },
    { name: "status", type: "string", update: true, adminOnly: true, description: "enabled|disabled" },
    { name: "inactive", type: "bool", description: "True when deactivated" },
  ],
};

import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

/** Servers (clients of type 1) come from the seed; the API only reads them. */
export const SERVER: KindFields = {
  kind: "server",
  fields: [
    ...STAMPS,
    { name: "code", type: "string", description: "Code" },
    { name: "hostname", type: "string", description: "Host name" },
    { name: "os", type: "string", description: "linux|windows|mac" },
    { name: "site", type: "objectid", description: "Site" },
    { name: "site_hr", type: "string", description: "Site, human readable" },
    { name: "type", type: "int", description: "Client type (1 = server)" },
    { name: "status", type: "string", description: "online|offline|..." },
    { name: "user", type: "objectid", description: "The user it runs as" },
    { name: "user_hr", type: "string", description: "The user it runs as, human readable" },
    { name: "roles", type: "list", description: "Server roles (storage, ...); [] for apps" },
  ],
};

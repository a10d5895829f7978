import type { KindFields } from "./descriptor";
import { shareFields } from "./common";

export const VOLUME: KindFields = {
  kind: "volume",
  fields: [
    ...shareFields({ nameRequired: true, creatable: true }),
    {
      name: "paths",
      type: "dict",
      create: true,
      update: true,
      required: true,
      description: "Paths per OS: windows, linux, mac and their _vpn variants",
    },
    { name: "server", type: "objectid", create: true, description: "Serving server at the main site" },
    { name: "siteservers", type: "list", create: true, description: "Site server ids (other sites)" },
    { name: "default", type: "bool", create: true, update: true, description: "Main volume" },
    { name: "path", type: "string", description: "Resolved path on the serving server" },
    { name: "licensed", type: "bool", description: "Licensed" },
  ],
};

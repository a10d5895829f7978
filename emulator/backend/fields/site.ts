import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

/** Sites come from the seed; the API only reads them. */
export const SITE: KindFields = {
  kind: "site",
  fields: [
    ...STAMPS,
    { name: "code", type: "string", description: "Code" },
    { name: "name", type: "string", description: "Name" },
    { name: "main", type: "bool", description: "Main site (hq)" },
  ],
};

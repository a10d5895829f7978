import type { KindFields } from "./descriptor";
import { shareFields } from "./common";

export const COLLECTION: KindFields = {
  kind: "collection",
  fields: [
    ...shareFields({ nameRequired: true, creatable: true }),
    {
      name: "files",
      type: "list",
      create: true,
      description: "Files on accsyn notation (on create; later through file/add)",
    },
  ],
};

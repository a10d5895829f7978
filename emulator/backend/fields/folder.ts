import { MAX_PATH } from "../../util";
import type { KindFields } from "./descriptor";
import { shareFields } from "./common";

export const FOLDER: KindFields = {
  kind: "folder",
  fields: [
    ...shareFields({ nameRequired: false, creatable: true }),
    {
      name: "parent",
      type: "objectid",
      create: true,
      required: true,
      description: "Parent volume id (or code)",
    },
    { name: "parent_hr", type: "string", description: "Parent volume, human readable" },
    {
      name: "path",
      maxLength: MAX_PATH,
      type: "string",
      create: true,
      update: true,
      required: true,
      description: "Path beneath the volume",
    },
  ],
};

import { MAX_PATH } from "../../util";
import type { KindFields } from "./descriptor";
import { shareFields } from "./common";

export const HOME: KindFields = {
  kind: "home",
  fields: [
    ...shareFields({ nameRequired: false, creatable: true }),
    {
      name: "user",
      type: "objectid",
      create: true,
      description: "Owning user (id or e-mail); or give the user's e-mail as code",
    },
    { name: "user_hr", type: "string", description: "Owning user, human readable" },
    {
      name: "parent",
      type: "objectid",
      create: true,
      description: "Parent volume id (default: the main volume)",
    },
    { name: "parent_hr", type: "string", description: "Parent volume, human readable" },
    {
      name: "path",
      maxLength: MAX_PATH,
      type: "string",
      create: true,
      update: true,
      description: "Path beneath the volume (default homes/<local part of the e-mail>)",
    },
  ],
};

import type { KindFields } from "./descriptor";

export const FILE: KindFields = {
  kind: "file",
  fields: [
    { name: "id", type: "uuid", description: "File id" },
    { name: "parent", type: "objectid", description: "Collection id" },
    { name: "parent_hr", type: "string", description: "Collection, human readable" },
    { name: "path", type: "string", description: "Path on accsyn notation" },
    { name: "share", type: "objectid", description: "Share the path is on" },
    { name: "share_hr", type: "string", description: "Share the path is on, human readable" },
    { name: "created", type: "datetime", description: "Creation date (UTC)" },
    { name: "creator", type: "string", description: "Adding user" },
    {
      name: "files",
      type: "list",
      create: true,
      required: true,
      description: "On create: the paths (accsyn notation) to add to the collection given as id",
    },
  ],
};

import { MAX_PATH } from "../../util";
import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

export const TRANSFER: KindFields = {
  kind: "transfer",
  fields: [
    ...STAMPS,
    {
      name: "name",
      type: "string",
      create: true,
      update: true,
      description: "Name (default: the first source's file name)",
    },
    { name: "code", type: "string", create: true, aliasOf: "name", description: "Same as name" },
    {
      name: "type",
      type: "string",
      create: true,
      accepts: ["int"],
      description: "transfer (or 1): only transfer jobs are emulated",
    },
    {
      name: "source",
      maxLength: MAX_PATH,
      type: "string",
      create: true,
      required: true,
      accepts: ["list"],
      description: "Sender (on create: the source path, or a list of paths)",
    },
    {
      name: "destination",
      maxLength: MAX_PATH,
      type: "string",
      create: true,
      description:
        "Recipient (on create: the destination path; default for an upload to a delivery: its folder)",
    },
    {
      name: "status",
      type: "string",
      create: true,
      update: true,
      description: "init|waiting|paused on create; waiting|paused|aborted|done by edit",
    },
    { name: "metadata", type: "dict", create: true, update: true, description: "User metadata" },
    { name: "priority", type: "int", create: true, update: true, description: "Priority" },
    {
      name: "allow_duplicates",
      type: "bool",
      create: true,
      description: "On create: accepted as the official client sends it (a new job has no duplicates)",
    },
    {
      name: "replace_duplicates",
      type: "bool",
      create: true,
      description: "On create: accepted, as allow_duplicates",
    },
    {
      name: "append",
      type: "bool",
      create: true,
      description: "On create: add the files to the caller's latest job between the same sides",
    },
    {
      name: "queue",
      type: "string",
      create: true,
      description: "Queue (id or code); default: a share's, else the default queue",
    },
    { name: "progress", type: "int", description: "0-100" },
    { name: "finished", type: "datetime", description: "Finished (done or aborted) date" },
    { name: "source_hr", type: "string", description: "Sender, human readable" },
    { name: "destination_hr", type: "string", description: "Recipient, human readable" },
    { name: "etr", type: "string", description: "Estimated time remaining" },
    { name: "size", type: "int", description: "Total size in bytes" },
    { name: "speed", type: "float", description: "Current speed, MB/s" },
    { name: "uri", type: "string", description: "Job URI within queues" },
    {
      name: "parent",
      type: "objectid",
      create: true,
      description: "Parent job (on create: a delivery the upload adds files to)",
    },
    { name: "parent_hr", type: "string", description: "Parent job queue, human readable" },
    { name: "user", type: "objectid", description: "Submitting user" },
    { name: "user_hr", type: "string", description: "Submitting user, human readable" },
    { name: "source_path", type: "string", description: "Source as submitted (accsyn-local)" },
    { name: "destination_path", type: "string", description: "Destination as submitted (accsyn-local)" },
  ],
};

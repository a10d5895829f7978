import { MAX_PATH } from "../../util";
import type { KindFields } from "./descriptor";

/**
 * Tasks are created as `{tasks: [...]}` on a job (each element a path, or an object
 * with the `within: "tasks"` fields) and edited as a list of `{id or uri, ...}`.
 */
export const TASK: KindFields = {
  kind: "task",
  fields: [
    { name: "id", type: "uuid", selector: true, description: "Task id (picks the task in task/edit)" },
    {
      name: "uri",
      type: "string",
      selector: true,
      accepts: ["int"],
      description: "Sequential code within the job (or picks the task in task/edit)",
    },
    {
      name: "tasks",
      type: "list",
      create: true,
      required: true,
      accepts: ["dict"],
      description: "On create: paths mirrored to the job's destination, or {source, destination} object(s)",
    },
    {
      name: "allow_duplicates",
      type: "bool",
      create: true,
      description: "On create: false refuses a duplicate task",
    },
    {
      name: "replace_duplicates",
      type: "bool",
      create: true,
      description: "On create: exclude a duplicate and add anew",
    },
    {
      name: "source",
      maxLength: MAX_PATH,
      type: "dict",
      create: true,
      within: "tasks",
      accepts: ["string"],
      description: "Source party (on create, inside tasks: the source path)",
    },
    {
      name: "destination",
      maxLength: MAX_PATH,
      type: "dict",
      create: true,
      within: "tasks",
      accepts: ["string"],
      description: "Destination party (on create, inside tasks: the destination path)",
    },
    { name: "status", type: "string", update: true, description: "queued|failed|onhold|excluded|done" },
    { name: "priority", type: "int", update: true, description: "Priority" },
    { name: "metadata", type: "dict", update: true, description: "User metadata" },
    { name: "created", type: "datetime", description: "Creation date (UTC)" },
    { name: "finished", type: "datetime", description: "Finished date" },
    { name: "job", type: "objectid", description: "Parent job id" },
    { name: "job_hr", type: "string", description: "Parent job, human readable" },
    { name: "size", type: "int", description: "Size of the source file/directory" },
    { name: "time", type: "int", description: "Time to execute the task bucket" },
  ],
};

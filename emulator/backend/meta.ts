/** `entitytypes` and `attributes`: what the emulator knows about each entity type. */
import { BadRequestError } from "../errors";
import { asData } from "./validate";

interface Attr {
  name: string;
  type: string;
  create?: boolean;
  update?: boolean;
  required?: boolean;
  description: string;
}

const STAMPS: Attr[] = [
  { name: "id", type: "objectid", description: "Internal id (24 hex)" },
  { name: "created", type: "datetime", description: "Creation date (UTC)" },
  { name: "creator", type: "string", description: "Creating user" },
  { name: "modified", type: "datetime", description: "Last modification (UTC)" },
  { name: "modifier", type: "string", description: "Last modifying user" },
];

const SHARE_COMMON: Attr[] = [
  ...STAMPS,
  {
    name: "code",
    type: "string",
    create: true,
    update: true,
    description: "Unique API code among all shares",
  },
  { name: "name", type: "string", create: true, update: true, required: true, description: "Name" },
  { name: "description", type: "string", create: true, update: true, description: "Description" },
  { name: "email", type: "string", create: true, update: true, description: "Extra notification e-mails" },
  { name: "metadata", type: "dict", create: true, update: true, description: "User metadata" },
  { name: "queue", type: "string", create: true, update: true, description: "Default queue for jobs" },
  { name: "status", type: "string", create: true, update: true, description: "enabled|disabled (writable)" },
  { name: "inactive", type: "bool", description: "True when deactivated" },
  { name: "type", type: "string", description: "Share type" },
];

const SUBSHARE: Attr[] = [
  { name: "parent", type: "objectid", create: true, required: true, description: "Parent volume id" },
  { name: "parent_hr", type: "string", description: "Parent volume, human readable" },
  {
    name: "path",
    type: "string",
    create: true,
    update: true,
    required: true,
    description: "Path beneath volume",
  },
];

const ATTRIBUTES: Record<string, Attr[]> = {
  volume: [
    ...SHARE_COMMON,
    { name: "paths", type: "dict", create: true, update: true, required: true, description: "Paths per OS" },
    { name: "server", type: "objectid", create: true, description: "Serving server at the main site" },
    { name: "siteservers", type: "list", create: true, description: "Site server ids" },
    { name: "default", type: "bool", create: true, update: true, description: "Main volume" },
    { name: "path", type: "string", description: "Resolved path on the serving server" },
    { name: "licensed", type: "bool", description: "Licensed" },
  ],
  folder: [...SHARE_COMMON, ...SUBSHARE],
  home: [
    ...SHARE_COMMON,
    ...SUBSHARE.map((a) => ({ ...a, required: false })),
    {
      name: "user",
      type: "objectid",
      create: true,
      required: true,
      description: "Owning user (id or e-mail)",
    },
  ],
  collection: [
    ...SHARE_COMMON,
    { name: "files", type: "list", create: true, description: "Files on accsyn notation" },
  ],
  file: [
    { name: "id", type: "uuid", description: "File id" },
    { name: "parent", type: "objectid", description: "Collection id" },
    { name: "path", type: "string", create: true, required: true, description: "Path on accsyn notation" },
    { name: "share", type: "objectid", description: "Share the path is on" },
  ],
  acl: [
    ...STAMPS,
    { name: "entity", type: "string", create: true, required: true, description: "user:<id>" },
    { name: "target", type: "string", create: true, required: true, description: "share:<id>" },
    { name: "path", type: "string", create: true, description: "Path within the share" },
    { name: "read", type: "bool", create: true, description: "Read access" },
    { name: "write", type: "bool", create: true, description: "Write access" },
    { name: "notify", type: "bool", create: true, description: "Notify the user (default true)" },
    { name: "message", type: "string", create: true, description: "Notification message" },
    { name: "paths", type: "list", description: "All path rules {path, read, write}" },
  ],
  user: [
    ...STAMPS,
    { name: "code", type: "string", create: true, required: true, description: "E-mail" },
    { name: "name", type: "string", create: true, update: true, description: "Name" },
    {
      name: "role",
      type: "string",
      create: true,
      update: true,
      description: "admin|employee|standard|support",
    },
    { name: "status", type: "string", update: true, description: "enabled|disabled" },
  ],
  transfer: [
    ...STAMPS,
    { name: "name", type: "string", create: true, update: true, description: "Name" },
    { name: "source", type: "string", create: true, required: true, description: "Source path" },
    { name: "destination", type: "string", create: true, required: true, description: "Destination path" },
    {
      name: "status",
      type: "string",
      create: true,
      update: true,
      description: "waiting|paused|aborted|done",
    },
    { name: "metadata", type: "dict", create: true, update: true, description: "User metadata" },
    { name: "priority", type: "int", create: true, update: true, description: "Priority" },
    { name: "code", type: "string", description: "Same as name" },
    { name: "progress", type: "int", description: "0-100" },
    { name: "finished", type: "datetime", description: "Finished (done or aborted) date" },
    { name: "source_hr", type: "string", description: "Sender, human readable" },
    { name: "destination_hr", type: "string", description: "Recipient, human readable" },
    { name: "etr", type: "string", description: "Estimated time remaining" },
    { name: "size", type: "int", description: "Total size in bytes" },
    { name: "speed", type: "float", description: "Current speed, MB/s" },
    { name: "uri", type: "string", description: "Job URI within queues" },
    { name: "parent", type: "objectid", description: "Parent job queue" },
    { name: "parent_hr", type: "string", description: "Parent job queue, human readable" },
    { name: "user", type: "objectid", description: "Submitting user" },
    { name: "user_hr", type: "string", description: "Submitting user, human readable" },
    { name: "source_path", type: "string", description: "Source as submitted (accsyn-local)" },
    { name: "destination_path", type: "string", description: "Destination as submitted (accsyn-local)" },
  ],
  task: [
    { name: "id", type: "uuid", description: "Task id" },
    { name: "uri", type: "string", description: "Sequential code within the job" },
    { name: "source", type: "dict", create: true, description: "Source party" },
    { name: "destination", type: "dict", create: true, description: "Destination party" },
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
  site: [
    ...STAMPS,
    { name: "code", type: "string", description: "Code" },
    { name: "main", type: "bool", description: "Main site (hq)" },
  ],
  server: [
    ...STAMPS,
    { name: "code", type: "string", description: "Code" },
    { name: "site", type: "objectid", description: "Site" },
  ],
};
ATTRIBUTES.share = ATTRIBUTES.folder;
ATTRIBUTES.job = ATTRIBUTES.transfer;
ATTRIBUTES.client = ATTRIBUTES.server;

export function entityTypes(): string[] {
  return [
    "volume",
    "folder",
    "home",
    "collection",
    "share",
    "file",
    "acl",
    "user",
    "site",
    "server",
    "client",
    "transfer",
    "job",
    "task",
  ];
}

export function attributes(raw: unknown): Record<string, unknown>[] {
  const d = asData(raw, "attributes");
  const et = typeof d.entitytype === "string" ? d.entitytype.trim().toLowerCase().replace(/['"]/g, "") : "";
  const list = ATTRIBUTES[et];
  if (!list)
    throw new BadRequestError(
      `attributes: unknown entitytype '${String(d.entitytype)}'; known: ${entityTypes().join(", ")}`,
    );
  return list
    .filter((a) => (d.create === true ? a.create : true) && (d.update === true ? a.update : true))
    .map((a) => ({
      name: a.name,
      type: a.type,
      create: !!a.create,
      update: !!a.update,
      required: !!a.required,
      description: a.description,
    }));
}

/** Fields several kinds share: the audit stamps, and the attributes every share kind has. */
import type { Field } from "./descriptor";

export const STAMPS: readonly Field[] = [
  { name: "id", type: "objectid", description: "Internal id (24 hex)" },
  { name: "created", type: "datetime", description: "Creation date (UTC)" },
  { name: "creator", type: "string", description: "Creating user" },
  { name: "modified", type: "datetime", description: "Last modification (UTC)" },
  { name: "modifier", type: "string", description: "Last modifying user" },
];

/**
 * The attributes of every share kind. `name` is required where the kind cannot
 * derive it (volumes, collections); `type` may be sent on create but must match
 * the kind in the uri.
 */
export function shareFields(opts: { nameRequired: boolean; creatable: boolean }): Field[] {
  const c = opts.creatable;
  return [
    ...STAMPS,
    {
      name: "code",
      type: "string",
      create: c,
      update: true,
      description: "Unique API code among all shares",
    },
    {
      name: "name",
      type: "string",
      create: c,
      update: true,
      required: c && opts.nameRequired,
      description: "Name",
    },
    {
      name: "description",
      type: "string",
      create: c,
      update: true,
      maxLength: 4096,
      description: "Description",
    },
    { name: "email", type: "string", create: c, update: true, description: "Extra notification e-mails" },
    { name: "metadata", type: "dict", create: c, update: true, description: "User metadata" },
    { name: "queue", type: "string", create: c, update: true, description: "Default queue for jobs" },
    {
      name: "status",
      type: "string",
      create: c,
      update: true,
      description: "enabled|disabled (writable); offline variants derived",
    },
    {
      name: "type",
      type: "string",
      create: c,
      description: "Share type (on create it must match the uri's)",
    },
    { name: "status_hr", type: "string", description: "The status, human readable (with why when offline)" },
    { name: "inactive", type: "bool", description: "True when deactivated" },
    { name: "archived", type: "bool", description: "True for deleted shares (archived finds only)" },
  ];
}

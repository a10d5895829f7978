import { MAX_PATH } from "../../util";
import type { KindFields } from "./descriptor";
import { STAMPS } from "./common";

export const ACL: KindFields = {
  kind: "acl",
  fields: [
    ...STAMPS,
    {
      name: "entity",
      type: "string",
      create: true,
      required: true,
      description: "user:<id> (on create also user:<e-mail>)",
    },
    { name: "entity_hr", type: "string", description: "The user, human readable" },
    {
      name: "target",
      type: "string",
      create: true,
      required: true,
      description: "share:<id> (on create also share:<code>)",
    },
    { name: "target_hr", type: "string", description: "The share, human readable" },
    {
      name: "path",
      type: "string",
      create: true,
      maxLength: MAX_PATH,
      description: "Path within the share (default /)",
    },
    { name: "read", type: "bool", create: true, description: "Read access" },
    { name: "write", type: "bool", create: true, description: "Write access" },
    { name: "notify", type: "bool", create: true, description: "Notify the user (default true)" },
    { name: "description", type: "string", create: true, maxLength: 4096, description: "The grant message" },
    {
      name: "message",
      type: "string",
      create: true,
      aliasOf: "description",
      maxLength: 4096,
      description: "On create: the grant message",
    },
    {
      name: "invite",
      type: "bool",
      create: true,
      description: "On create: invite an unknown e-mail as a standard user (default true)",
    },
    { name: "acknowledged", type: "bool", description: "Seen by the user" },
    { name: "token", type: "string", description: "Invitation token" },
    { name: "role", type: "string", description: "The user's role" },
    { name: "status", type: "string", description: "enabled|offline (offline with an inactive share)" },
  ],
};

/**
 * Routing of the uris that are not `<kind>/<verb>`: settings (`setting`), the
 * audit log (`log/find`), a delivery's recipients (`job/recipient/add`,
 * `job/recipients`, `job/recipient`; `delivery/...` too) and file operations
 * (`workspace/file`). Thin, like handlers.ts.
 */
import { BadRequestError, NotFoundError } from "./errors";
import { addRecipient, listRecipients, removeRecipient } from "./backend/cascades/recipients";
import type { Ctx } from "./backend/core/context";
import { findLogs } from "./backend/entities/logs";
import { deleteSetting, getSetting, putSetting } from "./backend/entities/settings";
import { workspaceFile } from "./backend/entities/workspace-files";
import { ID_RE } from "./util";
import type { Envelope } from "./wire";

type Route = (ctx: Ctx, id: string | undefined, env: Envelope) => unknown;

const ROUTES: Record<string, Partial<Record<string, Route>>> = {
  setting: {
    GET: (c, id, e) => getSetting(c, id, e.data),
    PUT: (c, id, e) => putSetting(c, id, e.data),
    DELETE: (c, id, e) => deleteSetting(c, id, e.data),
  },
  "log/find": { GET: (c, id, e) => findLogs(c, id, e.data) },
  "job/recipient/add": { PUT: (c, id, e) => addRecipient(c, id, e.data) },
  "job/recipients": { GET: (c, id) => listRecipients(c, id) },
  "job/recipient": { DELETE: (c, id, e) => removeRecipient(c, id, e.data) },
  "workspace/file": {
    GET: (c, _id, e) => workspaceFile(c, "GET", e.data),
    POST: (c, _id, e) => workspaceFile(c, "POST", e.data),
    PUT: (c, _id, e) => workspaceFile(c, "PUT", e.data),
  },
};

function entityId(env: Envelope): string | undefined {
  if (env.id === undefined || env.id === null || env.id === "") return undefined;
  if (typeof env.id !== "string" || !ID_RE.test(env.id))
    throw new BadRequestError(
      `The event 'id' must be an entity id of 24 lower-case hex characters, got ${JSON.stringify(env.id)}`,
    );
  return env.id;
}

/** The route for this (lower-case, trimmed) uri, if it is one of these; `delivery/` stands for `job/`. */
export function extraRoute(uri: string): Partial<Record<string, Route>> | undefined {
  return ROUTES[uri.replace(/^delivery\//, "job/")];
}

export function dispatchExtra(ctx: Ctx, method: string, uri: string, env: Envelope): unknown {
  const routes = extraRoute(uri);
  const run = routes?.[method];
  if (!routes || !run) {
    const allowed = Object.keys(routes ?? {}).join(" or ");
    throw new NotFoundError(`Unknown operation '${method} ${uri}'${allowed ? ` (expected ${allowed})` : ""}`);
  }
  return run(ctx, entityId(env), env);
}

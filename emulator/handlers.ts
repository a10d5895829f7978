/**
 * Routing of the envelope `uri` (plus HTTP method) to the backend. Handlers are
 * thin: they pick arguments out of the envelope and return the `result` value.
 */
import { BadRequestError, NotFoundError, forbidden } from "./errors";
import { activateShare, deactivateShare, deleteShare } from "./backend/cascades/shares";
import { grant } from "./backend/cascades/grants";
import { createOrReviveUser, setUserActive } from "./backend/cascades/users";
import { type Ctx, publicView, requireRole } from "./backend/core/context";
import { parseFlags } from "./backend/core/find";
import type { ShareKind } from "./backend/core/lookup";
import { deleteAcl, findAcls } from "./backend/entities/acls";
import { assignServer, deassignServer, listAssignments } from "./backend/entities/assignments";
import { addFiles, findFiles, removeFiles } from "./backend/entities/collections";
import { findApps } from "./backend/entities/apps";
import { createDelivery, deleteDelivery, editDelivery, findDeliveries } from "./backend/entities/deliveries";
import { findClients, findSites } from "./backend/entities/directory";
import { recordLog } from "./backend/entities/logs";
import { findQueues } from "./backend/entities/queues";
import { createShare, editShare, findShares } from "./backend/entities/shares";
import { createTasks, editTasks, findTasks } from "./backend/entities/tasks";
import { createJob, deleteJob, editJob, findJobs } from "./backend/entities/transfers";
import { editUser, findUsers } from "./backend/entities/users";
import { attributes, entityTypes } from "./backend/fields";
import { dispatchExtra, extraRoute } from "./handlers-extra";
import { ID_RE } from "./util";
import type { Envelope } from "./wire";

type Kind =
  | ShareKind
  | "file"
  | "acl"
  | "user"
  | "site"
  | "server"
  | "client"
  | "transfer"
  | "task"
  | "workspace"
  | "delivery"
  | "queue"
  | "app";

const ALIASES: Record<string, Kind> = {
  volume: "volume",
  folder: "folder",
  home: "home",
  collection: "collection",
  share: "share",
  file: "file",
  acl: "acl",
  user: "user",
  site: "site",
  server: "server",
  client: "client",
  transfer: "transfer",
  job: "transfer",
  task: "task",
  workspace: "workspace",
  delivery: "delivery",
  queue: "queue",
  app: "app",
};

const SHARE_KINDS = ["volume", "folder", "home", "collection", "share"];
const isShare = (k: Kind): k is ShareKind => SHARE_KINDS.includes(k);

function idOf(env: Envelope): string | undefined {
  if (env.id === undefined || env.id === null || env.id === "") return undefined;
  if (typeof env.id !== "string" || !ID_RE.test(env.id))
    throw new BadRequestError(
      `The event 'id' must be an entity id of 24 lower-case hex characters, got ${JSON.stringify(env.id)}`,
    );
  return env.id;
}

function find(ctx: Ctx, kind: Kind, env: Envelope): unknown {
  const flags = parseFlags(env.data);
  const id = idOf(env);
  if (isShare(kind)) return findShares(ctx, kind, env.query, flags, id);
  switch (kind) {
    case "file":
      return findFiles(ctx, env.query, flags, id);
    case "acl":
      return findAcls(ctx, env.query, env.data, flags, id);
    case "user":
      return findUsers(ctx, env.query, flags, id);
    case "site":
      return findSites(ctx, env.query, flags, id);
    case "server":
    case "client":
      return findClients(ctx, kind === "server", env.query, flags, id);
    case "transfer":
      return findJobs(ctx, env.query, flags, id);
    case "task":
      return findTasks(ctx, env.query, flags, id);
    case "delivery":
      return findDeliveries(ctx, env.query, flags, id);
    case "queue":
      return findQueues(ctx, env.query, flags, id);
    case "app":
      return findApps(ctx, env.query, flags, id);
    default:
      return [publicView(ctx.workspace)];
  }
}

function create(ctx: Ctx, kind: Kind, env: Envelope): unknown {
  if (isShare(kind)) {
    if (kind === "share")
      throw new BadRequestError("share/create: create a volume, folder, home or collection");
    return [createShare(ctx, kind, env.data)];
  }
  switch (kind) {
    case "acl":
      return grant(ctx, env.data);
    case "user":
      return [createOrReviveUser(ctx, env.data)];
    case "transfer":
      return createJob(ctx, env.data);
    case "task":
      return createTasks(ctx, idOf(env), env.data);
    case "file":
      return addFiles(ctx, idOf(env), env.data);
    case "delivery":
      return createDelivery(ctx, env.data);
    default:
      throw forbidden(ctx.actor.role, ctx.op, `${kind} entities are read-only in accsyn-local`);
  }
}

function edit(ctx: Ctx, kind: Kind, env: Envelope): unknown {
  const id = idOf(env);
  if (!id && kind !== "task") throw new BadRequestError(`${ctx.op}: 'id' is required`);
  if (isShare(kind)) return [editShare(ctx, kind, id, env.data)];
  switch (kind) {
    case "task":
      return editTasks(ctx, id, env.data);
    case "transfer":
      return editJob(ctx, id, env.data);
    case "user":
      return [editUser(ctx, id, env.data)];
    case "delivery":
      return editDelivery(ctx, id, env.data);
    case "acl":
      throw new BadRequestError(
        "ACLs cannot be updated, use acl/create (grant) of the same path to change an ACL",
      );
    default:
      throw forbidden(ctx.actor.role, ctx.op, `${kind} entities are read-only in accsyn-local`);
  }
}

function remove(ctx: Ctx, kind: Kind, env: Envelope): unknown {
  const id = idOf(env);
  if (kind === "task")
    throw new BadRequestError(
      "Tasks cannot be deleted for audit and security reasons; set their status to excluded",
    );
  if (!id) throw new BadRequestError(`${ctx.op}: 'id' is required`);
  if (isShare(kind)) return deleteShare(ctx, kind, id, env.data);
  switch (kind) {
    case "acl":
      return deleteAcl(ctx, id);
    case "transfer":
      return deleteJob(ctx, id);
    case "user":
      return setUserActive(ctx, id, undefined, false);
    case "delivery":
      return deleteDelivery(ctx, id);
    default:
      throw forbidden(ctx.actor.role, ctx.op, `${kind} entities cannot be deleted in accsyn-local`);
  }
}

function setActive(ctx: Ctx, kind: Kind, env: Envelope, active: boolean): unknown {
  const id = idOf(env);
  if (isShare(kind)) return active ? activateShare(ctx, kind, id, env.query) : deactivateShare(ctx, kind, id);
  if (kind === "user") return setUserActive(ctx, id, env.query, active);
  throw new BadRequestError(`${ctx.op}: ${kind} entities cannot be ${active ? "activated" : "deactivated"}`);
}

const OPERATIONS: Record<string, { method: string; run: (ctx: Ctx, kind: Kind, env: Envelope) => unknown }> =
  {
    find: { method: "GET", run: find },
    create: { method: "POST", run: create },
    edit: { method: "PUT", run: edit },
    delete: { method: "DELETE", run: remove },
    deactivate: { method: "DELETE", run: (c, k, e) => setActive(c, k, e, false) },
    offline: { method: "DELETE", run: (c, k, e) => setActive(c, k, e, false) },
    activate: { method: "POST", run: (c, k, e) => setActive(c, k, e, true) },
  };

function unknown(method: string, uri: string, hint?: string): NotFoundError {
  return new NotFoundError(`Unknown operation '${method} ${uri}'${hint ? ` (${hint})` : ""}`);
}

/** The id a change was about: the event's, else the first entity of the reply (a create). */
function changedId(env: Envelope, result: unknown): string | null {
  if (typeof env.id === "string" && ID_RE.test(env.id)) return env.id;
  const first: unknown = Array.isArray(result) ? result[0] : result;
  if (first && typeof first === "object" && "id" in first && typeof first.id === "string") return first.id;
  return null;
}

/**
 * Run one event; the caller wraps this in a store transaction. Every change
 * (any method but GET) is recorded in the audit log within that transaction.
 */
export function dispatch(ctx: Ctx, method: string, env: Envelope): unknown {
  const result = route(ctx, method, env);
  if (method !== "GET")
    recordLog(ctx, method, env.uri.trim().replace(/^\/+|\/+$/g, ""), changedId(env, result));
  return result;
}

function route(ctx: Ctx, method: string, env: Envelope): unknown {
  const uri = env.uri.trim().replace(/^\/+|\/+$/g, "");
  if (extraRoute(uri.toLowerCase())) return dispatchExtra(ctx, method, uri.toLowerCase(), env);
  const parts = uri.toLowerCase().split("/");
  const want = (m: string): void => {
    if (method !== m) throw unknown(method, uri, `expected ${m}`);
  };
  if (parts.length === 1) {
    if (parts[0] === "entitytypes") {
      want("GET");
      return entityTypes();
    }
    if (parts[0] === "attributes") {
      want("GET");
      return attributes(env.data ?? {});
    }
    throw unknown(method, uri);
  }
  const kind = ALIASES[parts[0]];
  if (!kind) throw unknown(method, uri, `unknown entity type '${parts[0]}'`);
  if (parts.length === 3 && kind === "collection" && parts[1] === "file" && parts[2] === "remove") {
    want("DELETE");
    return removeFiles(ctx, idOf(env), env.data);
  }
  if (parts.length !== 2) throw unknown(method, uri);
  const verb = parts[1];
  if (kind === "file" && verb === "add") {
    want("POST");
    return addFiles(ctx, idOf(env), env.data);
  }
  if ((kind === "volume" || kind === "share") && verb === "server") {
    if (method === "PUT") return assignServer(ctx, idOf(env), env.data);
    if (method === "DELETE") return deassignServer(ctx, idOf(env), env.data);
    throw unknown(method, uri, "expected PUT (assign) or DELETE (deassign)");
  }
  if ((kind === "volume" || kind === "share") && verb === "servers") {
    want("GET");
    return listAssignments(ctx, idOf(env));
  }
  const op = OPERATIONS[verb];
  if (!op) throw unknown(method, uri);
  want(op.method);
  if (verb !== "find" && kind === "workspace") requireRole(ctx, ["admin"]);
  return op.run(ctx, kind, env);
}

import { type ShareType, isId } from "../vocabulary";
import type { Entity, EntityType, WorkspaceApi } from "./api";
import { ReferenceNotFoundError } from "./errors";
import { nearMatches } from "./near";

/** The codes (e-mails for users) of the live entities of `type` close to `value`. */
async function suggest(api: WorkspaceApi, type: EntityType, value: string): Promise<string[]> {
  const live = (await api.list(type)).filter((e) => e.inactive !== true && e.archived !== true);
  return nearMatches(
    value,
    live.map((e) => String(e.code ?? "")).filter((c) => c !== ""),
  );
}

/** The error for a reference that names nothing, with the near matches the workspace has. */
export async function notFound(
  api: WorkspaceApi,
  type: EntityType & ("User" | "Server" | ShareType),
  value: string,
  kind: string,
  field: string,
): Promise<ReferenceNotFoundError> {
  return new ReferenceNotFoundError(kind, field, type, value, await suggest(api, type, value));
}

/** A share by id or code, inactive ones included; undefined when there is none. */
export async function findShare(
  api: WorkspaceApi,
  type: ShareType,
  idOrCode: string,
): Promise<Entity | undefined> {
  const all = await api.list(type);
  const want = idOrCode.toLowerCase();
  return all.find((e) => e.id === idOrCode || String(e.code ?? "").toLowerCase() === want);
}

/** The id of the share a field refers to; {@link ReferenceNotFoundError} when there is none. */
export async function requireShareId(
  api: WorkspaceApi,
  type: ShareType,
  idOrCode: string,
  kind: string,
  field: string,
): Promise<string> {
  const share = await findShare(api, type, idOrCode);
  if (!share) throw await notFound(api, type, idOrCode, kind, field);
  return share.id;
}

export async function requireUserId(
  api: WorkspaceApi,
  idOrEmail: string,
  kind: string,
  field = "user",
): Promise<string> {
  const user = await api.findUser(idOrEmail);
  if (!user) throw await notFound(api, "User", idOrEmail, kind, field);
  return user.id;
}

export async function requireServerId(
  api: WorkspaceApi,
  idOrCode: string,
  kind: string,
  field: string,
): Promise<string> {
  const server = await api.findServer(idOrCode);
  if (!server) throw await notFound(api, "Server", idOrCode, kind, field);
  return server.id;
}

/** Shows a live reference (an id) the way the program wrote it: as an id, or as the code/e-mail. */
export async function serverAsWritten(
  api: WorkspaceApi,
  liveId: unknown,
  written: string | undefined,
): Promise<unknown> {
  if (typeof liveId !== "string" || written === undefined || isId(written)) return liveId;
  const server = await api.findServer(liveId);
  return server?.code ?? liveId;
}

import { type ShareType, isId } from "../vocabulary";
import type { Entity, WorkspaceApi } from "./api";
import { ReferenceNotFoundError } from "./errors";

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
  if (!share) throw new ReferenceNotFoundError(kind, field, type, idOrCode);
  return share.id;
}

export async function requireUserId(
  api: WorkspaceApi,
  idOrEmail: string,
  kind: string,
  field = "user",
): Promise<string> {
  const user = await api.findUser(idOrEmail);
  if (!user) throw new ReferenceNotFoundError(kind, field, "User", idOrEmail);
  return user.id;
}

export async function requireServerId(
  api: WorkspaceApi,
  idOrCode: string,
  kind: string,
  field: string,
): Promise<string> {
  const server = await api.findServer(idOrCode);
  if (!server) throw new ReferenceNotFoundError(kind, field, "Server", idOrCode);
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

import type { Entity, ShareKind, WorkspaceApi } from "./api";
import { ResourceConflictError } from "./errors";

const ID = /^[0-9a-f]{24}$/;

export function isId(v: string): boolean {
  return ID.test(v);
}

/** A share by id or code, inactive ones included; undefined when there is none. */
export async function findShare(
  api: WorkspaceApi,
  kind: ShareKind,
  idOrCode: string,
): Promise<Entity | undefined> {
  const all = await api.listShares(kind);
  const want = idOrCode.toLowerCase();
  return all.find((e) => e.id === idOrCode || String(e.code ?? "").toLowerCase() === want);
}

export async function requireShareId(
  api: WorkspaceApi,
  kind: ShareKind,
  idOrCode: string,
  field: string,
): Promise<string> {
  const share = await findShare(api, kind, idOrCode);
  if (!share) {
    throw new ResourceConflictError(
      kind,
      "lookup",
      `field '${field}': no ${kind} with id or code '${idOrCode}' exists in the workspace`,
    );
  }
  return share.id;
}

export async function requireUserId(api: WorkspaceApi, idOrEmail: string, kind: string): Promise<string> {
  const user = await api.findUser(idOrEmail);
  if (!user)
    throw new ResourceConflictError(kind, "lookup", `field 'user': no user with id or e-mail '${idOrEmail}'`);
  return user.id;
}

export async function requireServerId(
  api: WorkspaceApi,
  idOrCode: string,
  kind: string,
  field: string,
): Promise<string> {
  const server = await api.findServer(idOrCode);
  if (!server)
    throw new ResourceConflictError(
      kind,
      "lookup",
      `field '${field}': no server with id or code '${idOrCode}'`,
    );
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

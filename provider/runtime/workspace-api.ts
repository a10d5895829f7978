import {
  type AccsynClient,
  type AccsynClientOptions,
  type Acl as ClientAcl,
  getSharedClient,
  isAccsynNotFoundError,
  isAccsynUsageError,
  normalizeAclPath,
  resolveCredentials,
} from "../client";
import { type ShareType, isId } from "../vocabulary";
import type { Acl, AclRule, Assignment, CollectionFile, Entity, EntityType, WorkspaceApi } from "./api";
import { CREDENTIAL_SETTINGS, CredentialsError } from "./errors";
import { type ProviderSettings, settings, settingsGeneration } from "./settings";

/** ACLs refer to entities as "<type>:<id>". */
function refId(ref: string): string {
  return ref.split(":").pop() ?? ref;
}

function toAcl(a: ClientAcl, shareId: string): Acl {
  return {
    id: a.id,
    userId: refId(a.entity),
    shareId,
    path: normalizeAclPath(a.path),
    read: a.read,
    write: a.write,
  };
}

/** The WorkspaceApi on the accsyn client: every lookup is a coalesced list read. */
export class ClientWorkspaceApi implements WorkspaceApi {
  constructor(readonly client: AccsynClient) {}

  async list(type: EntityType): Promise<Entity[]> {
    return (await this.client.list(type, { inactive: true })) as Entity[];
  }
  async create(type: EntityType, data: Record<string, unknown>): Promise<Entity> {
    return (await this.client.create(type, data as never)) as Entity;
  }
  async update(type: EntityType, id: string, data: Record<string, unknown>): Promise<Entity> {
    return (await this.client.update(type, id, data)) as Entity;
  }
  async deactivate(type: EntityType, id: string): Promise<void> {
    await this.client.deactivate(type, id);
  }
  async activate(type: EntityType, id: string): Promise<void> {
    await this.client.activate(type, id);
  }
  async delete(type: EntityType, id: string): Promise<void> {
    await this.client.delete(type, id, { missingOk: true });
  }

  async listFiles(collectionId: string): Promise<CollectionFile[]> {
    const files = await this.client.listFiles(collectionId);
    return files.map((f) => ({ id: f.id, path: String(f.path ?? "") }));
  }
  async addFiles(collectionId: string, paths: string[]): Promise<void> {
    await this.client.addFiles(collectionId, paths);
  }
  async removeFiles(collectionId: string, fileIds: string[]): Promise<void> {
    await this.client.removeFiles(collectionId, fileIds);
  }

  async assignments(volumeId: string): Promise<Assignment[]> {
    try {
      const list = await this.client.assignments(volumeId);
      return list.map((a) => {
        const r = a as Record<string, unknown>;
        return {
          serverId: String(r.server ?? r.id),
          ...(typeof r.code === "string" ? { serverCode: r.code } : {}),
          siteServer: r.siteserver === true,
        };
      });
    } catch (e) {
      if (isAccsynNotFoundError(e)) return [];
      throw e;
    }
  }
  async assignServer(volumeId: string, serverId: string): Promise<void> {
    await this.client.assignServer(volumeId, serverId);
  }
  async deassignServer(volumeId: string, serverId: string): Promise<void> {
    await this.client.deassignServer(volumeId, serverId);
  }

  async findUser(idOrEmail: string): Promise<Entity | undefined> {
    const users = (await this.client.list("User", { inactive: true })) as Entity[];
    const want = idOrEmail.toLowerCase();
    return users.find((u) => u.id === idOrEmail || String(u.code ?? "").toLowerCase() === want);
  }
  async findServer(idOrCode: string): Promise<Entity | undefined> {
    const servers = (await this.client.list("Server", {})) as Entity[];
    const want = idOrCode.toLowerCase();
    return servers.find(
      (s) => s.id === idOrCode || (!isId(idOrCode) && String(s.code ?? "").toLowerCase() === want),
    );
  }

  async access(kind: ShareType, shareId: string): Promise<Acl[]> {
    const acls = await this.client.access(kind, shareId);
    return acls.filter((a) => refId(a.target) === shareId).map((a) => toAcl(a, shareId));
  }
  async grant(
    user: string,
    kind: ShareType,
    shareId: string,
    rule: AclRule,
    opts: { notify: boolean; message?: string; invite: boolean },
  ): Promise<Acl> {
    const acl = await this.client.grant(user, kind, shareId, { ...rule, ...opts });
    return toAcl(acl, shareId);
  }
  async revokeAcl(aclId: string): Promise<void> {
    await this.client.revokeAcl(aclId);
  }
}

function clientOptions(s: ProviderSettings): AccsynClientOptions {
  return {
    ...(s.workspace !== undefined ? { workspace: s.workspace } : {}),
    ...(s.apiUser !== undefined ? { user: s.apiUser } : {}),
    ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
    ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
    ...(s.cacheTtlMs !== undefined ? { cacheTtlMs: s.cacheTtlMs } : {}),
  };
}

/**
 * Fails before any request when credentials are missing, naming the stack config and environment
 * variables that provide them (the client alone knows only the environment).
 */
function requireCredentials(s: ProviderSettings, opts: AccsynClientOptions): void {
  try {
    resolveCredentials(opts);
  } catch (e) {
    if (!isAccsynUsageError(e)) throw e;
    const have = { workspace: s.workspace, apiUser: s.apiUser, apiKey: s.apiKey };
    const missing = CREDENTIAL_SETTINGS.filter((c) => have[c.config] === undefined);
    throw new CredentialsError(missing, missing.length === 0 ? e.message : undefined);
  }
}

let cached: { generation: number; api: ClientWorkspaceApi } | undefined;

/**
 * The one client of this provider process (one login, one pool, one coalescing cache that sees
 * every write), rebuilt only if the settings change.
 */
export function workspaceApi(): WorkspaceApi {
  const generation = settingsGeneration();
  if (!cached || cached.generation !== generation) {
    const s = settings();
    const opts = clientOptions(s);
    requireCredentials(s, opts);
    cached = { generation, api: new ClientWorkspaceApi(getSharedClient(opts)) };
  }
  return cached.api;
}

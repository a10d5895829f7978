import {
  type AccsynClient,
  type AccsynClientOptions,
  type Acl as ClientAcl,
  type UserRef,
  getSharedClient,
  isAccsynHttpError,
  isAccsynNotFoundError,
  isAccsynUsageError,
  normalizeAclPath,
  resolveCredentials,
  refId,
} from "../client";
import { type ShareType, isId } from "../vocabulary";
import type { Acl, AclRule, Assignment, CollectionFile, Entity, EntityType, WorkspaceApi } from "./api";
import { CREDENTIAL_SETTINGS, CredentialsError } from "./errors";
import { type ProviderSettings, settings, settingsGeneration } from "./settings";

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
    const files = await this.client.listFilesCached(collectionId);
    return files.map((f) => ({ id: f.id, path: String(f.path ?? "") }));
  }
  async addFiles(collectionId: string, paths: string[]): Promise<void> {
    await this.client.addFiles(collectionId, paths);
  }
  async removeFiles(collectionId: string, fileIds: string[]): Promise<void> {
    await this.client.removeFiles(collectionId, fileIds);
  }

  async assignments(volumeId: string): Promise<Assignment[]> {
    // The volume list names each volume's serving server and site servers, which is what `Volume/servers`
    // answers, so one list read serves every volume; a service that leaves them out is asked per volume.
    const volume = (await this.client.list("Volume", { inactive: true })).find((v) => v.id === volumeId);
    if (volume === undefined) return [];
    const v = volume as Record<string, unknown>;
    if (Array.isArray(v.siteservers) && (v.server === null || typeof v.server === "string")) {
      const servers = await this.client.list("Server", {});
      const code = (id: string) => servers.find((x) => x.id === id)?.code;
      const one = (serverId: string, siteServer: boolean): Assignment => {
        const serverCode = code(serverId);
        return { serverId, ...(serverCode !== undefined ? { serverCode } : {}), siteServer };
      };
      return [
        ...(typeof v.server === "string" ? [one(v.server, false)] : []),
        ...v.siteservers.filter((x): x is string => typeof x === "string").map((x) => one(x, true)),
      ];
    }
    return this.assignmentsOf(volumeId);
  }
  private async assignmentsOf(volumeId: string): Promise<Assignment[]> {
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

  async findUser(idOrEmail: string): Promise<UserRef | undefined> {
    // keyed: after an invitation only the invited user is in doubt, and what the grant told answers for them
    return this.client.findUserRef(idOrEmail);
  }
  async findServer(idOrCode: string): Promise<Entity | undefined> {
    const servers = (await this.client.list("Server", {})) as Entity[];
    const want = idOrCode.toLowerCase();
    return servers.find(
      (s) => s.id === idOrCode || (!isId(idOrCode) && String(s.code ?? "").toLowerCase() === want),
    );
  }

  async access(kind: ShareType, shareId: string): Promise<Acl[]> {
    if (!this.aclListRefused) {
      try {
        return ((await this.client.aclsByShare()).get(shareId) ?? []).map((a) => toAcl(a, shareId));
      } catch (e) {
        if (!(isAccsynHttpError(e) && e.outcome === "refused" && e.status === 400)) throw e;
        this.aclListRefused = true;
      }
    }
    const acls = await this.client.access(kind, shareId);
    return acls.filter((a) => refId(a.target) === shareId).map((a) => toAcl(a, shareId));
  }
  /**
   * Set when the service refuses `acl/find` without a target (one list of every ACL for the whole run, kept
   * current by this client's grants and revocations): each share is then asked on its own.
   */
  private aclListRefused = false;
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
    cacheTtlMs: s.cacheTtlMs ?? RUN_LONG,
  };
}

/**
 * The provider's lists live as long as its process, i.e. one run: they are read fresh when the run first needs
 * them (so out-of-band drift shows at the start of every run), kept current by the run's own writes, and read
 * again after a write that failed or whose outcome is unknown. The engine reads every resource and then diffs
 * it (refresh, preview): with lists that last the run, neither reads the service again.
 */
const RUN_LONG = Number.POSITIVE_INFINITY;

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

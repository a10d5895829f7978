import { AccsynClient } from "../client/client";
import { isAccsynNotFoundError } from "../client/errors";
import type { Acl, AclRule, Assignment, CollectionFile, Entity, ShareKind, WorkspaceApi } from "./api";
import { settings, settingsGeneration } from "./settings";

const HEX24 = /^[0-9a-f]{24}$/;

function refId(ref: unknown): string {
  // ACLs refer to entities as "<type>:<id>".
  return typeof ref === "string" ? (ref.split(":").pop() ?? ref) : "";
}

function rulesOf(acl: Record<string, unknown>): AclRule[] {
  const paths = acl.paths;
  if (Array.isArray(paths) && paths.every((p) => p && typeof p === "object")) {
    return (paths as Record<string, unknown>[]).map((p) => ({
      path: String(p.path ?? "/"),
      read: p.read === true,
      write: p.write === true,
    }));
  }
  return [{ path: String(acl.path ?? "/"), read: acl.read === true, write: acl.write === true }];
}

function toAcl(a: Record<string, unknown>, shareId: string): Acl {
  return { id: String(a.id), userId: refId(a.entity), shareId, rules: rulesOf(a) };
}

/** The WorkspaceApi on the accsyn client: every lookup is a coalesced list read. */
export class ClientWorkspaceApi implements WorkspaceApi {
  constructor(readonly client: AccsynClient) {}

  async listShares(kind: ShareKind): Promise<Entity[]> {
    return (await this.client.list(kind, { inactive: true })) as Entity[];
  }
  async createShare(kind: ShareKind, data: Record<string, unknown>): Promise<Entity> {
    return (await this.client.create(kind, data as never)) as Entity;
  }
  async updateShare(kind: ShareKind, id: string, data: Record<string, unknown>): Promise<Entity> {
    return (await this.client.update(kind, id, data)) as Entity;
  }
  async deactivateShare(kind: ShareKind, id: string): Promise<void> {
    await this.client.deactivate(kind, id);
  }
  async activateShare(kind: ShareKind, id: string): Promise<void> {
    await this.client.activate(kind, id);
  }
  async deleteShare(kind: ShareKind, id: string): Promise<void> {
    await this.client.delete(kind, id, { missingOk: true });
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
      (s) => s.id === idOrCode || (!HEX24.test(idOrCode) && String(s.code ?? "").toLowerCase() === want),
    );
  }

  async access(kind: ShareKind, shareId: string): Promise<Acl[]> {
    const acls = await this.client.access(kind, shareId);
    return acls
      .map((a) => a as unknown as Record<string, unknown>)
      .filter((a) => refId(a.target) === shareId)
      .map((a) => toAcl(a, shareId));
  }
  async grant(
    user: string,
    kind: ShareKind,
    shareId: string,
    rule: AclRule,
    opts: { notify: boolean; message?: string },
  ): Promise<Acl> {
    const acl = await this.client.grant(user, kind, shareId, { ...rule, ...opts });
    return toAcl(acl as unknown as Record<string, unknown>, shareId);
  }
  async revoke(userId: string, kind: ShareKind, shareId: string): Promise<void> {
    await this.client.revoke(userId, kind, shareId);
  }
}

let cached: { generation: number; api: ClientWorkspaceApi } | undefined;

/** One client per provider process (one pool, one coalescing cache), rebuilt if the settings change. */
export function workspaceApi(): WorkspaceApi {
  const generation = settingsGeneration();
  if (!cached || cached.generation !== generation) {
    const s = settings();
    const client = new AccsynClient({
      ...(s.workspace !== undefined ? { workspace: s.workspace } : {}),
      ...(s.apiUser !== undefined ? { user: s.apiUser } : {}),
      ...(s.apiKey !== undefined ? { apiKey: s.apiKey } : {}),
      ...(s.endpoint !== undefined ? { endpoint: s.endpoint } : {}),
      ...(s.cacheTtlMs !== undefined ? { cacheTtlMs: s.cacheTtlMs } : {}),
    });
    cached = { generation, api: new ClientWorkspaceApi(client) };
  }
  return cached.api;
}

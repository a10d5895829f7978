/**
 * Server assignments have one owner. A Volume's `server`/`siteServers` and a VolumeServer can both
 * declare that a server serves a volume; if both do, removing either de-assigns what the other
 * still declares. Each check records its claims here (the provider process serves one run), so the
 * second claimant fails at preview, naming the first.
 */
import type { WorkspaceApi } from "../runtime/api";
import { ConflictError } from "../runtime/errors";
import { isId } from "../vocabulary";

interface Claim {
  kind: "Volume" | "VolumeServer";
  resourceName: string;
  field: string;
}

const claims = new Map<string, Claim>();

function describe(c: Claim): string {
  return `${c.kind} '${c.resourceName}' (field '${c.field}')`;
}

/** The volume as its code and the server as its id, so every way of writing them compares equal. */
async function pairKey(
  api: WorkspaceApi,
  volume: string,
  server: string,
): Promise<{ key: string; volumeCode: string } | undefined> {
  let code = volume;
  if (isId(volume)) {
    const v = (await api.list("Volume")).find((e) => e.id === volume);
    if (!v) return undefined;
    code = String(v.code ?? "");
  }
  const s = await api.findServer(server);
  return { key: `${code.toLowerCase()}|${s?.id ?? server.toLowerCase()}`, volumeCode: code };
}

async function claim(api: WorkspaceApi, volume: string, server: string, mine: Claim): Promise<void> {
  const pair = await pairKey(api, volume, server);
  if (pair === undefined) return;
  const { key, volumeCode } = pair;
  const other = claims.get(key);
  if (other && !(other.kind === mine.kind && other.resourceName === mine.resourceName)) {
    throw new ConflictError({
      entity: { kind: mine.kind },
      field: mine.field,
      problem:
        `the assignment of server '${server}' to volume '${volumeCode}' is declared twice: by ${describe(mine)} ` +
        `and by ${describe(other)}; removing either would de-assign what the other declares`,
      fix:
        mine.kind === "VolumeServer" || other.kind === "VolumeServer"
          ? "declare it once: remove the VolumeServer, or remove the server from the Volume's server/siteServers"
          : "declare it once",
    });
  }
  claims.set(key, mine);
}

/** The Volume's claims (its `server` and `siteServers`), when its code is known. */
export async function claimServers(
  api: WorkspaceApi,
  v: {
    code?: string | undefined;
    server?: string | undefined;
    siteServers?: string[] | undefined;
    resourceName?: string | undefined;
  },
): Promise<void> {
  if (v.code === undefined || v.resourceName === undefined) return;
  const own = { kind: "Volume" as const, resourceName: v.resourceName };
  if (v.server !== undefined) await claim(api, v.code, v.server, { ...own, field: "server" });
  for (const s of v.siteServers ?? []) await claim(api, v.code, s, { ...own, field: "siteServers" });
}

/** A VolumeServer's claim, when its volume and server are known. */
export async function claimAssignment(
  api: WorkspaceApi,
  a: { volume?: string | undefined; server?: string | undefined; resourceName?: string | undefined },
): Promise<void> {
  if (a.volume === undefined || a.server === undefined || a.resourceName === undefined) return;
  await claim(api, a.volume, a.server, {
    kind: "VolumeServer",
    resourceName: a.resourceName,
    field: "server",
  });
}

/**
 * Assigns each server the volume does not have yet; one already assigned stays as it is (assigning
 * what is assigned changes nothing, so taking it over needs no adopt).
 */
export async function assignMissing(api: WorkspaceApi, volumeId: string, servers: unknown[]): Promise<void> {
  const wanted = servers.filter((s): s is string => typeof s === "string");
  if (wanted.length === 0) return;
  const current = new Set((await api.assignments(volumeId)).map((a) => a.serverId));
  for (const serverId of wanted) if (!current.has(serverId)) await api.assignServer(volumeId, serverId);
}

/**
 * Reads what an export needs from a live workspace with list calls: one find per entity type (all
 * ACLs in one `acl/find`), the files of each collection (accsyn lists files per collection only),
 * and server assignments from the volumes' own `server`/`siteservers` fields (one `servers` call
 * per volume only when the service leaves those out).
 */
import {
  type AccsynClient,
  type Acl,
  isAccsynAuthError,
  isAccsynError,
  isAccsynHttpError,
  normalizeAclPath,
  refId,
} from "../client";
import type { ShareType } from "../vocabulary";
import { ExportReadError } from "./errors";

/** An entity as accsyn returns it. */
export interface LiveEntity {
  id: string;
  [field: string]: unknown;
}

export interface LiveAcl {
  id: string;
  userId: string;
  shareId: string;
  path: string;
  read: boolean;
  write: boolean;
}

export interface LiveAssignment {
  serverId: string;
  siteServer: boolean;
}

/** The workspace as read, before anything is decided about it. */
export interface Snapshot {
  workspace: string;
  shares: Record<ShareType, LiveEntity[]>;
  users: LiveEntity[];
  servers: LiveEntity[];
  acls: LiveAcl[];
  /** Collection id → its files' paths, in accsyn notation. */
  files: Map<string, string[]>;
  /** Volume id → the servers assigned to it. */
  assignments: Map<string, LiveAssignment[]>;
}

/** Reports how many entities were read so far (progress on stderr for large workspaces). */
export type ReadProgress = (entities: number, what: string) => void;

export interface ReadOptions {
  progress?: ReadProgress;
  /** Told when the read takes a slower way than planned, and why. */
  warn?: (line: string) => void;
}

/** At most this many per-collection reads in flight (the client's budget paces them further). */
const CONCURRENCY = 8;

/** A client error as the exporter explains it (anything else is a bug and keeps its stack). */
function readError(operation: string, e: unknown): unknown {
  if (!isAccsynError(e)) return e;
  return new ExportReadError(
    operation,
    e.serverMessage ?? e.message,
    e.status === 401 || e.status === 403
      ? "check ACCSYN_API_USER / ACCSYN_API_KEY (or the stack's accsyn:apiUser / accsyn:apiKey); exporting needs an admin"
      : "check the endpoint (accsyn:endpoint, ACCSYN_PROXY) and that the workspace is reachable, then run it again",
  );
}

async function step<T>(operation: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    throw readError(operation, e);
  }
}

async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await each(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

function assignmentsOf(volume: LiveEntity): LiveAssignment[] | undefined {
  const site = volume.siteservers;
  if (!Array.isArray(site)) return undefined;
  const main = typeof volume.server === "string" && volume.server !== "" ? [volume.server] : [];
  return [
    ...main.map((serverId) => ({ serverId, siteServer: false })),
    ...site
      .filter((s): s is string => typeof s === "string")
      .map((serverId) => ({ serverId, siteServer: true })),
  ];
}

/**
 * Every ACL with one `acl/find`. A service that refuses a find without a target (the official
 * client always names one) is asked share by share instead, and `warn` says so.
 */
async function readAcls(
  client: AccsynClient,
  shares: Record<ShareType, LiveEntity[]>,
  warn: (line: string) => void,
): Promise<Acl[]> {
  try {
    return await client.findAll("Acl", undefined, { inactive: true });
  } catch (e) {
    if (!isAccsynHttpError(e) || e.outcome !== "refused" || isAccsynAuthError(e)) {
      throw readError("acl/find", e);
    }
    warn(
      `accsyn refused one acl/find for all shares (${e.serverMessage ?? e.message}); reading ACLs share by share`,
    );
    const all = (Object.entries(shares) as [ShareType, LiveEntity[]][]).flatMap(([type, list]) =>
      list.map((share) => ({ type, share })),
    );
    const per = await inBatches(all, ({ type, share }) =>
      step("acl/find", () => client.access(type, share.id)),
    );
    return per.flat();
  }
}

/** Reads the workspace; `progress` is told after each list. */
export async function readSnapshot(client: AccsynClient, opts: ReadOptions = {}): Promise<Snapshot> {
  const progress = opts.progress ?? (() => {});
  let count = 0;
  const seen = (n: number, what: string): void => {
    count += n;
    progress(count, what);
  };
  const list = async (type: ShareType | "User" | "Server"): Promise<LiveEntity[]> => {
    const all = (await step(`${type.toLowerCase()}/find`, () =>
      client.findAll(type, undefined, type === "Server" ? {} : { inactive: true }),
    )) as LiveEntity[];
    seen(all.length, `${type.toLowerCase()}s`);
    return all;
  };
  await step("login", () => client.login());
  const [Volume, Folder, Home, Collection, users, servers] = await Promise.all([
    list("Volume"),
    list("Folder"),
    list("Home"),
    list("Collection"),
    list("User"),
    list("Server"),
  ]);
  const shares: Record<ShareType, LiveEntity[]> = { Volume, Folder, Home, Collection };
  const shareIds = new Set(Object.values(shares).flatMap((l) => l.map((e) => e.id)));

  const rawAcls = await readAcls(client, shares, opts.warn ?? (() => {}));
  const acls: LiveAcl[] = rawAcls
    .map((a) => ({
      id: a.id,
      userId: refId(a.entity),
      shareId: refId(a.target),
      path: normalizeAclPath(a.path),
      read: a.read,
      write: a.write,
    }))
    .filter((a) => shareIds.has(a.shareId));
  seen(acls.length, "ACLs");

  const files = new Map<string, string[]>();
  await inBatches(Collection, async (c) => {
    const list = await step("file/find", () => client.listFiles(c.id));
    files.set(
      c.id,
      list.map((f) => String(f.path ?? "")),
    );
    seen(list.length, "collection files");
  });

  const assignments = new Map<string, LiveAssignment[]>();
  await inBatches(Volume, async (v) => {
    const own = assignmentsOf(v);
    if (own !== undefined) return assignments.set(v.id, own);
    const list = await step("volume/servers", () => client.assignments(v.id));
    return assignments.set(
      v.id,
      list.map((a) => ({ serverId: String(a.server ?? a.id), siteServer: a.siteserver === true })),
    );
  });

  return { workspace: client.workspace, shares, users, servers, acls, files, assignments };
}

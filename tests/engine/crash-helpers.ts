/**
 * What the crash scenarios share: `pulumi up` killed with SIGKILL (the CLI and every child), the
 * README Troubleshooting procedure followed word for word, and what accsyn and the state hold
 * afterwards, read over the raw wire so the checks do not go through the provider's own client.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunResult } from "../helpers/pulumi";
import type { Wire } from "../emulator/wire";
import type { WorkspaceStack } from "./harness";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../../scripts/pulumi-env.js") as {
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `pulumi up` in its own process group, so one kill reaches the CLI, the language host and the provider. */
export function spawnUp(stack: WorkspaceStack): ChildProcess {
  return spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.stack], {
    cwd: stack.projectDir,
    env: pulumiEnv({ backendDir: stack.backendDir }),
    stdio: "ignore",
    detached: true,
  });
}

/** SIGKILLs a process group; one already gone (the `up` exited on its own) is no error. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/** Resolves with the exit code once `child` has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export interface Kill {
  /** Milliseconds from the spawn of `up` to the SIGKILL. */
  atMs: number;
  /** True when `up` had already exited on its own: nothing was killed. */
  finished: boolean;
  /** The exit code of an `up` that exited on its own. */
  code?: number | null;
}

/**
 * Starts `up` and SIGKILLs its whole process group as soon as `ready` (polled every 20 ms with the
 * time since the spawn) says so. Throws when `ready` is still false after `timeoutMs`.
 */
export async function killUpWhen(
  stack: WorkspaceStack,
  ready: (elapsedMs: number) => boolean | Promise<boolean>,
  timeoutMs = 120_000,
): Promise<Kill> {
  const up = spawnUp(stack);
  const start = Date.now();
  try {
    for (;;) {
      const elapsed = Date.now() - start;
      if (await ready(elapsed)) break;
      if (up.exitCode !== null || up.signalCode !== null)
        return { atMs: elapsed, finished: true, code: up.exitCode };
      if (elapsed > timeoutMs) throw new Error(`up did not reach the kill point within ${timeoutMs} ms`);
      await sleep(20);
    }
  } finally {
    killGroup(up.pid as number);
  }
  const atMs = Date.now() - start;
  await exited(up);
  return { atMs, finished: false };
}

/**
 * README Troubleshooting step 2, for file backends: a kill while Pulumi writes a state file can
 * leave its `.attrs` sidecar empty (gocloud's fileblob truncates it in place before the atomic
 * rename of the file itself), and every command then fails "failed to load checkpoint: EOF". The
 * file beside it is the last complete version; without the sidecar, Pulumi reads it. Returns the
 * files removed.
 */
export function removeEmptySidecars(backendDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".attrs") && fs.statSync(file).size === 0) {
        fs.rmSync(file);
        removed.push(path.relative(backendDir, file));
      }
    }
  };
  const root = path.join(backendDir, ".pulumi");
  if (fs.existsSync(root)) walk(root);
  return removed;
}

/**
 * README Troubleshooting, steps 2 to 5 as written: the empty sidecars, `cancel --yes`,
 * `refresh --clear-pending-creates --yes --skip-preview`, then `up`. Every command must succeed.
 */
export async function followReadme(stack: WorkspaceStack): Promise<{ sidecars: string[]; up: RunResult }> {
  const sidecars = removeEmptySidecars(stack.backendDir);
  await stack.run(["cancel", "--yes", "--stack", stack.stack]);
  await stack.run(["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "--stack", stack.stack]);
  const up = await stack.run(["up", "--yes", "--stack", stack.stack]);
  return { sidecars, up };
}

export function duplicates(keys: string[]): string[] {
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/** One resource of the state (`stack export`): its kind, accsyn id and the outputs the checks use. */
export interface StateResource {
  kind: string;
  id: string;
  acls?: { id: string }[];
}

/** The state's accsyn resources by resource name, and the pending operations it still lists. */
export async function stateOf(
  stack: WorkspaceStack,
): Promise<{ resources: Record<string, StateResource>; pending: number }> {
  const exported = JSON.parse(await stack.exportState()) as {
    deployment: {
      resources?: { urn: string; type: string; id?: string; outputs?: { acls?: { id: string }[] } }[];
      pending_operations?: unknown[];
    };
  };
  const resources: Record<string, StateResource> = {};
  for (const r of exported.deployment.resources ?? []) {
    const kind = /^pulumi-nodejs:dynamic\/accsyn:(\w+)$/.exec(r.type)?.[1];
    if (kind === undefined) continue;
    resources[r.urn.split("::").pop() as string] = {
      kind,
      id: r.id ?? "",
      ...(r.outputs?.acls ? { acls: r.outputs.acls } : {}),
    };
  }
  return { resources, pending: exported.deployment.pending_operations?.length ?? 0 };
}

export const SHARE_TYPES = ["Volume", "Folder", "Home", "Collection"] as const;

/** A share as accsyn holds it; `key` is its natural key (code, or user for a home). */
export interface LiveShare {
  type: (typeof SHARE_TYPES)[number];
  id: string;
  code: string;
  key: string;
  /** Deactivated (it keeps its code, so it still holds its natural key). */
  inactive: boolean;
  /** The resource its creation marker names (metadata["pulumi-accsyn"].resource), if any. */
  marker?: string;
}

/** An ACL; `key` is its natural key, user, share and path. */
export interface LiveAcl {
  id: string;
  user: string;
  share: string;
  path: string;
  read: boolean;
  write: boolean;
  key: string;
}

/**
 * What accsyn holds: the shares of every kind (deactivated ones too, not archived ones), every
 * ACL, and, when `deep`, each volume's server assignments and each collection's files.
 */
export interface Live {
  shares: LiveShare[];
  acls: LiveAcl[];
  /** Per volume id, the ids of the servers serving it (main and site servers). */
  assignments: Record<string, string[]>;
  /** Per collection id, its files' paths. */
  files: Record<string, string[]>;
  /** User and server codes by id (ids differ between two fresh accsyn-local data sets). */
  names: Record<string, string>;
}

function markerOf(metadata: unknown): string | undefined {
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const marker = (metadata as Record<string, unknown>)["pulumi-accsyn"];
  if (typeof marker !== "object" || marker === null) return undefined;
  const resource = (marker as Record<string, unknown>).resource;
  return typeof resource === "string" ? resource : undefined;
}

export async function live(wire: Wire, opts: { deep?: boolean } = {}): Promise<Live> {
  const names: Live["names"] = {};
  for (const type of ["user", "server"]) {
    const found = (await wire.result("GET", `${type}/find`, { query: "code=*" })) as {
      id: string;
      code: string;
    }[];
    for (const e of found) names[e.id] = e.code;
  }
  const shares: LiveShare[] = [];
  for (const type of SHARE_TYPES) {
    const found = (await wire.result("GET", `${type.toLowerCase()}/find`, {
      query: "code=*",
      data: { inactive: true },
    })) as {
      id: string;
      code: string;
      user?: string;
      archived?: boolean;
      inactive?: boolean;
      metadata?: unknown;
    }[];
    for (const e of found) {
      if (e.archived === true) continue;
      const marker = markerOf(e.metadata);
      shares.push({
        type,
        id: e.id,
        code: e.code,
        key: type === "Home" ? `Home:user=${names[e.user ?? ""] ?? e.user}` : `${type}:${e.code}`,
        inactive: e.inactive === true,
        ...(marker ? { marker } : {}),
      });
    }
  }
  const acls = (
    (await wire.result("GET", "acl/find", { query: "acl" })) as {
      id: string;
      entity: string;
      target: string;
      path: string;
      read: boolean;
      write: boolean;
    }[]
  ).map((a) => ({
    id: String(a.id),
    user: a.entity,
    share: a.target,
    path: a.path,
    read: a.read,
    write: a.write,
    key: JSON.stringify([a.entity, a.target, a.path]),
  }));
  const assignments: Live["assignments"] = {};
  const files: Live["files"] = {};
  if (opts.deep) {
    for (const v of shares.filter((s) => s.type === "Volume")) {
      const list = (await wire.result("GET", "Volume/servers", { id: v.id })) as { server: string }[];
      assignments[v.id] = list.map((a) => a.server);
    }
    for (const c of shares.filter((s) => s.type === "Collection")) {
      const list = (await wire.result("GET", "file/find", { data: { parent: c.id } })) as { path: string }[];
      files[c.id] = list.map((f) => f.path);
    }
  }
  return { shares, acls, assignments, files, names };
}

/**
 * The workspace without ids, each entity named by natural keys only (share codes, user ids, server
 * ids): two runs that left the same workspace give the same lines, whatever ids accsyn gave.
 */
export function shape(l: Live): string[] {
  const names = new Map([
    ...Object.entries(l.names),
    ...l.shares.map((s): [string, string] => [s.id, s.key]),
  ]);
  const name = (ref: string) => names.get(ref.replace(/^(share|user):/, "")) ?? ref;
  return [
    ...l.shares.map((s) => `share ${s.key}${s.inactive ? " (inactive)" : ""}`),
    ...l.acls.map((a) => `acl ${name(a.user)} ${name(a.share)} ${a.path} r=${a.read} w=${a.write}`),
    ...Object.entries(l.assignments).flatMap(([v, servers]) =>
      servers.map((s) => `assign ${name(v)} ${name(s)}`),
    ),
    ...Object.entries(l.files).flatMap(([c, paths]) => paths.map((p) => `file ${name(c)} ${p}`)),
  ].sort();
}

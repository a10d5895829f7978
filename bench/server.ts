/** accsyn-local as the benchmark uses it: in this process, its counters, and what a run left in it. */
import { request } from "undici";
import { Wire } from "../tests/emulator/wire";
import { type TestServer, startTestServer } from "../tests/helpers/server";
import { BENCH_SEED, type Decl, type DriftEdit } from "./workload";

export type { TestServer };

/** accsyn-local's counters, with the 429 replies (rate-limited requests never reach `byUri`). */
export interface Counts {
  total: number;
  byUri: Record<string, number>;
  throttled: number;
}

/** accsyn-local on a free port with the bench seed; no rate limit unless one is given. */
export function startBenchServer(
  rateLimit: { perSecond: number; burst: number } | false = false,
): Promise<TestServer> {
  return startTestServer({ seed: BENCH_SEED, rateLimit });
}

export async function counts(server: TestServer): Promise<Counts> {
  const res = await request(`${server.controlUrl}/counters`);
  const body = (await res.body.json()) as Partial<Counts>;
  if (res.statusCode !== 200 || typeof body.total !== "number")
    throw new Error(`GET ${server.controlUrl}/counters → ${res.statusCode} ${JSON.stringify(body)}`);
  return { total: body.total, byUri: body.byUri ?? {}, throttled: body.throttled ?? 0 };
}

/** Calls that change something: every create, edit, delete, (de)activation, assignment and grant. */
export function mutating(byUri: Record<string, number>): number {
  return Object.entries(byUri)
    .filter(([key]) => !key.startsWith("GET ") && key !== "PUT api/login")
    .reduce((a, [, v]) => a + v, 0);
}

/** Applies the drift edits with the admin's own session, as the web app or a script would. */
export async function applyDrift(
  server: TestServer,
  edits: DriftEdit[],
  ids: Record<string, string>,
): Promise<void> {
  const wire = await Wire.login(server, server.credentials("admin"));
  for (const e of edits) {
    const id = ids[e.name];
    if (!id) throw new Error(`no id for ${e.name} in the stack's outputs`);
    await wire.result("PUT", `${e.type.toLowerCase()}/edit`, { id, data: { [e.field]: e.value } });
  }
}

/**
 * Entities accsyn-local holds twice, inactive ones included: shares by code (homes by user), ACLs
 * by (user, share, path), site assignments by (volume, server). Each list names the duplicates.
 */
export async function duplicates(server: TestServer): Promise<Record<string, string[]>> {
  const wire = await Wire.login(server, server.credentials("admin"));
  const find = async (uri: string, data: Record<string, unknown> = {}, query?: string) =>
    (await wire.result("GET", uri, { data, ...(query ? { query } : {}) })) as Record<string, unknown>[];
  const twice = (keys: string[]): string[] => [...new Set(keys.filter((k, i) => keys.indexOf(k) !== i))];
  const out: Record<string, string[]> = {};
  for (const t of ["volume", "folder", "collection"])
    out[t] = twice((await find(`${t}/find`, { inactive: true })).map((e) => String(e.code)));
  out.home = twice((await find("home/find", { inactive: true })).map((e) => String(e.user)));
  const acls = await find("acl/find", {}, "acl");
  out.acl = twice(acls.map((a) => JSON.stringify([a.entity, a.target, a.path])));
  return out;
}

/** How many entities of each declared kind accsyn-local holds active, to check a run made them all. */
export async function activeCounts(server: TestServer, decls: Decl[]): Promise<Record<string, number>> {
  const wire = await Wire.login(server, server.credentials("admin"));
  const out: Record<string, number> = {};
  for (const t of ["Volume", "Folder", "Collection"]) {
    const codes = new Set(decls.filter((d) => d.type === t).map((d) => String(d.args.code)));
    const live = (await wire.result("GET", `${t.toLowerCase()}/find`, { data: {} })) as { code?: string }[];
    out[t] = live.filter((e) => codes.has(String(e.code))).length;
  }
  return out;
}

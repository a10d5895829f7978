/** Shared setup of the client's integration tests: an accsyn-local server and demo credentials. */
import { request } from "undici";

import { DEMO_SEED, startServer } from "accsyn-local";
import { AccsynClient, AccsynClientOptions } from "pulumi-accsyn/client";

export type Running = Awaited<ReturnType<typeof startServer>>;

export function demoUser(role: "admin" | "employee" | "standard"): { code: string; apiKey: string } {
  const u = DEMO_SEED.users.find((x) => x.role === role && x.apiKey !== undefined);
  if (!u || u.apiKey === undefined) throw new Error(`DEMO_SEED has no ${role} with an apiKey`);
  return { code: u.code, apiKey: u.apiKey };
}

export function clientFor(
  server: Running,
  role: "admin" | "employee" | "standard" = "admin",
  extra: AccsynClientOptions = {},
): AccsynClient {
  const u = demoUser(role);
  return new AccsynClient({
    endpoint: server.url,
    workspace: DEMO_SEED.workspace,
    user: u.code,
    apiKey: u.apiKey,
    env: {},
    ...extra,
  });
}

/** Calls the control plane; returns the decoded JSON reply. */
export async function control(
  server: Running,
  method: "GET" | "PUT" | "POST" | "DELETE",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await request(`${server.url}/_accsyn-local/${path}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
      : {}),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`control ${method} ${path}: HTTP ${res.statusCode} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

export interface Counters {
  total: number;
  byUri: Record<string, number>;
}

export async function counters(server: Running): Promise<Counters> {
  return (await control(server, "GET", "counters")) as Counters;
}

export async function resetCounters(server: Running): Promise<void> {
  await control(server, "DELETE", "counters");
}

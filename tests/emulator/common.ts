import * as assert from "node:assert/strict";
import { pySession, runPython } from "../helpers/python";
import type { Role, TestServer } from "../helpers/server";
import { DEMO_SEED } from "accsyn-local";

export type Json = Record<string, unknown>;

/** Seed 001 "Explanation of the returned attributes" of a transfer job. */
export const TRANSFER_ATTRIBUTES = [
  "code",
  "created",
  "destination",
  "destination_hr",
  "etr",
  "finished",
  "id",
  "name",
  "progress",
  "size",
  "source",
  "source_hr",
  "speed",
  "status",
  "uri",
  "metadata",
  "parent",
  "parent_hr",
  "user",
  "user_hr",
  "modified",
  "modifier",
];

export const HEX24 = /^[0-9a-f]{24}$/;
export const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `ARGS = {...}` in Python, from a JSON-serialisable value. */
export function pyArgs(value: unknown): string {
  return `ARGS = json.loads(${JSON.stringify(JSON.stringify(value))})\n`;
}

/** Runs `script` with the official client logged in as the seed user of `role`; `s` is the session. */
export async function py(
  server: TestServer,
  role: Role,
  script: string,
  args: unknown = {},
): Promise<unknown> {
  return runPython(pyArgs(args) + "s = Session()\n" + script, pySession(server, server.credentials(role)));
}

export function obj(v: unknown, what = "value"): Json {
  assert.ok(
    v !== null && typeof v === "object" && !Array.isArray(v),
    `${what} should be an object, got ${JSON.stringify(v)}`,
  );
  return v as Json;
}

export function list(v: unknown, what = "value"): Json[] {
  assert.ok(Array.isArray(v), `${what} should be a list, got ${JSON.stringify(v)}`);
  return v as Json[];
}

/** The {"ok": ...} / {"error": ...} produced by the Python `attempt()` helper. */
export interface Attempt {
  ok?: unknown;
  error?: string;
}

export function attempt(v: unknown): Attempt {
  return obj(v, "attempt") as Attempt;
}

export function assertOk(a: Attempt, what: string): unknown {
  assert.equal(a.error, undefined, `${what} — wanted success, got error ${a.error}`);
  return a.ok;
}

export function assertError(a: Attempt, what: string, ...mustMention: (string | RegExp)[]): string {
  assert.ok(typeof a.error === "string", `${what} — wanted an error, got ${JSON.stringify(a.ok)}`);
  const msg = a.error;
  for (const m of mustMention) {
    if (typeof m === "string") {
      assert.ok(msg.toLowerCase().includes(m.toLowerCase()), `${what}: error should mention "${m}": ${msg}`);
    } else {
      assert.match(msg, m, `${what}: error should match ${m}: ${msg}`);
    }
  }
  return msg;
}

export function codes(items: Json[]): string[] {
  return items.map((i) => String(i.code)).sort();
}

let counter = 0;
/** A code unique within this process, lower-case, for shares. */
export function uniq(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/**
 * Seed servers by code → id. The seed documents never say how a server's id is
 * found; this asks `find("Server")` and then `find("Client")`, whichever the
 * server answers.
 */
export async function serverIds(server: TestServer): Promise<Record<string, string>> {
  const r = obj(
    await py(
      server,
      "admin",
      `
res = {}
for et in ["Server", "Client"]:
    a = attempt(lambda: s.find(et))
    if "ok" in a and a["ok"]:
        for c in a["ok"]:
            res[c.get("code") or c.get("hostname") or c["id"]] = c["id"]
        break
out(res)
`,
    ),
  );
  const ids: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) ids[k] = String(v);
  assert.ok(
    Object.keys(ids).length > 0,
    "no seed server could be found with find('Server') or find('Client')",
  );
  return ids;
}

/** Python source: `mkvol(s, code, server_id, **extra)` creates a volume the way seed 000 shows. */
export const PY_MKVOL = `
def mkvol(s, code, server_id, **extra):
    d = {"name": code.capitalize(), "code": code,
         "paths": {"windows": "A:", "linux": "/" + code, "mac": "/Volumes/" + code},
         "server": server_id}
    d.update(extra)
    return s.create("Volume", d)
`;

export interface SeedServerRef {
  id: string;
  code: string;
  site: string;
  os?: string;
}

/** The seed servers (DEMO_SEED) with their ids; the first site's servers first. */
export async function seedServers(server: TestServer): Promise<SeedServerRef[]> {
  const ids = await serverIds(server);
  const seed = DEMO_SEED;
  const firstSite = seed.sites?.[0]?.code;
  const refs: SeedServerRef[] = [];
  for (const s of seed.servers ?? []) {
    const id = ids[s.code] ?? (s.hostname ? ids[s.hostname] : undefined);
    if (id) refs.push({ id, code: s.code, site: s.site, os: s.os });
  }
  refs.sort((a, b) => Number(b.site === firstSite) - Number(a.site === firstSite));
  assert.ok(
    refs.length > 0,
    `seed servers ${JSON.stringify(seed.servers)} not found among ${JSON.stringify(ids)}`,
  );
  return refs;
}

/** Seed files: the workspace, its users, sites and servers applied to a new database. */
import { z } from "zod";
import { BadRequestError } from "./errors";

export interface SeedUser {
  code: string;
  name?: string;
  role: "admin" | "employee" | "standard" | "support";
  apiKey?: string;
}
export interface SeedSite {
  code: string;
  name?: string;
}
export interface SeedServer {
  code: string;
  site: string;
  os?: "linux" | "windows" | "mac";
  hostname?: string;
  /** Server roles; default `["storage"]` (a file server that can serve volumes). */
  roles?: string[];
}
/** A user's accsyn desktop app (client type 0), needed to transfer from or to that user's machine. */
export interface SeedApp {
  /** The user's e-mail. */
  user: string;
  /** The machine's host name (default: `<local part>-desktop`). */
  code?: string;
  status?: "online" | "offline";
  os?: "linux" | "windows" | "mac";
}
export interface SeedFile {
  workspace: string;
  users: SeedUser[];
  sites?: SeedSite[];
  servers?: SeedServer[];
  apps?: SeedApp[];
}

const seedSchema = z
  .object({
    workspace: z.string().min(1),
    users: z
      .array(
        z
          .object({
            code: z.string().email(),
            name: z.string().optional(),
            role: z.enum(["admin", "employee", "standard", "support"]),
            apiKey: z.string().min(1).optional(),
          })
          .strict(),
      )
      .min(1),
    sites: z.array(z.object({ code: z.string().min(1), name: z.string().optional() }).strict()).optional(),
    servers: z
      .array(
        z
          .object({
            code: z.string().min(1),
            site: z.string().min(1),
            os: z.enum(["linux", "windows", "mac"]).optional(),
            hostname: z.string().optional(),
            roles: z.array(z.string().min(1).max(64)).max(16).optional(),
          })
          .strict(),
      )
      .optional(),
    apps: z
      .array(
        z
          .object({
            user: z.string().email(),
            code: z.string().min(1).max(255).optional(),
            status: z.enum(["online", "offline"]).optional(),
            os: z.enum(["linux", "windows", "mac"]).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

/** Validate a seed (400 with the first problem on failure). */
export function parseSeed(raw: unknown): SeedFile {
  const r = seedSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new BadRequestError(`Invalid seed at '${issue.path.join(".")}': ${issue.message}`);
  }
  const seed = r.data;
  const sites = new Set((seed.sites ?? [{ code: "hq" }]).map((s) => s.code));
  for (const s of seed.servers ?? [])
    if (!sites.has(s.site))
      throw new BadRequestError(`Invalid seed: server '${s.code}' names unknown site '${s.site}'`);
  const users = new Set(seed.users.map((u) => u.code.toLowerCase()));
  for (const a of seed.apps ?? [])
    if (!users.has(a.user.toLowerCase()))
      throw new BadRequestError(`Invalid seed: app of '${a.user}' names a user the seed does not have`);
  return seed;
}

/**
 * The demo workspace. API keys (user / key):
 *   admin@example.com    / demo-admin-key     (admin)
 *   employee@example.com / demo-employee-key  (employee)
 *   standard@example.com / demo-standard-key  (standard)
 * Sites: hq (main), stockholm. Servers: hq-server (hq, linux), sto-server (stockholm, linux),
 * both with the storage role. Each user has an online desktop app (so transfers from local
 * paths are accepted, as the service accepts them only from a user with a running app).
 */
export const DEMO_SEED: SeedFile = {
  workspace: "demo",
  users: [
    { code: "admin@example.com", name: "Demo Admin", role: "admin", apiKey: "demo-admin-key" },
    { code: "employee@example.com", name: "Demo Employee", role: "employee", apiKey: "demo-employee-key" },
    { code: "standard@example.com", name: "Demo Standard", role: "standard", apiKey: "demo-standard-key" },
  ],
  sites: [
    { code: "hq", name: "Headquarters" },
    { code: "stockholm", name: "Stockholm office" },
  ],
  servers: [
    { code: "hq-server", site: "hq", os: "linux", hostname: "hq-server.local" },
    { code: "sto-server", site: "stockholm", os: "linux", hostname: "sto-server.local" },
  ],
  apps: [
    { user: "admin@example.com", code: "admin-desktop", status: "online" },
    { user: "employee@example.com", code: "employee-desktop", status: "online" },
    { user: "standard@example.com", code: "standard-desktop", status: "online" },
  ],
};

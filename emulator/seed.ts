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
}
export interface SeedFile {
  workspace: string;
  users: SeedUser[];
  sites?: SeedSite[];
  servers?: SeedServer[];
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
  return seed;
}

/**
 * The demo workspace. API keys (user / key):
 *   admin@example.com    / demo-admin-key     (admin)
 *   employee@example.com / demo-employee-key  (employee)
 *   standard@example.com / demo-standard-key  (standard)
 * Sites: hq (main), stockholm. Servers: hq-server (hq, linux), sto-server (stockholm, linux).
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
};

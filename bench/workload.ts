/**
 * The benchmark's workspace: N resources in the studio mix the issue measured (at N = 500: 10
 * volumes, 200 folders, 225 grants, 25 homes, 15 collections, 25 volume servers), the seed that
 * makes it valid (employees for the homes, sites with servers for the site assignments), and the
 * out-of-band drift applied before the drift preview.
 */
import { DEMO_SEED, type SeedFile } from "accsyn-local";
import type { Decl, Kind } from "../tests/engine/harness";

export type { Decl, Kind };

/** Extra sites, each with one linux server, so one volume can have up to this many site servers. */
const SITES = 4;
/** Employees with a home (at most this many homes). */
const EMPLOYEES = 60;

/** DEMO_SEED plus the employees and sites the workload refers to. */
export const BENCH_SEED: SeedFile = {
  ...DEMO_SEED,
  users: [
    ...DEMO_SEED.users,
    ...Array.from({ length: EMPLOYEES }, (_, i) => ({
      code: `artist${i}@studio.example`,
      name: `Artist ${i}`,
      role: "employee" as const,
    })),
  ],
  sites: [
    ...(DEMO_SEED.sites ?? []),
    ...Array.from({ length: SITES }, (_, i) => ({ code: `site${i}`, name: `Site ${i}` })),
  ],
  servers: [
    ...(DEMO_SEED.servers ?? []),
    ...Array.from({ length: SITES }, (_, i) => ({
      code: `site${i}-server`,
      site: `site${i}`,
      os: "linux" as const,
      hostname: `site${i}-server.local`,
    })),
  ],
};

/** How many of each kind N resources hold: the shares, at least one of each, grants the rest. */
export function mixOf(n: number): Record<Kind, number> {
  const share = (f: number): number => Math.max(1, Math.round(n * f));
  const m = {
    Volume: share(0.02),
    VolumeServer: share(0.05),
    Folder: share(0.4),
    Home: share(0.05),
    Collection: share(0.03),
  };
  const grants = n - Object.values(m).reduce((a, b) => a + b, 0);
  if (grants < 1) throw new Error(`N = ${n} is too small for a mix of all six kinds (at least 8)`);
  if (m.Home > EMPLOYEES)
    throw new Error(`N = ${n} needs ${m.Home} homes; the seed has ${EMPLOYEES} employees`);
  if (m.VolumeServer > m.Volume * SITES)
    throw new Error(`N = ${n}: ${m.VolumeServer} site assignments do not fit ${m.Volume} volumes`);
  return { ...m, Grant: grants };
}

const pad = (i: number): string => String(i).padStart(4, "0");

/** The N resources, in the order a studio program would declare them. */
export function workload(n: number): Decl[] {
  const m = mixOf(n);
  const out: Decl[] = [];
  for (let v = 0; v < m.Volume; v++)
    out.push({
      type: "Volume",
      name: `vol${v}`,
      args: {
        name: `Projects ${v}`,
        code: `bench_vol${v}`,
        paths: { linux: `/mnt/bench/vol${v}`, windows: `P${v}:` },
        server: "hq-server",
      },
    });
  // Assignment j: volume j mod V at site floor(j / V), so no volume gets two servers of one site.
  for (let j = 0; j < m.VolumeServer; j++)
    out.push({
      type: "VolumeServer",
      name: `vol${j % m.Volume}-site${Math.floor(j / m.Volume)}`,
      args: { volume: `@vol${j % m.Volume}`, server: `site${Math.floor(j / m.Volume)}-server` },
    });
  for (let f = 0; f < m.Folder; f++)
    out.push({
      type: "Folder",
      name: `shot${pad(f)}`,
      args: {
        name: `Shot ${pad(f)}`,
        code: `bench_shot${pad(f)}`,
        volume: `@vol${f % m.Volume}`,
        path: `shows/show${f % 7}/shots/sh${pad(f)}`,
        description: `Plates and renders of shot ${pad(f)}`,
      },
    });
  for (let h = 0; h < m.Home; h++)
    out.push({
      type: "Home",
      name: `home${h}`,
      args: {
        user: `artist${h}@studio.example`,
        description: `Home of artist ${h}`,
        volume: `@vol${h % m.Volume}`,
      },
    });
  // Every folder gets its vendor (25 vendors at N = 500); past one per folder, a client reviewer.
  const vendors = Math.max(1, Math.round(n / 20));
  for (let g = 0; g < m.Grant; g++) {
    const f = g % m.Folder;
    const second = g >= m.Folder;
    out.push({
      type: "Grant",
      name: second ? `shot${pad(f)}-review` : `shot${pad(f)}-vendor`,
      args: second
        ? {
            user: `reviewer${g % 5}@client.example`,
            share: `@shot${pad(f)}`,
            rules: [{ path: "/", read: true }],
            notify: false,
            invite: true,
          }
        : {
            user: `vendor${g % vendors}@vendors.example`,
            share: `@shot${pad(f)}`,
            rules:
              g % 2 === 0
                ? [{ path: "/", read: true }]
                : [
                    { path: "/", read: true },
                    { path: "upload", write: true },
                  ],
            notify: false,
            invite: true,
          },
    });
  }
  for (let c = 0; c < m.Collection; c++) {
    const f = (c * 13) % m.Folder;
    out.push({
      type: "Collection",
      name: `delivery${c}`,
      args: {
        name: `Delivery ${c}`,
        code: `bench_delivery${c}`,
        files: [`folder=bench_shot${pad(f)}/comp_v001.mov`, `folder=bench_shot${pad(f)}/notes.pdf`],
      },
      dependsOn: [`shot${pad(f)}`],
    });
  }
  return out;
}

/** One out-of-band edit: what the web app or a script would change on a declared entity. */
export interface DriftEdit {
  name: string;
  type: Kind;
  field: "name" | "description";
  value: string;
}

/**
 * About 10 % of the resources changed outside Pulumi, spread evenly over the kinds whose declared
 * fields an edit can change (volumes, folders, homes, collections).
 */
export function driftOf(decls: Decl[]): DriftEdit[] {
  const editable = decls.filter((d) => ["Volume", "Folder", "Home", "Collection"].includes(d.type));
  const want = Math.max(1, Math.round(decls.length * 0.1));
  const step = editable.length / want;
  return Array.from({ length: want }, (_, i) => {
    const d = editable[Math.floor(i * step)];
    return d.type === "Home"
      ? { name: d.name, type: d.type, field: "description", value: "edited in the web app" }
      : { name: d.name, type: d.type, field: "name", value: `${String(d.args.name)} (renamed by hand)` };
  });
}

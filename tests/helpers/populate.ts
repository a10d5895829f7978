/**
 * Populates an accsyn-local workspace with the official Python client (not with this provider):
 * volumes (half of them also served by a site server), users, folders, homes, collections with
 * files, and grants (one or two paths each) on folders, volumes, homes and collections; plus
 * entities an export leaves out: a deactivated folder, a deactivated collection, and a grant of a
 * deactivated user. One volume carries a metadata key the provider reserves (`pulumi-accsyn`).
 */
import { pySession, runPython } from "./python";
import type { TestServer } from "./server";

export interface PopulationSize {
  volumes: number;
  users: number;
  folders: number;
  homes: number;
  collections: number;
  /** Grants on folders; plus one per volume, per home and per collection up to `users`. */
  grants: number;
}

/** The resources an export of the whole (active) workspace declares, per kind, and their ids. */
export interface Population {
  counts: {
    Volume: number;
    VolumeServer: number;
    Folder: number;
    Home: number;
    Collection: number;
    Grant: number;
  };
  /** The active shares' ids by code (homes by their user's e-mail). */
  ids: Record<string, string>;
  /** What is left out unless --include-inactive (shares) or always (the deactivated user's grant). */
  inactive: { folder: string; collection: string; user: string };
  total: number;
}

export const SMALL: PopulationSize = {
  volumes: 3,
  users: 6,
  folders: 8,
  homes: 3,
  collections: 3,
  grants: 8,
};

/** At least 300 resources of every kind (the round trip of tests/engine/export.test.ts). */
export const ROUND_TRIP: PopulationSize = {
  volumes: 4,
  users: 26,
  folders: 96,
  homes: 26,
  collections: 26,
  grants: 96,
};

/** About 1,000 resources (the export time measurement). */
export const THOUSAND: PopulationSize = {
  volumes: 10,
  users: 60,
  folders: 400,
  homes: 60,
  collections: 100,
  grants: 300,
};

const SCRIPT = `
A = ARGS
s = Session()
srv = {x["code"]: x["id"] for x in s.find("Server")}
ids = {}
vols = []
for i in range(A["volumes"]):
    code = "vol%02d" % i
    d = {"name": "Volume %d" % i, "code": code, "paths": {"linux": "/mnt/" + code, "windows": "V%d:" % i},
         "server": srv["hq-server"]}
    if i == 1:
        d["description"] = "Delivered: read-mostly # not a comment"
        d["metadata"] = {"tier": "archive", "pulumi-accsyn": {"pending": "create"}}
    v = s.create("Volume", d)
    if i % 2 == 0:
        s.assign("Volume", "server", {"volume": v["id"], "server": srv["sto-server"]})
    ids[code] = v["id"]
    vols.append(v)
users = []
for i in range(A["users"]):
    u = s.create("User", {"code": "artist%03d@studio.example" % i, "role": "employee" if i % 3 == 0 else "standard"})
    users.append(u)
folders = []
for i in range(A["folders"]):
    v = vols[i % len(vols)]
    f = s.create("Folder", {"name": "Show %03d" % i, "code": "show%03d" % i, "parent": v["id"],
                            "path": "shows/show%03d" % i})
    ids[f["code"]] = f["id"]
    folders.append(f)
s.update("Folder", folders[0]["id"], {"status": "disabled", "description": "on hold"})
homes = []
for i in range(A["homes"]):
    d = {"user": users[i]["id"]}
    if i % 2 == 1:
        d["parent"] = vols[1 % len(vols)]["id"]
    h = s.create("Home", d)
    ids[users[i]["code"]] = h["id"]
    homes.append(h)
colls = []
for i in range(A["collections"]):
    c = s.create("Collection", {"name": "Package %03d" % i, "code": "pkg%03d" % i,
                                "files": ["folder=show%03d/ref/a.pdf" % (i % A["folders"]), "volume=vol00/lib/b%03d.mov" % i]})
    ids[c["code"]] = c["id"]
    colls.append(c)
grants = 0
for i in range(A["grants"]):
    u = users[i % len(users)]
    f = folders[i % len(folders)]
    s.grant("User", u["id"], "Folder", f["id"], {"read": True, "path": "/"})
    if i % 4 == 0:
        s.grant("User", u["id"], "Folder", f["id"], {"write": True, "path": "upload"})
    grants += 1
for i, v in enumerate(vols):
    s.grant("User", users[i % len(users)]["id"], "Volume", v["id"], {"read": True, "write": True})
    grants += 1
for i, h in enumerate(homes):
    s.grant("User", users[i]["id"], "Home", h["id"], {"read": True, "write": True})
    grants += 1
for i, c in enumerate(colls[: len(users)]):
    s.grant("User", users[(i + 1) % len(users)]["id"], "Collection", c["id"], {"read": True})
    grants += 1
gone = s.create("Folder", {"name": "Retired", "code": "retired", "parent": vols[0]["id"], "path": "retired"})
s.deactivate_one("Folder", gone["id"])
gone_c = s.create("Collection", {"name": "Old package", "code": "oldpkg", "files": ["volume=vol00/old.mov"]})
s.deactivate_one("Collection", gone_c["id"])
left = s.create("User", {"code": "left@studio.example", "role": "standard"})
s.grant("User", left["id"], "Folder", folders[0]["id"], {"read": True})
s.deactivate_one("User", left["id"])
counts = {"Volume": len(vols), "VolumeServer": (len(vols) + 1) // 2, "Folder": len(folders), "Home": len(homes),
          "Collection": len(colls), "Grant": grants}
out({"counts": counts, "ids": ids, "inactive": {"folder": gone["id"], "collection": gone_c["id"], "user": left["id"]},
     "total": sum(counts.values())})
`;

/** Populates the workspace of `server` (demo seed) as its admin; resolves to what was made. */
export async function populate(server: TestServer, size: PopulationSize): Promise<Population> {
  const args = `ARGS = json.loads(${JSON.stringify(JSON.stringify(size))})\n`;
  return (await runPython(
    args + SCRIPT,
    pySession(server, server.credentials("admin")),
    300_000,
  )) as Population;
}

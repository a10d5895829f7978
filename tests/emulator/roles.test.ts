import * as assert from "node:assert/strict";
import { startTestServer, type Role, type TestServer } from "../helpers/server";
import {
  PY_MKVOL,
  attempt,
  list,
  obj,
  py,
  seedServers,
  uniq,
  type Attempt,
  type SeedServerRef,
} from "./common";

// Roles (wire §6 "Roles", seed 000): admin creates volumes and assigns servers; an
// employee has no volume access until granted and can create folders where
// granted; a standard user cannot create shares and sees only what ACLs grant.
describe("role × operation table", function () {
  this.timeout(120_000);
  let server: TestServer;
  let hq: SeedServerRef;
  let granted: string; // volume granted to the employee and (a folder in it) to the standard user
  let ungranted: string;
  let grantedFolder: string;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
    const r = obj(
      await py(
        server,
        "admin",
        PY_MKVOL +
          `
g = mkvol(s, "granted", ARGS["server"])
u = mkvol(s, "ungranted", ARGS["server"])
s.grant("User", ARGS["emp"], "Volume", g["id"])
f = s.create("Folder", {"parent": g["id"], "path": "shared", "name": "Shared", "code": "sharedf"})
s.grant("User", ARGS["std"], "Folder", f["id"], {"read": True})
out({"g": g["id"], "u": u["id"], "f": f["id"]})
`,
        { server: hq.id, emp: server.credentials("employee").code, std: server.credentials("standard").code },
      ),
    );
    granted = String(r.g);
    ungranted = String(r.u);
    grantedFolder = String(r.f);
  });
  after(async () => server?.close());

  interface Row {
    op: string;
    uri: string;
    allowed: Role[];
    /** roles the documents say nothing about for this operation */
    unspecified?: Role[];
    script: () => string;
  }

  const rows: Row[] = [
    {
      op: "volume create",
      uri: "volume/create",
      allowed: ["admin"],
      script: () =>
        `s.create("Volume", {"name": "R", "code": "${uniq("rv")}", "paths": {"linux": "/r", "windows": "R:", "mac": "/Volumes/r"}, "server": "${hq.id}"})`,
    },
    {
      op: "folder create on a granted volume",
      uri: "folder/create",
      allowed: ["admin", "employee"],
      script: () =>
        `s.create("Folder", {"parent": "${granted}", "path": "${uniq("p")}", "name": "${uniq("F")}"})`,
    },
    {
      op: "folder create on an ungranted volume",
      uri: "folder/create",
      allowed: ["admin"],
      script: () =>
        `s.create("Folder", {"parent": "${ungranted}", "path": "${uniq("p")}", "name": "${uniq("F")}"})`,
    },
    {
      op: "collection create",
      uri: "collection/create",
      allowed: ["admin"],
      unspecified: ["employee"],
      script: () => `s.create("Collection", {"name": "${uniq("C")}", "files": ["volume=granted/a/b.txt"]})`,
    },
    {
      op: "deassign server",
      uri: "volume/server",
      allowed: ["admin"],
      script: () => `s.deassign("Volume", "server", {"volume": "${ungranted}", "server": "${hq.id}"})`,
    },
    {
      op: "assign server",
      uri: "share/server",
      allowed: ["admin"],
      script: () => `s.assign("Volume", "server", {"volume": "${ungranted}", "server": "${hq.id}"})`,
    },
    {
      op: "grant on a volume",
      uri: "acl/create",
      allowed: ["admin"],
      unspecified: ["employee"],
      script: () => `s.grant("User", "${uniq("g")}@example.com", "Volume", "${ungranted}", {"read": True})`,
    },
    {
      op: "volume update",
      uri: "volume/edit",
      allowed: ["admin"],
      script: () => `s.update("Volume", "${ungranted}", {"description": "${uniq("d")}"})`,
    },
  ];

  for (const row of rows) {
    for (const role of ["admin", "employee", "standard"] as Role[]) {
      if (row.unspecified?.includes(role)) continue;
      const allowed = row.allowed.includes(role);
      it(`${role} × ${row.op} → ${allowed ? "allowed" : "denied"}`, async () => {
        const a: Attempt = attempt(await py(server, role, `out(attempt(lambda: ${row.script()}))`));
        if (allowed) {
          assert.equal(a.error, undefined, `${role} should be allowed to ${row.op}: ${a.error}`);
        } else {
          assert.ok(
            typeof a.error === "string",
            `${role} should be denied ${row.op}, got ${JSON.stringify(a.ok)}`,
          );
          const m = a.error.toLowerCase();
          assert.ok(m.includes(role), `denial names the role "${role}": ${a.error}`);
          const [et, verb] = row.uri.split("/");
          assert.ok(
            m.includes(row.uri) || (m.includes(et) && m.includes(verb)),
            `denial names the operation ${row.uri}: ${a.error}`,
          );
        }
      });
    }
  }

  it("find volumes: admin sees all, employee only granted, standard none", async () => {
    const seen: Record<string, string[]> = {};
    for (const role of ["admin", "employee", "standard"] as Role[]) {
      seen[role] = list(await py(server, role, `out(s.find("Volume"))`)).map((v) => String(v.id));
    }
    assert.ok(seen.admin.includes(granted) && seen.admin.includes(ungranted));
    assert.ok(seen.employee.includes(granted), "employee sees the granted volume");
    assert.ok(!seen.employee.includes(ungranted), "employee does not see an ungranted volume");
    assert.ok(
      !seen.standard.includes(granted) && !seen.standard.includes(ungranted),
      "standard sees no volume",
    );
  });

  it("find folders: standard sees only the folder its ACL grants", async () => {
    const r = obj(
      await py(
        server,
        "admin",
        `
f2 = s.create("Folder", {"parent": ARGS["g"], "path": "other", "name": "Other", "code": "otherf"})
out({"f2": f2["id"]})
`,
        { g: granted },
      ),
    );
    const std = list(await py(server, "standard", `out(s.find("Folder"))`)).map((v) => String(v.id));
    assert.ok(std.includes(grantedFolder), "standard sees the granted folder");
    assert.ok(!std.includes(String(r.f2)), "standard does not see an ungranted folder");
  });

  it("an employee loses the volume again after revoke", async () => {
    await py(server, "admin", `out(s.revoke("User", ARGS["emp"], "Volume", ARGS["g"]))`, {
      emp: server.credentials("employee").code,
      g: granted,
    });
    const emp = list(await py(server, "employee", `out(s.find("Volume"))`)).map((v) => String(v.id));
    assert.ok(!emp.includes(granted));
    const a = attempt(
      await py(
        server,
        "employee",
        `out(attempt(lambda: s.create("Folder", {"parent": ARGS["g"], "path": "late", "name": "Late"})))`,
        {
          g: granted,
        },
      ),
    );
    assert.ok(a.error, "employee can no longer create folders on the revoked volume");
  });
});

import * as assert from "node:assert/strict";

import { DEMO_SEED, startServer } from "accsyn-local";
import { AccsynClient, q } from "pulumi-accsyn/client";
import { pySession, runPython } from "../helpers/python";
import { clientFor, demoUser, Running } from "./local";

describe("client interop with the official Python client (accsyn-python-api 3.4.0)", function () {
  this.timeout(300_000);
  let server: Running;
  let c: AccsynClient;
  let env: Record<string, string>;
  let hq: string;

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
    c = clientFor(server);
    env = pySession(server, demoUser("admin"), DEMO_SEED.workspace);
    hq = (await c.find("Server")).find((s) => s.code === "hq-server")?.id ?? "";
  });
  after(async () => {
    await c?.close();
    await server?.stop();
  });

  it("Python writes, TypeScript reads", async () => {
    const out = (await runPython(
      `
s = Session()
v = s.create("Volume", {"name": "Py Volume", "code": "pyvol", "paths": {"linux": "/pyvol"}, "server": "${hq}"})
f = s.create("Folder", {"parent": v["id"], "path": "pyvol/Shared Stuff", "name": "Shared Stuff"})
emp = s.find_one("User WHERE code=${demoUser("employee").code}")
acl = s.grant("User", emp["id"], "Folder", f["id"], {"read": True, "path": "in"})
col = s.create("Collection", {"name": "Py Collection", "files": ["folder=" + f["code"] + "/a.txt"]})
out({"volume": v["id"], "folder": f["id"], "folder_code": f["code"], "acl": acl["id"], "collection": col["id"]})
`,
      env,
    )) as { volume: string; folder: string; folder_code: string; acl: string; collection: string };
    const vol = await c.findOne("Volume", q.eq("code", "pyvol"));
    assert.equal(vol?.id, out.volume);
    assert.equal(vol?.paths.linux, "/pyvol");
    const folder = await c.getEntity("Folder", out.folder);
    assert.equal(folder?.name, "Shared Stuff");
    assert.equal(folder?.code, out.folder_code);
    assert.equal(folder?.parent, out.volume);
    assert.equal((await c.lookupByCode("Folder", out.folder_code))?.id, out.folder);
    const acls = await c.access("Folder", out.folder);
    assert.deepEqual(
      acls.map((a) => a.id),
      [out.acl],
    );
    assert.equal(acls[0].read, true);
    const files = await c.listFiles(out.collection);
    assert.equal(files.length, 1);
  });

  it("TypeScript writes, Python reads", async () => {
    const vol = await c.create("Volume", {
      name: "TS Volume",
      code: "tsvol",
      paths: { linux: "/tsvol" },
      server: hq,
    });
    const folder = await c.create("Folder", {
      parent: vol.id,
      path: "tsvol/it's here",
      name: "It's here",
      code: "tsfolder",
    });
    const emp = await c.findOne("User", q.eq("code", demoUser("employee").code));
    const acl = await c.grant(emp?.id ?? "", "Folder", folder.id, { write: true, path: "up" });
    const big = Array.from({ length: 3000 }, (_, i) => `folder=tsfolder/${"x".repeat(30)}/${i}.dat`);
    const col = await c.create("Collection", { name: "TS big", code: "tsbig", files: big }); // > 100 KiB: sent as gz_data
    const gone = await c.create("Folder", {
      parent: vol.id,
      path: "tsvol/gone",
      name: "Gone",
      code: "tsgone",
    });
    await c.deactivate("Folder", gone.id);
    const out = (await runPython(
      `
v = s_v = Session().find_one("Volume WHERE code=tsvol")
s = Session()
f_active = s.find("Folder WHERE code=tsgone")
g = s.find_one("Folder WHERE code=tsgone", inactive=True)
f = s.find_one("Folder WHERE code=tsfolder")
acc = s.access("Folder", f["id"])
files = s.find("File", entityid="${col.id}")
out({"volume": v["id"], "folder": f["id"], "path": f["path"], "inactive": g.get("inactive"), "active_count": len(f_active or []), "acl_users": [a["user"] for a in acc], "files": len(files or [])})
`,
      env,
    )) as {
      volume: string;
      folder: string;
      path: string;
      inactive: boolean;
      active_count: number;
      acl_users: string[];
      files: number;
    };
    assert.equal(out.volume, vol.id);
    assert.equal(out.folder, folder.id);
    assert.equal(out.path, "tsvol/it's here");
    assert.equal(out.inactive, true);
    assert.equal(out.active_count, 0);
    assert.deepEqual(out.acl_users, [acl.entity.split(":")[1]]);
    assert.equal(out.files, 3000);
  });
});

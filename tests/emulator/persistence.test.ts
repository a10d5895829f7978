import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pySession, runPython } from "../helpers/python";
import { seedCredentials } from "../helpers/server";
import { freePort, kill9, portFree, spawnCli, startCli, type Cli } from "./cli";
import { list, obj, pyArgs } from "./common";
import { Wire, raw } from "./wire";

describe("persistence: the CLI keeps its state across kill -9", function () {
  this.timeout(120_000);
  let dataDir: string;
  let cli: Cli | undefined;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-persist-"));
  });
  after(async () => {
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes through the Python client survive kill -9 and a restart on the same data", async () => {
    const port = await freePort();
    cli = await startCli(port, dataDir);
    assert.equal(cli.url, `http://127.0.0.1:${port}`);
    const admin = seedCredentials("admin");
    const env = pySession({ port }, admin);
    const args = { emp: seedCredentials("employee").code, std: seedCredentials("standard").code };
    const written = obj(
      await runPython(
        pyArgs(args) +
          `
s = Session()
srv = None
for et in ["Server", "Client"]:
    a = attempt(lambda: s.find(et))
    if a.get("ok"):
        srv = a["ok"][0]["id"]
        break
v = s.create("Volume", {"name": "Persist", "code": "persist", "paths": {"linux": "/persist", "windows": "P:", "mac": "/Volumes/persist"}, "server": srv})
f = s.create("Folder", {"parent": v["id"], "path": "p/f", "name": "PFolder"})
s.update("Folder", f["id"], {"status": "disabled"})
g = s.grant("User", ARGS["std"], "Folder", f["id"], {"read": True, "path": "in"})
c = s.create("Collection", {"name": "PColl", "files": ["volume=persist/a.txt", "volume=persist/b.txt"]})
t = s.create("Transfer", {"source": "share=persist/x.mov", "destination": "/tmp/x", "status": "paused"})
d = s.create("Folder", {"parent": v["id"], "path": "p/d", "name": "PDeact", "code": "pdeact"})
s.deactivate_one("Folder", d["id"])
out({"v": v["id"], "f": f["id"], "g": g["id"], "c": c["id"], "t": t["id"], "d": d["id"], "uid": s._uid})
`,
        env,
      ),
    );
    await kill9(cli);
    cli = await startCli(port, dataDir);
    const back = obj(
      await runPython(
        pyArgs(written) +
          `
s = Session()
out({"uid": s._uid,
     "v": s.get_entity("Volume", ARGS["v"]),
     "f": s.get_entity("Folder", ARGS["f"]),
     "acl": s.access("Folder", ARGS["f"]),
     "files": s.find("File", entityid=ARGS["c"]),
     "t": s.get_entity("Transfer", ARGS["t"]),
     "d": s.find("Folder WHERE code=pdeact", inactive=True),
     "dact": s.find("Folder WHERE code=pdeact")})
`,
        env,
      ),
    );
    assert.equal(back.uid, written.uid, "the seed is not re-applied: same user id");
    assert.equal(obj(back.v).code, "persist");
    assert.equal(obj(back.f).status, "disabled");
    const acl = list(back.acl);
    assert.equal(acl.length, 1);
    assert.equal(acl[0].path, "in");
    assert.equal(list(back.files).length, 2);
    assert.equal(obj(back.t).status, "paused");
    assert.equal(list(back.d).length, 1, "the deactivated folder is still there");
    assert.equal(list(back.dact).length, 0, "and still inactive");
  });
});

describe("persistence: every acknowledged write survives an immediate kill -9", function () {
  this.timeout(120_000);
  let dataDir: string;
  let cli: Cli | undefined;

  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-durable-"));
  });
  after(async () => {
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("60 concurrent creates, kill -9 right after the last reply, all 60 are there after restart", async () => {
    const port = await freePort();
    cli = await startCli(port, dataDir);
    const admin = seedCredentials("admin");
    const w = await Wire.login(cli, admin);
    const servers = list(await w.result("GET", "server/find", { data: {} }));
    const vol = list(
      await w.result("POST", "volume/create", {
        data: {
          name: "Durable",
          code: "durable",
          paths: { linux: "/d", windows: "D:", mac: "/Volumes/d" },
          server: servers[0].id,
        },
      }),
    )[0];
    const replies = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        w.send("POST", "folder/create", {
          data: { parent: vol.id, path: `d/${i}`, name: `D${i}`, code: `durable${i}` },
        }),
      ),
    );
    await kill9(cli);
    const acked = replies.filter((r) => r.status === 200).map((r) => String(list(obj(r.json).result)[0].id));
    assert.equal(acked.length, 60, `all creates acknowledged: ${replies.map((r) => r.status)}`);
    cli = await startCli(port, dataDir);
    const w2 = await Wire.login(cli, admin);
    const found = list(await w2.result("GET", "folder/find", { data: { parent: vol.id } })).map((f) =>
      String(f.id),
    );
    const lost = acked.filter((id) => !found.includes(id));
    assert.deepEqual(lost, [], "acknowledged folders lost by kill -9");
  });
});

describe("the accsyn-local CLI (ARCHITECTURE.md)", function () {
  this.timeout(60_000);
  const started: Cli[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    while (started.length) await kill9(started.pop() as Cli);
    while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
  });

  it("--seed FILE seeds a new database; --control enables the control plane, its absence disables it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "accsyn-local-cli-"));
    dirs.push(dir);
    const seedFile = path.join(dir, "seed.json");
    writeFileSync(
      seedFile,
      JSON.stringify({
        workspace: "demo",
        users: [{ code: "cli@example.com", role: "admin", apiKey: "cli-key" }],
      }),
    );
    const port = await freePort();
    const cli = await spawnCli(["--port", String(port), "--seed", seedFile, "--control"]);
    started.push(cli);
    assert.equal(cli.url, `http://127.0.0.1:${port}`, "default host 127.0.0.1");
    const r = obj(
      await runPython(
        `s = Session()\nout({"role": s._role})`,
        pySession({ port }, { code: "cli@example.com", apiKey: "cli-key" }),
      ),
    );
    assert.equal(r.role, "admin");
    const c = await raw(cli, "GET", "/_accsyn-local/counters", {});
    assert.equal(c.status, 200, c.text);
    const port2 = await freePort();
    const plain = await spawnCli(["--port", String(port2)]);
    started.push(plain);
    assert.equal((await raw(plain, "GET", "/_accsyn-local/counters", {})).status, 404, "no --control → 404");
  });

  it("the official client with AS_DEV=true reaches a CLI on its default port 8181", async function () {
    if ((await portFree(8181)) === undefined) this.skip(); // something else holds 8181 on this machine
    const cli = await spawnCli([]);
    started.push(cli);
    assert.equal(cli.url, "http://127.0.0.1:8181");
    const admin = seedCredentials("admin");
    const r = obj(
      await runPython(`s = Session()\nout({"role": s._role, "n": len(s.find("Volume"))})`, {
        AS_DEV: "true",
        ACCSYN_WORKSPACE: "demo",
        ACCSYN_API_USER: admin.code,
        ACCSYN_API_KEY: admin.apiKey,
      }),
    );
    assert.equal(r.role, "admin");
    assert.equal(r.n, 0);
  });
});

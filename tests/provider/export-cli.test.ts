import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AccsynClient } from "pulumi-accsyn/client";
import { readSnapshot } from "pulumi-accsyn/export/index";
import { type Population, SMALL, THOUSAND, populate } from "../helpers/populate";
import { NoBulkAcls } from "../helpers/no-bulk-acls";
import { accsynExport, adminEnv } from "../helpers/populate-cli";
import { type TestServer, startTestServer } from "../helpers/server";

/** The `// id <id>` comments of a program, in order. */
function idsIn(program: string): string[] {
  return [...program.matchAll(/^\s*(?:\/\/|#) id (\S+)$/gm)].map((m) => m[1] as string);
}

describe("accsyn-export (the command against accsyn-local, workspace made by the official Python client)", function () {
  this.timeout(300_000);
  let server: TestServer;
  let made: Population;
  let out: string;

  before(async () => {
    server = await startTestServer();
    made = await populate(server, SMALL);
    out = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-export-"));
  });
  after(async () => {
    await server?.close();
    if (out) fs.rmSync(out, { recursive: true, force: true });
  });

  it("writes a complete TypeScript project naming every active entity by id, with a summary on stderr", async () => {
    const dir = path.join(out, "ts");
    const res = await accsynExport(["--out", dir], adminEnv(server));
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), [
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "tsconfig.json",
    ]);
    const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    const ids = idsIn(program);
    assert.equal(ids.length, made.total, "one resource per active entity (grants per user and share)");
    for (const [code, id] of Object.entries(made.ids))
      assert.ok(ids.includes(id), `${code} (${id}) is declared`);
    for (const id of [made.inactive.folder, made.inactive.collection]) assert.ok(!ids.includes(id));
    assert.ok(!program.includes("left@studio.example"), "the deactivated user's grant is left out");
    assert.ok(!program.includes('pulumi-accsyn": '), "the provider's reserved metadata key is dropped");
    assert.match(program, /metadata: \{ tier: "archive" \}/);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/pulumi", "pulumi-accsyn"]);
    assert.match(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), /options:\n {2}refresh: always\n/);
    assert.match(
      res.stderr,
      /accsyn-export: workspace "demo": \d+ entities read with \d+ requests in [\d.]+ s; declared 3 Volume, 8 Folder, 3 Home, 3 Collection, 2 VolumeServer, \d+ Grant/,
    );
    assert.match(res.stderr, /left out 3 inactive/);
  });

  it("without --out the program goes to stdout; the same workspace gives the same bytes", async () => {
    const a = await accsynExport([], adminEnv(server));
    const b = await accsynExport([], adminEnv(server));
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    assert.match(a.stdout, /^\/\/ accsyn workspace "demo"/);
    const yaml = await accsynExport(["--format", "yaml", "--volume", "vol01"], adminEnv(server));
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.match(yaml.stdout, /^# yaml-language-server: \$schema=/);
    assert.match(yaml.stdout, /\(volume 'vol01' and what lies beneath it\)/);
    assert.ok(!yaml.stdout.includes("kind: Collection"), "no collection lies wholly in vol01");
    assert.ok(yaml.stdout.includes(`# id ${made.ids.vol01}`));
    assert.ok(!yaml.stdout.includes(`# id ${made.ids.vol00}`));
  });

  it("fails with a typed message, no stack trace and a non-zero exit", async () => {
    const env = adminEnv(server);
    const bad = await accsynExport([], { ...env, ACCSYN_API_KEY: "wrong" });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^accsyn-export: reading the workspace failed at login: .*ACCSYN_API_KEY/m);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");
    const missing = await accsynExport([], { ...env, ACCSYN_API_USER: "" });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /apiUser|ACCSYN_API_USER/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
    const usage = await accsynExport(["--format", "json"], env);
    assert.equal(usage.code, 1);
    assert.match(usage.stderr, /--format 'json' is not a format; use --format ts or --format yaml/);
    const volume = await accsynExport(["--volume", "vol1"], env);
    assert.equal(volume.code, 1);
    assert.match(volume.stderr, /no volume has the code 'vol1' \(did you mean/);
    const mine = path.join(out, "mine");
    fs.mkdirSync(mine);
    fs.writeFileSync(path.join(mine, "Pulumi.yaml"), "name: mine\nruntime: nodejs\n");
    fs.writeFileSync(path.join(mine, "index.ts"), "// hand-written\n");
    const refused = await accsynExport(["--out", mine], env);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /holds a Pulumi project accsyn-export did not write; choose a new or empty directory/,
    );
    assert.equal(fs.readFileSync(path.join(mine, "index.ts"), "utf8"), "// hand-written\n", "left as it was");
    const again = await accsynExport(["--out", path.join(out, "ts")], env);
    assert.equal(again.code, 0, "re-exporting into its own project is fine");
    const help = await accsynExport(["--help"], {});
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^usage: accsyn-export/);
  });
});

describe("accsyn-export reading ACLs share by share", function () {
  this.timeout(120_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
    await populate(server, SMALL);
  });
  after(async () => server?.close());

  it("reads the same ACLs when the service refuses one acl/find for every share, and says so", async () => {
    const admin = server.credentials("admin");
    const opts = { endpoint: server.url, workspace: "demo", user: admin.code, apiKey: admin.apiKey };
    const bulk = new AccsynClient(opts);
    const byShare = new NoBulkAcls(opts);
    try {
      const warned: string[] = [];
      const a = await readSnapshot(bulk);
      const b = await readSnapshot(byShare, { warn: (l) => warned.push(l) });
      const ids = (s: typeof a) => s.acls.map((x) => `${x.id} ${x.userId} ${x.shareId} ${x.path}`).sort();
      assert.ok(a.acls.length > 10);
      assert.deepEqual(ids(b), ids(a));
      assert.deepEqual(warned, [
        "accsyn refused one acl/find for all shares (acl/find needs a target); reading ACLs share by share",
      ]);
      assert.ok(byShare.stats().requests > bulk.stats().requests, "one acl/find per share");
    } finally {
      await bulk.close();
      await byShare.close();
    }
  });
});

describe("accsyn-export at scale", function () {
  this.timeout(600_000);

  it("exports about 1,000 entities in seconds, with progress on stderr", async () => {
    const server = await startTestServer();
    try {
      const made = await populate(server, THOUSAND);
      const res = await accsynExport([], adminEnv(server));
      assert.equal(res.code, 0, res.stderr);
      assert.ok(made.total >= 1000, `${made.total} resources`);
      assert.equal(idsIn(res.stdout).length, made.total);
      assert.match(res.stderr, /accsyn-export: read \d+ entities \(\w+\)\n/, "progress lines");
      console.log(
        `      ${made.total} resources exported in ${(res.ms / 1000).toFixed(2)} s: ${/workspace "demo": .*/.exec(res.stderr)?.[0] ?? ""}`,
      );
      assert.ok(res.ms < 15_000, `took ${res.ms} ms`);
    } finally {
      await server.close();
    }
  });
});

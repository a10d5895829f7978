import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../helpers/pulumi";
import { pySession, runPython } from "../helpers/python";
import { type TestServer, startTestServer } from "../helpers/server";

const PROGRAM = `"use strict";
const accsyn = require("pulumi-accsyn");
const vol = new accsyn.Volume("media", { name: "Media", code: "pkg_media", paths: { linux: "/mnt/media" }, server: "hq-server" });
const dailies = new accsyn.Folder("dailies", { name: "Dailies", volume: vol, path: "dailies" });
new accsyn.Grant("dailies-review", { user: "standard@example.com", share: dailies, rules: [{ path: "/", read: true }], notify: false });
exports.volumeId = vol.id;
exports.folderCode = dailies.code;
`;

describe("engine: the npm pack tarball installed into a project outside the repo", function () {
  this.timeout(600_000);
  let server: TestServer;
  let stack: PulumiStack;
  let projectDir: string;

  before(async () => {
    server = await startTestServer();
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-consumer-"));
    // The provider's own package (the provider/ workspace), not the private repo root.
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", projectDir], {
      cwd: path.join(REPO_ROOT, "provider"),
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop() as string;
    const pulumiVersion = (
      JSON.parse(
        fs.readFileSync(path.join(REPO_ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
      ) as {
        version: string;
      }
    ).version;
    fs.writeFileSync(
      path.join(projectDir, "package.json"),
      JSON.stringify({
        name: "studio-infra",
        private: true,
        main: "index.js",
        dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-accsyn": `file:./${packed}` },
      }),
    );
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: studio-infra\nruntime: nodejs\n");
    fs.writeFileSync(path.join(projectDir, "index.js"), PROGRAM);
    // The npm cache already holds every package from the repo's own install.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: projectDir,
      stdio: "inherit",
    });
    const admin = server.credentials("admin");
    stack = new PulumiStack(projectDir, "consumer");
    await initAccsynStack(stack, server, admin);
  });

  after(async () => {
    await stack?.removeStack();
    await server?.close();
    if (projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
  });

  it("installs without accsyn-local or a native SQLite build", () => {
    const tree = execFileSync("npm", ["ls", "--all", "--parseable"], { cwd: projectDir, encoding: "utf8" });
    assert.ok(
      tree.includes(path.join("node_modules", "undici")),
      "the provider's own dependencies are installed",
    );
    for (const unwanted of ["better-sqlite3", "accsyn-local"]) {
      assert.ok(!tree.includes(unwanted), `${unwanted} is not installed with the provider`);
    }
  });

  it("runs the same up from node_modules, and the state points at no file of the repo", async () => {
    assert.ok(!projectDir.startsWith(REPO_ROOT), "the consumer project is outside the repo");
    assert.ok(fs.existsSync(path.join(projectDir, "node_modules/pulumi-accsyn/dist/runtime/index.js")));
    // The first preview sees the volume's id as unknown in the folder's inputs: planned, not rejected.
    const first = await stack.preview();
    assert.deepEqual(first.changeSummary, { create: 4 });
    await stack.up();
    const outs = await stack.outputs();
    assert.equal(outs.folderCode, "dailies", "accsyn derived the folder code from its name");
    const seen = await runPython(
      `s = Session(); out(s.find_one("Volume WHERE code=pkg_media")["id"])`,
      pySession(server, server.credentials("admin")),
    );
    assert.equal(seen, outs.volumeId);
    const state = await stack.exportState();
    assert.ok(!state.includes(REPO_ROOT), "the serialized provider does not refer to the repo");
    const plan = await stack.preview();
    assert.deepEqual(Object.keys(plan.changeSummary), ["same"]);
    await stack.destroy();
  });
});

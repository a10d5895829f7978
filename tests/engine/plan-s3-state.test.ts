import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { request } from "undici";
import * as path from "node:path";
import { REPO_ROOT, initAccsynStack } from "../helpers/pulumi";
import { ensureVenv } from "../helpers/python";
import { VOLUME, WorkspaceStack, folder, grant, useEngine } from "./harness";
import { runPlan } from "./plan-harness";

/** moto's S3 server, pinned and installed in the tests' venv by scripts/python-venv.sh. */
async function motoServer(): Promise<string> {
  const bin = path.join(path.dirname(await ensureVenv()), "moto_server");
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: scripts/python-venv.sh installs it`);
  return bin;
}

async function startMoto(bin: string): Promise<{ url: string; child: ChildProcess }> {
  // Port 0 is not accepted by moto_server: take one from the range this project's tests use by hand.
  const port = 18_520 + (process.pid % 60);
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await (await request(url)).body.text();
      return { url, child };
    } catch {
      // not listening yet
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error(`moto_server did not start on ${url}`);
}

describe("engine: shared state in S3-compatible object storage", function () {
  this.timeout(600_000);
  const engine = useEngine();
  let moto: { url: string; child: ChildProcess } | undefined;

  before(async function () {
    moto = await startMoto(await motoServer());
  });
  after(() => {
    moto?.child.kill();
  });

  it("up, preview and the drift check through an s3:// backend; two concurrent ups: one waits or fails on Pulumi's lock, the state stays whole", async () => {
    if (!moto) throw new Error("moto_server is not running");
    const bucket = `state-${process.pid}`;
    const created = await request(`${moto.url}/${bucket}`, { method: "PUT" });
    assert.equal(created.statusCode, 200, await created.body.text());
    const host = new URL(moto.url).host;
    const env = {
      PULUMI_BACKEND_URL: `s3://${bucket}?endpoint=${host}&s3ForcePathStyle=true&disableSSL=true&region=us-east-1`,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_REGION: "us-east-1",
    };
    const stack = new WorkspaceStack(path.join(REPO_ROOT, "tests", "fixtures", "workspace"), "s3", { env });
    try {
      await initAccsynStack(stack, engine.server, engine.admin, {
        "e2e:resources": JSON.stringify([VOLUME, folder(), grant()]),
      });
      await stack.up();
      const listed = await (await request(`${moto.url}/${bucket}?list-type=2`)).body.text();
      assert.match(listed, /\.pulumi\/stacks\/accsyn-e2e\/s3-\d+\.json/, "the state lives in the bucket");

      const ids = await stack.ids();
      await engine.py(
        `s = Session(); s.update("Folder", "${ids.show}", {"name": "Renamed by hand"}); out(True)`,
      );
      const check = await runPlan(stack, ["--check-drift"], env);
      assert.equal(check.code, 2, check.stderr);
      assert.match(check.stdout, /\| Folder `show` \| `name` \| `"Renamed by hand"` \| `"Show"` \|/);

      await stack.declare([VOLUME, folder({ name: "Show 2" }), grant()]);
      const [a, b] = await Promise.all([stack.up().then(ok, failed), stack.up().then(ok, failed)]);
      const outcomes = [a, b];
      console.log(
        `    concurrent ups: ${outcomes.map((o) => (o.ok ? "ok" : (/locked[^\n]*/.exec(o.text)?.[0] ?? "failed"))).join(" | ")}`,
      );
      assert.ok(
        outcomes.some((o) => o.ok),
        JSON.stringify(outcomes),
      );
      for (const o of outcomes.filter((x) => !x.ok)) assert.match(o.text, /locked/, o.text);
      const state = JSON.parse(await stack.exportState()) as {
        deployment: { resources: { type: string }[] };
      };
      const kinds = state.deployment.resources.map((r) => r.type).filter((t) => t.includes("accsyn:"));
      assert.deepEqual(kinds.sort(), [
        "pulumi-nodejs:dynamic/accsyn:Folder",
        "pulumi-nodejs:dynamic/accsyn:Grant",
        "pulumi-nodejs:dynamic/accsyn:Volume",
      ]);
      const after = await runPlan(stack, ["--check-drift", "--fail-on", "change"], env);
      assert.equal(after.code, 0, after.stdout + after.stderr);
    } finally {
      await stack.removeStack();
    }
  });
});

function ok(): { ok: true; text: string } {
  return { ok: true, text: "" };
}
function failed(e: unknown): { ok: false; text: string } {
  return { ok: false, text: e instanceof Error ? e.message : String(e) };
}

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, opsByName } from "../helpers/pulumi";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "smoke");

describe("engine smoke: the real Pulumi engine (CLI built from source) runs a dynamic provider", function () {
  this.timeout(300_000);
  let workDir: string | undefined;
  let stack: PulumiStack | undefined;

  afterEach(async () => {
    await stack?.removeStack();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    stack = workDir = undefined;
  });

  it("reports the pinned CLI version", async () => {
    stack = new PulumiStack(FIXTURE, "smoke-version");
    const res = await stack.run(["version"]);
    assert.equal(res.stdout.trim(), "v3.248.0");
  });

  it("up creates, preview shows no changes, up updates, destroy deletes", async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-smoke-"));
    const target = path.join(workDir, "greeting.txt");
    stack = new PulumiStack(FIXTURE, "smoke");
    await stack.init({ path: target, content: "hello" });
    await stack.up();
    assert.equal(fs.readFileSync(target, "utf8"), "hello", "create wrote the file");
    assert.deepEqual(await stack.outputs(), { content: "hello" });

    const noop = await stack.preview();
    assert.deepEqual(noop.changeSummary, { same: 2 }, "second preview plans nothing");

    await stack.setConfig("content", "hello again");
    const planned = await stack.preview();
    assert.equal(opsByName(planned.steps).smoke, "update");
    await stack.up();
    assert.equal(fs.readFileSync(target, "utf8"), "hello again", "update rewrote the file");

    await stack.destroy();
    assert.equal(fs.existsSync(target), false, "delete removed the file");
  });
});

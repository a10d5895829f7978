import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, opsByName } from "../helpers/pulumi";

describe("smoke: the real Pulumi engine (CLI built from source) runs a dynamic provider", function () {
  this.timeout(300_000);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-smoke-"));
  const target = path.join(workDir, "greeting.txt");
  const stack = new PulumiStack(path.join(REPO_ROOT, "tests", "fixtures", "smoke"), "smoke");

  after(async () => {
    await stack.removeStack();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("reports the pinned CLI version", async () => {
    const res = await stack.run(["version"]);
    assert.equal(res.stdout.trim(), "v3.248.0");
  });

  it("up creates, preview shows no changes, up updates, destroy deletes", async () => {
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

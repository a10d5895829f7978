import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { VOLUME, everyKind, useEngine } from "./harness";

describe("engine: the API key stays secret", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("the key is in no state, up output or config file in plain text, the provider stored per resource stays small, and each resource points at its line in the program", async () => {
    const stack = await engine.stack("secrets", everyKind());
    const { apiKey } = engine.admin;
    assert.ok(
      !fs.readFileSync(stack.configFile, "utf8").includes(apiKey),
      "the stack config holds the key encrypted",
    );
    const up = await stack.up();
    assert.ok(!(up.stdout + up.stderr).includes(apiKey), "API key printed by up");

    const state = await stack.exportState();
    assert.ok(!state.includes(apiKey), "API key found in stack export");
    const parsed = JSON.parse(state) as {
      deployment: {
        resources: { type: string; inputs?: { __provider?: string }; sourcePosition?: string }[];
      };
    };
    const accsynResources = parsed.deployment.resources.filter((r) => r.type.includes("dynamic/accsyn:"));
    const sizes = accsynResources.map((r) => Buffer.byteLength(r.inputs?.__provider ?? ""));
    assert.equal(sizes.filter((n) => n > 0).length, 6, "one serialized provider per accsyn resource");
    // Issue 13 asks for at most 4 KiB; the text written by hand is ~160 bytes, and it is stored
    // twice per resource in a state the engine rewrites at every step.
    const max = Math.max(...sizes);
    assert.ok(max <= 256, `serialized provider is ${max} bytes`);
    // Where Pulumi says each resource was declared: the program's line, not pulumi-accsyn's code.
    for (const r of accsynResources)
      assert.match(
        r.sourcePosition ?? "",
        /^project:\/\/\/index\.js#\d+,\d+$/,
        `${r.type}: ${r.sourcePosition}`,
      );
  });

  it("without an API key, up fails naming the stack config to set (as a secret) and the environment variable", async () => {
    const stack = await engine.stack("secrets-missing", [VOLUME], { apiKey: false });
    const res = await stack.run(["up", "--yes", "--skip-preview", "--stack", stack.stack], {
      allowFailure: true,
    });
    assert.notEqual(res.code, 0, "up must fail");
    const text = res.stdout + res.stderr;
    assert.match(text, /accsyn:apiKey/);
    assert.match(text, /pulumi config set --secret accsyn:apiKey/);
    assert.match(text, /ACCSYN_API_KEY/);
    assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, "an expected failure prints no stack trace");
    const vols = await engine.py(
      `s = Session(); out(len(s.find("Volume WHERE code=e2e_projects", inactive=True)))`,
    );
    assert.equal(vols, 0, "nothing was created");
  });
});

import * as assert from "node:assert/strict";
import { type Decl, useEngine } from "./harness";

describe("engine: adoption you can see", function () {
  this.timeout(300_000);
  const engine = useEngine();

  const legacy = (adopt: boolean): Decl => ({
    type: "Volume",
    name: "legacy",
    args: {
      name: "Legacy (managed)",
      code: "legacy",
      paths: { linux: "/mnt/legacy" },
      description: "managed by Pulumi",
      ...(adopt ? { adopt: true } : {}),
    },
  });

  it("preview names the entity adopt takes over and each field it changes; dropping adopt later is no change", async () => {
    const made = (await engine.py(`
s = Session()
v = s.create("Volume", {"name": "Legacy", "code": "legacy", "paths": {"linux": "/mnt/legacy"}})
out(v["id"])
`)) as string;
    const stack = await engine.stack("plans-adopt", [legacy(true)]);
    await engine.server.resetCounters();
    const res = await stack.run(["preview", "--stack", stack.stack]);
    const out = `${res.stdout}\n${res.stderr}`;
    if (process.env.SHOW_PREVIEW) console.log(out);
    assert.match(
      out,
      new RegExp(
        `accsyn Volume 'legacy': adopt: takes over the existing Volume \\(id ${made}\\) and updates it in place: ` +
          `name: "Legacy" → "Legacy \\(managed\\)"; description: \\(unset\\) → "managed by Pulumi"`,
      ),
    );
    const { byUri } = await engine.server.counters();
    assert.deepEqual(
      Object.keys(byUri).filter((k) => !k.startsWith("GET ") && k !== "PUT api/login"),
      [],
      "preview changed nothing",
    );

    await stack.up();
    assert.equal((await stack.ids()).legacy, made, "the same volume");
    await stack.declare([legacy(false)]);
    assert.deepEqual((await stack.preview()).changeSummary, { same: 2 }, "dropping adopt is no change");
  });
});

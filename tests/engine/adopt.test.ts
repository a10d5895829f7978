import * as assert from "node:assert/strict";
import { type Decl, useEngine } from "./harness";

describe("engine: adopt an entity made outside Pulumi", function () {
  this.timeout(300_000);
  const engine = useEngine();

  const legacy = (adopt: boolean): Decl => ({
    type: "Volume",
    name: "legacy",
    args: {
      name: "Legacy (managed)",
      code: "legacy",
      paths: { linux: "/mnt/legacy" },
      server: "hq-server",
      ...(adopt ? { adopt: true } : {}),
    },
  });

  it("a volume created beforehand with the official client collides without adopt, and is taken over with it", async () => {
    const made = (await engine.py(`
s = Session()
srv = s.find_one("Server WHERE code=hq-server")
v = s.create("Volume", {"name": "Legacy", "code": "legacy", "paths": {"linux": "/mnt/legacy"}, "server": srv["id"]})
out(v["id"])
`)) as string;
    const stack = await engine.stack("adopt-volume", [legacy(false)]);
    const refused = await stack.up().then(
      () => undefined,
      (e: Error) => e.message,
    );
    assert.ok(
      refused && /already taken/.test(refused) && /adopt/.test(refused),
      `expected a collision: ${refused}`,
    );
    await stack.declare([legacy(true)]);
    await stack.up();
    assert.equal((await stack.ids()).legacy, made);
    const vols = await engine.py(
      `s = Session(); out([[v["id"], v["name"]] for v in s.find("Volume WHERE code=legacy", inactive=True)])`,
    );
    assert.deepEqual(vols, [[made, "Legacy (managed)"]], "the same volume, renamed, and no duplicate");
  });
});

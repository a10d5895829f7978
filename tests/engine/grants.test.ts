import * as assert from "node:assert/strict";
import { opsByName } from "../helpers/pulumi";
import { Wire } from "../emulator/wire";
import { type Decl, type Rule, VOLUME, folder, grant, useEngine } from "./harness";

describe("engine: grants", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("changing a grant's rules adds, updates and revokes single ACLs in place", async () => {
    const stack = await engine.stack("grants-rules", [VOLUME, folder(), grant()]);
    await stack.up();
    const { show } = await stack.ids();
    const rules: Rule[] = [
      { path: "/", read: true },
      { path: "delivery", read: true, write: true },
    ];
    await stack.declare([VOLUME, folder(), grant(rules)]);
    assert.equal(opsByName((await stack.preview()).steps).vendor, "update");
    await stack.up();
    // One ACL per path: read them raw, as accsyn holds them.
    const wire = await Wire.login(engine.server, engine.admin);
    const acls = (await wire.result("GET", "acl/find", {
      query: `acl WHERE target=share:${show}`,
    })) as Required<Rule>[];
    const held = acls.map((r) => [r.path, r.read, r.write]).sort();
    assert.deepEqual(held, [
      ["/", true, false],
      ["delivery", true, true],
    ]);
  });

  it("two Grants for the same user and share fail the preview, naming both", async () => {
    const reader = (name: string): Decl => ({
      type: "Grant",
      name,
      args: {
        user: "standard@example.com",
        share: "e2e_projects",
        shareType: "Volume",
        rules: [{ path: "/", read: true }],
      },
    });
    // The volume exists first: preview resolves a share given by code against the live workspace.
    const stack = await engine.stack("grants-twice", [VOLUME]);
    await stack.up();
    await stack.declare([VOLUME, reader("reader-a"), reader("reader-b")]);
    const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
    assert.notEqual(res.code, 0);
    assert.match(
      res.stdout + res.stderr,
      /Grants '(reader-a|reader-b)' \(.*\) and '(reader-a|reader-b)' \(.*\) both claim user/,
    );
  });
});

import * as assert from "node:assert/strict";
import { KIND_NAMES, sampleInvalid } from "../helpers/invalid-inputs";
import { type Decl, useEngine } from "./harness";

describe("engine: invalid input fails the preview before any API call", function () {
  this.timeout(300_000);
  const engine = useEngine();

  const cases: [label: string, decl: Decl, field: string][] = [
    [
      "an absolute folder path",
      { type: "Folder", name: "bad", args: { name: "Bad", volume: "projects", path: "/etc/x" } },
      "path",
    ],
    [
      "a '..' in a folder path",
      { type: "Folder", name: "bad", args: { name: "Bad", volume: "projects", path: "a/../b" } },
      "path",
    ],
    [
      "an absolute collection file",
      { type: "Collection", name: "bad", args: { name: "B", code: "b", files: ["/mnt/x"] } },
      "files.0",
    ],
    [
      "a rule with neither read nor write",
      {
        type: "Grant",
        name: "bad",
        args: { user: "a@b.c", share: "x", shareType: "Folder", rules: [{ path: "/" }] },
      },
      "rules.0",
    ],
    [
      "a status accsyn does not let you set",
      {
        type: "Volume",
        name: "bad",
        args: { name: "B", code: "b", paths: { linux: "/b" }, status: "offline" },
      },
      "status",
    ],
  ];

  cases.forEach(([label, decl, field], i) => {
    it(`rejects ${label}, naming the field`, async () => {
      const stack = await engine.stack(`invalid-${i}`, [decl]);
      await engine.server.resetCounters();
      const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
      assert.notEqual(res.code, 0, "preview must fail");
      const text = res.stdout + res.stderr;
      assert.ok(text.includes(`field '${field}'`), `names field '${field}': ${text}`);
      assert.match(text, /Fix:/, "the error says how to fix it");
      assert.equal((await engine.server.counters()).total, 0, "no API call was made");
    });
  });

  // One input per kind from the arbitraries tests/provider/invalid-property.test.ts runs 1,000 of
  // in-process. The engine stops at the first failed check, so each is a preview of its own; one
  // stack serves them all (a stack's set-up costs about as much as a preview).
  it("rejects a generated invalid input of every kind, naming the field", async () => {
    const seed = Number(process.env.FC_SEED ?? 1313);
    const stack = await engine.stack("invalid-generated", []);
    for (const c of KIND_NAMES.flatMap((kind) => sampleInvalid(kind, 1, seed))) {
      const what = `${c.kind} (${c.label}, seed ${seed})`;
      await stack.declare([{ type: c.kind, name: "gen", args: c.args }]);
      await engine.server.resetCounters();
      const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
      assert.notEqual(res.code, 0, `${what}: preview must fail`);
      const text = res.stdout + res.stderr;
      assert.ok(text.includes(`accsyn ${c.kind} 'gen': `), `${what}: names the resource: ${text}`);
      assert.ok(text.includes(`field '${c.field}'`), `${what}: names field '${c.field}': ${text}`);
      assert.match(text, /Fix:/, `${what}: says how to fix it`);
      assert.equal((await engine.server.counters()).total, 0, `${what}: no API call was made`);
    }
  });
});

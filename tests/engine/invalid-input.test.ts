import * as assert from "node:assert/strict";
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
      assert.match(text, new RegExp(`field '${field.replace(".", "\\.")}'`), text);
      assert.match(text, /Fix:/, "the error says how to fix it");
      assert.equal((await engine.server.counters()).total, 0, "no API call was made");
    });
  });
});

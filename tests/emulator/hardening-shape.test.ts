import * as assert from "node:assert/strict";
import fc from "fast-check";
import { DEFAULT_LIMITS } from "accsyn-local/limits";
import { checkJsonShape } from "accsyn-local/payload";

/** Nesting of arrays and objects, as JSON.parse builds them. */
function depth(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  const children = Array.isArray(v) ? v : Object.values(v as object);
  return 1 + Math.max(0, ...children.map(depth));
}

/** Scalars, arrays and objects in a parsed document (object keys are not values). */
function values(v: unknown): number {
  if (v === null || typeof v !== "object") return 1;
  const children = Array.isArray(v) ? v : Object.values(v as object);
  return 1 + children.reduce<number>((n, x) => n + values(x), 0);
}

function containers(v: unknown): number {
  if (v === null || typeof v !== "object") return 0;
  const children = Array.isArray(v) ? v : Object.values(v as object);
  return 1 + children.reduce<number>((n, x) => n + containers(x), 0);
}

// In-process: the linear scan that runs before JSON.parse must agree with what JSON.parse builds,
// whatever the strings hold (escaped quotes, backslashes, brackets).
describe("hardening: the JSON shape scan agrees with JSON.parse", () => {
  const tricky = fc.oneof(
    fc.constantFrom('"', "\\", "\\\\", '\\"', "[", "]", "{", "}", ",", ":"),
    fc.string({ unit: "grapheme" }),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      tricky,
      fc.integer(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(tricky, tie("value"), { maxKeys: 4 }),
    ),
  })).value;

  it("property: a document passes at its own depth and fails one level lower", () => {
    fc.assert(
      fc.property(json, (v) => {
        const text = JSON.stringify(v);
        const d = depth(v);
        checkJsonShape(text, { ...DEFAULT_LIMITS, maxJsonDepth: Math.max(1, d) }, "doc");
        if (d >= 2)
          assert.throws(
            () => checkJsonShape(text, { ...DEFAULT_LIMITS, maxJsonDepth: d - 1 }, "doc"),
            /doc nests deeper than/,
          );
      }),
      { numRuns: 2000 },
    );
  });

  it("property: the value count is at least what JSON.parse builds, at most one more per array or object", () => {
    fc.assert(
      fc.property(json, (v) => {
        const text = JSON.stringify(v);
        const n = values(v);
        checkJsonShape(text, { ...DEFAULT_LIMITS, maxJsonValues: n + containers(v) }, "doc");
        if (n >= 2)
          assert.throws(
            () => checkJsonShape(text, { ...DEFAULT_LIMITS, maxJsonValues: n - 1 }, "doc"),
            /doc holds more than/,
          );
      }),
      { numRuns: 2000 },
    );
  });

  it("a 7.8 MB string and 200 000 empty objects are scanned in well under a second", () => {
    for (const text of [JSON.stringify({ s: "x".repeat(7_800_000) }), `[${"{},".repeat(200_000)}{}]`]) {
      const t0 = performance.now();
      checkJsonShape(text, DEFAULT_LIMITS, "doc");
      const ms = performance.now() - t0;
      assert.ok(ms < 500, `${text.length} characters took ${ms.toFixed(0)} ms`);
    }
  });
});

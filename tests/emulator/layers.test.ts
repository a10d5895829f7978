import * as assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

// accsyn-local's backend is layered (emulator/README.md): each layer imports only
// from itself and the layers below, so rules never reach up into cascades and
// lookups never write. This reads the sources' import statements.

const ROOT = path.resolve(__dirname, "../../..");
const BACKEND = path.join(ROOT, "emulator", "backend");

/** Which backend folders each layer may import from (besides the emulator's own top-level helpers). */
const MAY_IMPORT: Record<string, string[]> = {
  core: ["core"],
  fields: ["fields"],
  entities: ["core", "fields", "entities"],
  cascades: ["core", "fields", "entities", "cascades"],
};

/** Top-level emulator modules the backend may use: errors, storage, the query language, small utilities. */
const SHARED = new Set(["errors", "util", "store", "query", "seed"]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    if (n === "dist" || n === "node_modules") return [];
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return n.endsWith(".ts") && !n.endsWith(".d.ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
}

describe("accsyn-local backend layers", () => {
  it("every layer imports only from itself and the layers below", () => {
    const violations: string[] = [];
    for (const [layer, allowed] of Object.entries(MAY_IMPORT)) {
      const files = sources(path.join(BACKEND, layer));
      assert.ok(files.length > 0, `layer ${layer} has sources`);
      for (const file of files) {
        for (const spec of imports(file)) {
          if (!spec.startsWith(".")) continue;
          const target = path.relative(BACKEND, path.resolve(path.dirname(file), spec));
          const [top, ...rest] = target.split(path.sep);
          if (top === "..") {
            const mod = rest.join("/");
            if (!SHARED.has(mod)) violations.push(`${path.relative(ROOT, file)} → ${spec}`);
          } else if (!allowed.includes(top)) {
            violations.push(
              `${path.relative(ROOT, file)} → ${spec} (${layer} may use ${allowed.join(", ")})`,
            );
          }
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  it("no emulator source file is over 500 lines", () => {
    const long = sources(path.join(ROOT, "emulator"))
      .map((f) => ({ f: path.relative(ROOT, f), n: readFileSync(f, "utf8").split("\n").length }))
      .filter((x) => x.n > 500);
    assert.deepEqual(long, []);
  });
});

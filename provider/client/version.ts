import * as fs from "node:fs";
import * as path from "node:path";

let cached: string | undefined;

/** This package's version, read from the nearest package.json named `pulumi-accsyn` above this file. */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  cached = "0.0.0";
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, "package.json");
    try {
      const pkg = JSON.parse(fs.readFileSync(p, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "pulumi-accsyn" && typeof pkg.version === "string") {
        cached = pkg.version;
        break;
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return cached;
}

/** The `X-Accsyn-Device` value. */
export function deviceHeader(): string {
  return `pulumi-accsyn/${packageVersion()}`;
}

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT, type PulumiStack } from "../helpers/pulumi";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../../scripts/pulumi-env.js") as {
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

/** The accsyn-plan bin as the package ships it (built by `tsc -b`). */
export const PLAN_BIN = path.join(REPO_ROOT, "provider", "dist", "plan", "cli.js");
/** The accsyn-drift bin (accsyn-plan --check-drift under its own name). */
export const DRIFT_BIN = path.join(REPO_ROOT, "provider", "dist", "plan", "drift-cli.js");
/** Saved previews for the in-process tests (tests/provider/plan), written by these scenarios. */
export const PLAN_FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "plan");

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs accsyn-plan on a stack the way CI does: the project's Pulumi CLI and backend in the environment. */
export function runPlan(
  stack: PulumiStack,
  args: string[],
  env: Record<string, string> = {},
  bin: string = PLAN_BIN,
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, "--stack", stack.stack, "--cwd", stack.projectDir, ...args], {
      env: { ...pulumiEnv({ backendDir: stack.backendDir }), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `pulumi preview --refresh --json` of the stack, as text. */
export async function previewJson(stack: PulumiStack): Promise<string> {
  return (await stack.run(["preview", "--refresh", "--json", "--stack", stack.stack])).stdout;
}

/**
 * Saves a real preview as a fixture when ACCSYN_PLAN_FIXTURES=write. The serialized provider (the
 * same few KB of code in every state) and stack traces are elided to keep the files reviewable;
 * nothing the review reads is touched. Stack and ids are whatever the run produced.
 */
export function saveFixture(name: string, json: string): void {
  if (process.env.ACCSYN_PLAN_FIXTURES !== "write") return;
  const elided = JSON.stringify(
    JSON.parse(json),
    (k, v: unknown) => {
      if (k === "__provider" && typeof v === "string") return "(serialized provider elided)";
      if (k === "stackTrace" || k === "sourcePosition") return undefined;
      return v;
    },
    1,
  );
  fs.writeFileSync(path.join(PLAN_FIXTURES, `${name}.json`), elided + "\n");
}

/** Every file under the stack's backend with its bytes, to show a command wrote nothing. */
export function backendSnapshot(stack: PulumiStack): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(stack.backendDir, p), fs.readFileSync(p).toString("base64"));
    }
  };
  walk(stack.backendDir);
  return out;
}

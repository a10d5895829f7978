/** Runs the accsyn-export command as a user would (a child process, only ACCSYN_* in its environment). */
import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi";
import type { TestServer } from "./server";

const CLI = path.join(REPO_ROOT, "provider", "dist", "export", "cli.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function accsynExport(
  args: string[],
  env: Record<string, string | undefined>,
  cwd?: string,
): Promise<CliResult> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), ...env },
      ...(cwd !== undefined ? { cwd } : {}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - start }));
  });
}

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../../scripts/pulumi-env.js") as {
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

/** The environment of the Pulumi CLI on a stack's backend, without any ACCSYN_* variable. */
export function pulumiOnlyEnv(backendDir: string): Record<string, string | undefined> {
  const env = { ...pulumiEnv({ backendDir }) };
  for (const k of Object.keys(env)) if (k.startsWith("ACCSYN_")) delete env[k];
  return env;
}

/** The environment the official client (and the provider) read, for the admin of `server`. */
export function adminEnv(server: TestServer): Record<string, string> {
  const admin = server.credentials("admin");
  return {
    ACCSYN_PROXY: `accsyn:127.0.0.1:${server.port}`,
    ACCSYN_WORKSPACE: "demo",
    ACCSYN_API_USER: admin.code,
    ACCSYN_API_KEY: admin.apiKey,
  };
}

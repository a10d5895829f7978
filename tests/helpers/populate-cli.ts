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

export function accsynExport(args: string[], env: Record<string, string>): Promise<CliResult> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), ...env },
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

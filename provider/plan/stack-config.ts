import { spawn } from "node:child_process";
import { PreviewRunError, type PreviewTarget } from "./run";

/**
 * The stack's config with secrets decrypted, read with `pulumi config --json --show-secrets`, so
 * the ACL check can log in as the stack's provider does. Kept in memory, never printed.
 */
export function stackConfig(target: PreviewTarget): Promise<(key: string) => string | undefined> {
  const args = ["config", "--json", "--show-secrets", "--non-interactive"];
  if (target.stack) args.push("--stack", target.stack);
  const cli = target.pulumi ?? process.env.PULUMI ?? "pulumi";
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: target.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => reject(new PreviewRunError(args, null, e.message)));
    child.on("close", (code) => {
      if (code !== 0) return reject(new PreviewRunError(args, code, stderr));
      const parsed = JSON.parse(stdout) as Record<string, { value?: unknown }>;
      resolve((key) => {
        const v = parsed[key]?.value;
        return v === undefined || v === null ? undefined : String(v);
      });
    });
  });
}

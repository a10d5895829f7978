import { spawn } from "node:child_process";

/** `pulumi preview` failed; carries what the CLI said. */
export class PreviewRunError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    const said = stderr.trim().split("\n").slice(-15).join("\n");
    super(`accsyn-plan: \`pulumi ${args.join(" ")}\` exited ${String(exitCode)}${said ? `:\n${said}` : ""}`);
    this.name = "PreviewRunError";
  }
}

export interface PreviewTarget {
  stack?: string | undefined;
  cwd?: string | undefined;
  /** The CLI to run; `PULUMI` from the environment, else `pulumi` on the PATH. */
  pulumi?: string | undefined;
}

/**
 * Runs `pulumi preview --refresh --json` and returns its stdout. A preview never writes the state,
 * refresh included, so this is safe on a schedule (tests/engine/plan-review.test.ts compares the backend byte for byte).
 */
export function runPreview(target: PreviewTarget): Promise<string> {
  const args = ["preview", "--refresh", "--json", "--non-interactive"];
  if (target.stack) args.push("--stack", target.stack);
  const cli = target.pulumi ?? process.env.PULUMI ?? "pulumi";
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: target.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) =>
      reject(new PreviewRunError(args, null, `${e.message} (is the Pulumi CLI on the PATH?)`)),
    );
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      // A failed preview still prints JSON with its diagnostics on stdout; they say more than stderr.
      if (code !== 0) reject(new PreviewRunError(args, code, diagnostics(stdout) || stderr));
      else resolve(stdout);
    });
  });
}

function diagnostics(stdout: string): string {
  try {
    const parsed = JSON.parse(stdout) as { diagnostics?: { message?: string; severity?: string }[] };
    return (parsed.diagnostics ?? [])
      .filter((d) => d.severity === "error")
      .map((d) => d.message ?? "")
      .join("\n");
  } catch {
    // Not JSON: the CLI failed before the preview started; stderr says why.
    return "";
  }
}

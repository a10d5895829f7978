import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumiEnvModule = require("../../../scripts/pulumi-env.js") as {
  REPO_ROOT: string;
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

export const REPO_ROOT: string = pulumiEnvModule.REPO_ROOT;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class PulumiCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: RunResult,
  ) {
    super(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
}

/** One summary row of `pulumi preview --json` / `up --json`: what the engine plans for a resource. */
export interface PlannedStep {
  op: string;
  urn: string;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string }>;
}

/**
 * Drives the real Pulumi CLI (built from source) against one project directory and one stack on a
 * throwaway file backend, the way a user would from a terminal.
 */
export class PulumiStack {
  readonly backendDir: string;
  private readonly env: NodeJS.ProcessEnv;

  /** The stack's name: the given one plus this process id, so concurrent runs never share a Pulumi.<stack>.yaml. */
  readonly stack: string;

  constructor(
    readonly projectDir: string,
    stack: string,
    opts: { backendDir?: string; env?: Record<string, string> } = {},
  ) {
    this.stack = `${stack}-${process.pid}`;
    this.backendDir = opts.backendDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-accsyn-state-"));
    this.env = { ...pulumiEnvModule.pulumiEnv({ backendDir: this.backendDir }), ...opts.env };
  }

  run(
    args: string[],
    opts: { allowFailure?: boolean; env?: Record<string, string> } = {},
  ): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn("pulumi", [...args, "--non-interactive"], {
        cwd: this.projectDir,
        env: { ...this.env, ...opts.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const result = { code: code ?? -1, stdout, stderr };
        if (result.code !== 0 && !opts.allowFailure) reject(new PulumiCommandError(args, result));
        else resolve(result);
      });
    });
  }

  /** `stack init`, then every config value in one `config set-all` (one CLI start instead of one per key). */
  async init(config: Record<string, string> = {}, secrets: Record<string, string> = {}): Promise<void> {
    // A config file left by an interrupted run would carry secrets under another salt.
    fs.rmSync(this.configFile, { force: true });
    await this.run(["stack", "init", this.stack]);
    const pairs = [
      ...Object.entries(config).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
      ...Object.entries(secrets).flatMap(([k, v]) => ["--secret", `${k}=${v}`]),
    ];
    if (pairs.length > 0) await this.run(["config", "set-all", "--stack", this.stack, ...pairs]);
  }

  /** The stack's config file in the project directory (secrets in it are encrypted). */
  get configFile(): string {
    return path.join(this.projectDir, `Pulumi.${this.stack}.yaml`);
  }

  setConfig(key: string, value: string): Promise<RunResult> {
    return this.run(["config", "set", "--stack", this.stack, key, value]);
  }

  up(extra: string[] = []): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--stack", this.stack, ...extra]);
  }

  /** `pulumi preview --json`: the planned steps, keyed by resource name (last URN segment). */
  async preview(
    extra: string[] = [],
  ): Promise<{ steps: PlannedStep[]; changeSummary: Record<string, number> }> {
    const res = await this.run(["preview", "--json", "--stack", this.stack, ...extra]);
    const parsed = JSON.parse(res.stdout) as {
      steps?: PlannedStep[];
      changeSummary?: Record<string, number>;
    };
    return { steps: parsed.steps ?? [], changeSummary: parsed.changeSummary ?? {} };
  }

  refresh(opts: { env?: Record<string, string> } = {}): Promise<RunResult> {
    return this.run(["refresh", "--yes", "--skip-preview", "--stack", this.stack], opts);
  }

  destroy(): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview", "--stack", this.stack]);
  }

  async outputs(): Promise<Record<string, unknown>> {
    const res = await this.run(["stack", "output", "--json", "--show-secrets", "--stack", this.stack]);
    return JSON.parse(res.stdout) as Record<string, unknown>;
  }

  async exportState(): Promise<string> {
    return (await this.run(["stack", "export", "--stack", this.stack])).stdout;
  }

  /**
   * Forgets the stack: its state backend and config file. No CLI call is needed, since the backend
   * is this stack's own directory; the accsyn entities it declared are left as they are.
   */
  async removeStack(): Promise<void> {
    fs.rmSync(this.configFile, { force: true });
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

/** Resource name -> op, for steps other than the stack itself. */
export function opsByName(steps: PlannedStep[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of steps) {
    if (s.urn.includes("pulumi:pulumi:Stack")) continue;
    out[s.urn.split("::").pop() ?? s.urn] = s.op;
  }
  return out;
}

/** Creates `stack` pointed at a running accsyn-local as `user`, the key set as a secret, plus `config`. */
export async function initAccsynStack(
  stack: PulumiStack,
  server: { url: string },
  user: { code: string; apiKey: string },
  config: Record<string, string> = {},
): Promise<void> {
  await stack.init(
    { "accsyn:endpoint": server.url, "accsyn:workspace": "demo", "accsyn:apiUser": user.code, ...config },
    { "accsyn:apiKey": user.apiKey },
  );
}

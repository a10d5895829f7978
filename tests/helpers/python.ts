import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** A seed user as far as the Python client needs it. */
export interface PyUser {
  code: string;
  apiKey?: string;
}

/** Anything with the port of a running accsyn-local. */
export interface PyTarget {
  port: number;
}

function findRoot(start: string): string {
  let dir = start;
  while (
    !existsSync(path.join(dir, "package.json")) ||
    !existsSync(path.join(dir, "scripts", "python-venv.sh"))
  ) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no project root above ${start}`);
    dir = up;
  }
  return dir;
}

const ROOT = findRoot(__dirname);
const SCRIPT = path.join(ROOT, "scripts", "python-venv.sh");

let venvPython: Promise<string> | undefined;

/** Runs scripts/python-venv.sh once per process; resolves to the venv python. */
export function ensureVenv(): Promise<string> {
  if (!venvPython) {
    venvPython = new Promise<string>((resolve, reject) => {
      execFile("bash", [SCRIPT], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`python-venv.sh failed: ${err.message}\n${stderr}`));
          return;
        }
        const lines = stdout.trim().split("\n");
        resolve(lines[lines.length - 1].trim());
      });
    });
  }
  return venvPython;
}

/**
 * Prepended to every snippet: the official client, a JSON printer that turns the
 * datetimes the client decodes back into the wire format, and `attempt`, which
 * turns an exception into {"error": message} so a table of calls can continue.
 */
const PRELUDE = `
import json, sys, datetime, logging
logging.disable(logging.CRITICAL)
import accsyn_api
from accsyn_api.session import Session, AccsynException

def _default(o):
    if isinstance(o, datetime.datetime):
        if o.tzinfo is not None:
            o = o.astimezone(datetime.timezone.utc)
        return o.strftime("%Y-%m-%dT%H:%M:%S")
    return str(o)

def out(value):
    sys.stdout.write("\\n" + json.dumps(value, default=_default) + "\\n")
    sys.stdout.flush()

def attempt(fn):
    try:
        return {"ok": fn()}
    except BaseException as e:
        msg = str(e)
        return {"error": msg[:2000]}
`;

/** Error from a snippet that raised; `stderr` holds the traceback. */
export class PythonError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
  }
}

const workDir = mkdtempSync(path.join(tmpdir(), "accsyn-py-"));
process.once("exit", () => rmSync(workDir, { recursive: true, force: true }));

/**
 * Runs a Python snippet with the venv python. The snippet prints one JSON
 * document on its last stdout line (use `out(value)`); it is parsed and returned.
 * A Python exception rejects with a PythonError carrying stderr.
 */
export async function runPython(
  script: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<unknown> {
  const python = await ensureVenv();
  return new Promise<unknown>((resolve, reject) => {
    const child = spawn(python, ["-c", PRELUDE + "\n" + script], {
      // a fresh cwd so that the client never picks up a stray .env file
      cwd: workDir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        const lines = stderr.trim().split("\n");
        reject(new PythonError(`python exited ${code}: ${lines[lines.length - 1] ?? ""}`, stderr, code));
        return;
      }
      const lines = stdout.trim().split("\n");
      const last = lines[lines.length - 1] ?? "";
      try {
        resolve(JSON.parse(last) as unknown);
      } catch (err) {
        reject(new PythonError(`last stdout line is not JSON: ${last} (${String(err)})`, stderr, code));
      }
    });
  });
}

/** The environment that points the official client at `server` as `user`. */
export function pySession(server: PyTarget, user: PyUser, workspace = "demo"): Record<string, string> {
  if (!user.apiKey) throw new Error(`seed user ${user.code} has no apiKey`);
  return {
    ACCSYN_PROXY: `accsyn:127.0.0.1:${server.port}`,
    ACCSYN_WORKSPACE: workspace,
    ACCSYN_API_USER: user.code,
    ACCSYN_API_KEY: user.apiKey,
  };
}

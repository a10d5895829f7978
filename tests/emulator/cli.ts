import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

const CLI = require.resolve("accsyn-local/cli");

export function freePort(): Promise<number> {
  return portFree(0).then((p) => {
    if (p === undefined) throw new Error("no free port");
    return p;
  });
}

/** Resolves to the port if `port` (0 = any) can be bound on 127.0.0.1 now, else undefined. */
export function portFree(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(undefined));
    s.listen(port, "127.0.0.1", () => {
      const addr = s.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Cli {
  child: ChildProcess;
  url: string;
}

/** Starts the accsyn-local CLI on `port` with `--data dataDir` and the rate limit off. */
export function startCli(port: number, dataDir: string, extra: string[] = []): Promise<Cli> {
  return spawnCli([
    "--port",
    String(port),
    "--host",
    "127.0.0.1",
    "--data",
    dataDir,
    "--rate-limit",
    "off",
    ...extra,
  ]);
}

/** Runs the accsyn-local CLI with exactly `args`; resolves once it prints "accsyn-local listening on URL". */
export function spawnCli(args: string[]): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`accsyn-local did not start in 15 s: ${out} ${err}`));
    }, 15_000);
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /accsyn-local listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr?.on("data", (b: Buffer) => (err += b.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`accsyn-local exited ${code}: ${out} ${err}`));
    });
  });
}

export function kill9(cli: Cli): Promise<void> {
  return new Promise((resolve) => {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) {
      resolve();
      return;
    }
    cli.child.once("exit", () => resolve());
    cli.child.kill("SIGKILL");
  });
}

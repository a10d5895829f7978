import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import * as path from "node:path";

const CLI = path.resolve(__dirname, "..", "..", "emulator", "cli.js");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
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

/** Starts the accsyn-local CLI and resolves once it prints "accsyn-local listening on URL". */
export function startCli(port: number, dataDir: string, extra: string[] = []): Promise<Cli> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--data",
        dataDir,
        "--rate-limit",
        "off",
        ...extra,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
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

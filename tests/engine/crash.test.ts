import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { type Decl, VOLUME, useEngine } from "./harness";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../../scripts/pulumi-env.js") as {
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every live descendant of `pid` (Linux /proc): the engine's plugins, the provider host among them. */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we looked: it is no one's descendant any more
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    return !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

function isProviderHost(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider");
  } catch {
    return false;
  }
}

function folders(n: number): Decl[] {
  return [
    VOLUME,
    ...Array.from({ length: n }, (_, i) => ({
      type: "Folder" as const,
      name: `crash${i}`,
      args: { name: `Crash ${i}`, code: `crash${i}`, volume: "@vol", path: `shows/crash${i}` },
    })),
  ];
}

describe("engine: the CLI killed in the middle of up", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("the provider process stops writing to accsyn within seconds of a kill -9 of `pulumi up`", async () => {
    const stack = await engine.stack("crash", folders(40));
    // Slow and often refused creates keep the deployment busy, and the client retrying, long enough
    // to kill it in the middle.
    await engine.server.setFaults([
      { uri: "folder/create", action: "unavailable", probability: 0.5 },
      { uri: "folder/create", action: "latency", latencyMs: 400 },
    ]);
    const creates = async (): Promise<number> =>
      Object.entries((await engine.server.counters()).byUri)
        .filter(([k]) => k.endsWith(" folder/create"))
        .reduce((sum, [, v]) => sum + v, 0);
    const up = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", stack.stack], {
      cwd: stack.projectDir,
      env: pulumiEnv({ backendDir: stack.backendDir }),
      stdio: "ignore",
    });
    let hosts: number[] = [];
    try {
      const deadline = Date.now() + 120_000;
      while ((await creates()) < 3) {
        assert.ok(Date.now() < deadline, "up started creating folders");
        assert.equal(up.exitCode, null, "up is still running");
        await sleep(100);
      }
      hosts = descendants(up.pid as number).filter(isProviderHost);
      assert.ok(hosts.length > 0, "the dynamic-provider host runs under the CLI");
      up.kill("SIGKILL");
      // The provider checks its engine every second; requests already in flight may still land.
      await sleep(4000);
      assert.deepEqual(hosts.filter(alive), [], "the provider host exited once its engine was gone");
      const afterGrace = await creates();
      await sleep(5000);
      const later = await creates();
      assert.equal(later, afterGrace, `no folder/create after the engine died (${afterGrace} → ${later})`);
      assert.ok(afterGrace < 40, `the deployment was cut short (${afterGrace} of 40 creates)`);
    } finally {
      up.kill("SIGKILL");
      for (const pid of hosts.filter(alive)) process.kill(pid, "SIGKILL");
      await engine.server.setFaults([]);
    }
  });
});

/**
 * What a drift check costs: `pulumi preview` of a workspace of N folders (plus their volume) through
 * the real engine against accsyn-local, in three modes measured in the same run:
 *   - live diff with coalesced reads (the default),
 *   - live diff with coalescing off (ACCSYN_CACHE_TTL_MS=0): the baseline of one read per resource,
 *   - accsyn:liveDiff=false: state only, no reads (cannot see drift).
 * Reports API calls (from accsyn-local's counters), wall time and the ratios to the baseline.
 * Usage: node dist/bench/preview-cost.js [N=200]
 */
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../tests/helpers/pulumi";
import { startTestServer } from "../tests/helpers/server";

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 200);
  const server = await startTestServer();
  const admin = server.credentials("admin");
  const stack = new PulumiStack(path.join(REPO_ROOT, "tests", "fixtures", "workspace"), "bench");
  try {
    await initAccsynStack(stack, server, admin);
    const decls = [
      {
        type: "Volume",
        name: "vol",
        args: { name: "Bench", code: "bench", paths: { linux: "/mnt/bench" }, server: "hq-server" },
      },
      ...Array.from({ length: n }, (_, i) => ({
        type: "Folder",
        name: `f${i}`,
        args: {
          name: `Folder ${i}`,
          code: `bench_f${i}`,
          volume: "@vol",
          path: `shots/sh${String(i).padStart(4, "0")}`,
        },
      })),
    ];
    await stack.setConfig("e2e:resources", JSON.stringify(decls));
    let t = Date.now();
    await server.resetCounters();
    await stack.up();
    console.log(
      `up of ${n + 1} resources: ${((Date.now() - t) / 1000).toFixed(1)} s, ${(await server.counters()).total} API calls`,
    );

    const measure = async (label: string, env: Record<string, string>, liveDiff: boolean) => {
      await stack.setConfig("accsyn:liveDiff", String(liveDiff));
      await server.resetCounters();
      t = Date.now();
      const res = await stack.run(["preview", "--stack", stack.stack], { env });
      const ms = Date.now() - t;
      if (!/unchanged|same/.test(res.stdout)) throw new Error(`unexpected plan for ${label}:\n${res.stdout}`);
      return { label, calls: (await server.counters()).total, ms };
    };
    const coalesced = await measure("live diff, coalesced reads (default)", {}, true);
    const baseline = await measure(
      "live diff, one read per resource (baseline)",
      { ACCSYN_CACHE_TTL_MS: "0" },
      true,
    );
    const stateOnly = await measure("state only (accsyn:liveDiff=false)", {}, false);
    console.log(`\npreview of ${n + 1} unchanged resources:`);
    console.log(
      "mode".padEnd(46) +
        "API calls".padStart(10) +
        "calls/baseline".padStart(16) +
        "time s".padStart(9) +
        "time/baseline".padStart(15),
    );
    for (const r of [baseline, coalesced, stateOnly]) {
      console.log(
        r.label.padEnd(46) +
          String(r.calls).padStart(10) +
          (r.calls / baseline.calls).toFixed(3).padStart(16) +
          (r.ms / 1000).toFixed(1).padStart(9) +
          (r.ms / baseline.ms).toFixed(2).padStart(15),
      );
    }
    await stack.setConfig("accsyn:liveDiff", "true");
    await stack.destroy();
  } finally {
    await stack.removeStack();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

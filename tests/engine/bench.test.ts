import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { OPS } from "../../bench/measure";
import { runBench } from "../../bench/run";
import { mixOf } from "../../bench/workload";

/** The smallest workload that still holds every kind (1 volume, site server, home, collection, grant; 3 folders). */
const N = 8;

describe("engine: the benchmark harness (npm run bench) at N = 8", function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-smoke-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes results of the issue's shape with sane figures: every operation timed against the baseline, calls counted", async () => {
    const out = path.join(dir, "latest.json");
    await runBench({ ns: [N], reps: 1, throttledN: N, faultN: N, faultRuns: 1, out });
    const r = JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown> & {
      scale: {
        n: number;
        op: string;
        seconds: number;
        baselineSeconds: number;
        ratio: number;
        floorSeconds: number;
        floorRatio: number;
        apiCalls: number;
        changes: number;
        apiCallsByUri: Record<string, number>;
      }[];
      providerBytesPerResource: number;
      baselineProviderBytesPerResource: number;
      floorProviderBytesPerResource: number;
      state: { stateBytes: number; baselineStateBytes: number; floorStateBytes: number }[];
      throttled: {
        n: number;
        seconds: number;
        floorSeconds: number;
        responses429: number;
        mutatingCalls: number;
      };
      faults: { n: number; faultRate: number; completed: boolean; duplicates: number; driftAfter: number };
    };
    assert.deepEqual(r.errors, [], "no step failed");
    assert.equal(r.complete, true);
    assert.deepEqual(
      r.scale.map((s) => s.op),
      [...OPS],
    );
    for (const s of r.scale) {
      assert.equal(s.n, N);
      assert.ok(s.seconds > 0.5 && s.baselineSeconds > 0.5, `${s.op}: a CLI run takes over half a second`);
      // The ratio is of the unrounded medians; the seconds shown are rounded to 10 ms.
      assert.ok(Math.abs(s.ratio - s.seconds / s.baselineSeconds) < 0.02, `${s.op} ratio ${s.ratio}`);
      assert.ok(s.ratio > 0.3 && s.ratio < 30, `${s.op} ratio ${s.ratio}`);
      assert.ok(s.floorSeconds > 0.5, `${s.op}: the floor was timed too`);
      assert.ok(
        Math.abs(s.floorRatio - s.seconds / s.floorSeconds) < 0.02,
        `${s.op} floor ratio ${s.floorRatio}`,
      );
    }
    const up = r.scale.find((s) => s.op === "up");
    assert.equal(up?.changes, N, "up created every resource");
    assert.ok(
      (up?.apiCallsByUri["POST folder/create"] ?? 0) >= mixOf(N).Folder,
      JSON.stringify(up?.apiCallsByUri),
    );
    assert.equal(
      r.scale.find((s) => s.op === "preview-drift")?.changes,
      1,
      "one edit at N = 8, one update planned",
    );
    // The provider's text and the floor's are written by hand; the baseline's is the SDK's serialization.
    assert.ok(r.providerBytesPerResource > 100 && r.providerBytesPerResource <= 4096);
    assert.ok(r.floorProviderBytesPerResource > 100, "the floor stores its own (small) provider text");
    assert.ok(r.baselineProviderBytesPerResource > 1000, "the baseline stores the SDK's serialized provider");
    const [state] = r.state;
    assert.ok(state && state.floorStateBytes > 0 && state.floorStateBytes < state.baselineStateBytes);
    assert.equal(r.throttled.n, N);
    assert.ok(r.throttled.mutatingCalls >= N && r.throttled.floorSeconds > 0 && r.throttled.seconds > 0);
    assert.equal(r.throttled.responses429, 0, "8 resources stay within the burst of 60");
    assert.deepEqual(
      {
        n: r.faults.n,
        faultRate: r.faults.faultRate,
        completed: r.faults.completed,
        duplicates: r.faults.duplicates,
        driftAfter: r.faults.driftAfter,
      },
      { n: N, faultRate: 0.2, completed: true, duplicates: 0, driftAfter: 0 },
    );
  });
});

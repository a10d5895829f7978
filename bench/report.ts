/**
 * BENCHMARKS.md from bench/results/latest.json: the figures, the issue's goals and how far each is,
 * the API calls per operation, the method and the machine. `node dist/bench/report.js [json] [md]`
 * rewrites it without measuring again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chartSvg } from "./chart";
import { OPS } from "./measure";
import type { BenchResults, ScaleRow } from "./results";

const fmt = (x: number, d = 1): string => x.toFixed(d);
const mib = (b: number): string => `${(b / (1 << 20)).toFixed(2)} MiB`;
const ok = (pass: boolean): string => (pass ? "✅ met" : "❌ not met");
/** The issue's goals are stated at N = 500 (throttled) and 200 (faults); a shorter run is no verdict. */
const atLeast = (n: number, want: number, pass: boolean): boolean | undefined =>
  n >= want ? pass : undefined;

interface Goal {
  goal: string;
  measured: string;
  pass: boolean | undefined;
  /** How far the worst figure is from the goal (positive: over it). */
  gap?: string;
}

const over = (x: number, unit: string): string =>
  x > 0 ? `${+x.toFixed(2)}${unit} over` : `${+(-x).toFixed(2)}${unit} to spare`;

/** Each goal of issue 13 against the run, at the largest N measured. */
function goals(r: BenchResults): Goal[] {
  const top = Math.max(...r.scale.map((s) => s.n));
  const at = (op: string): ScaleRow | undefined => r.scale.find((s) => s.n === top && s.op === op);
  const out: Goal[] = [];
  for (const [op, limit] of [
    ["up", 1.15],
    ["preview", 1.1],
    ["refresh", 1.2],
    ["destroy", 1.2],
  ] as const) {
    const row = at(op);
    out.push({
      goal: `\`${op}\` ≤ ${limit}x the baseline at N = 500`,
      measured: row
        ? `${row.ratio}x at N = ${top} (${fmt(row.seconds)} s vs ${fmt(row.baselineSeconds)} s)`
        : "not run",
      pass: row ? atLeast(top, 500, row.ratio <= limit) : undefined,
      gap: row ? over(row.ratio - limit, "x") : undefined,
    });
  }
  for (const op of ["preview", "refresh"]) {
    const rows = r.scale.filter((s) => s.op === op);
    const worst = Math.max(...rows.map((s) => s.apiCalls));
    out.push({
      goal: `\`${op}\` ≤ 20 API calls whatever N`,
      measured: rows.map((s) => `${s.apiCalls} at N = ${s.n}`).join(", "),
      pass: rows.length ? worst <= 20 : undefined,
      gap: rows.length ? over(worst - 20, " calls") : undefined,
    });
  }
  for (const op of ["up", "destroy"]) {
    const rows = r.scale.filter((s) => s.op === op);
    const parts = rows.map((s) => {
      const want = r.expectedMutating[`${s.n} ${op}`] ?? 0;
      return { s, want, extra: s.mutatingCalls - want };
    });
    out.push({
      goal: `\`${op}\`: exactly one mutating call per entity it creates or removes`,
      measured: parts.map((p) => `${p.s.mutatingCalls} for ${p.want} at N = ${p.s.n}`).join(", "),
      pass: parts.length ? parts.every((p) => p.extra === 0) : undefined,
      gap: parts.length
        ? `${Math.max(...parts.map((p) => Math.abs(p.extra)))} calls off at worst`
        : undefined,
    });
  }
  const upRows = r.scale.filter((s) => s.op === "up");
  const reads = (s: ScaleRow): number =>
    s.apiCalls - s.mutatingCalls - (s.apiCallsByUri["PUT api/login"] ?? 0);
  out.push({
    goal: "`up`: no lookups before creates that a list already answered (reads ≤ 20, one list per kind)",
    measured: upRows
      .map((s) => `${reads(s)} reads at N = ${s.n} (${s.apiCallsByUri["GET user/find"] ?? 0} \`user/find\`)`)
      .join(", "),
    pass: upRows.length ? upRows.every((s) => reads(s) <= 20) : undefined,
    gap: upRows.length ? over(Math.max(...upRows.map(reads)) - 20, " reads") : undefined,
  });
  const logins = r.scale.map((s) => s.apiCallsByUri["PUT api/login"] ?? 0);
  out.push({
    goal: "one login per run",
    measured: `at most ${Math.max(0, ...logins)} per operation`,
    pass: logins.length ? Math.max(...logins) <= 1 : undefined,
  });
  out.push({
    goal: "serialized provider ≤ 4 KiB per resource",
    measured: `${r.providerBytesPerResource} bytes (no-op baseline: ${r.baselineProviderBytesPerResource})`,
    pass: r.providerBytesPerResource <= 4096,
    gap: over(r.providerBytesPerResource - 4096, " bytes"),
  });
  const t = r.throttled;
  const engine = t ? engineFloor(r, t) : undefined;
  out.push({
    goal: "throttled `up` at N = 500 ≤ 1.1x its floor, 0 replies of 429",
    measured: t
      ? `${t.ratio}x at N = ${t.n} (${fmt(t.seconds)} s vs ${fmt(t.floorSeconds)} s for ${t.mutatingCalls} mutating calls), ${t.responses429} × 429` +
        (engine
          ? `; the engine alone takes ${fmt(engine.seconds)} s for this \`up\` (the floor variant), and against the larger of the two floors it is ${engine.ratio}x`
          : "")
      : "not run",
    pass: t ? atLeast(t.n, 500, t.ratio <= 1.1 && t.responses429 === 0) : undefined,
    gap: t ? `${over(t.ratio - 1.1, "x")}, ${t.responses429} × 429` : undefined,
  });
  const f = r.faults;
  out.push({
    goal: "20 % faults, N = 200: one `up` completes, 0 duplicates, next preview plans nothing",
    measured: f
      ? `N = ${f.n}, ${f.runs.length} run(s): ${f.runs.filter((x) => x.completed).length} completed, ${f.duplicates} duplicates, driftAfter ${f.driftAfter}`
      : "not run",
    pass: f ? atLeast(f.n, 200, f.completed && f.duplicates === 0 && f.driftAfter === 0) : undefined,
  });
  return out;
}

/**
 * The floor variant's median `up` at the throttled run's N (what the engine alone needs for it), and
 * the throttled run against the larger of that and the service's floor.
 */
function engineFloor(
  r: BenchResults,
  t: NonNullable<BenchResults["throttled"]>,
): { seconds: number; ratio: string } | undefined {
  const row = r.scale.find((s) => s.n === t.n && s.op === "up");
  if (!row?.floorSeconds) return undefined;
  return {
    seconds: row.floorSeconds,
    ratio: (t.seconds / Math.max(row.floorSeconds, t.floorSeconds)).toFixed(2),
  };
}

function scaleTable(rows: ScaleRow[]): string[] {
  const out = [
    "| N | operation | pulumi-accsyn s | baseline s | ratio | floor s | to floor | API calls | mutating | changes | samples (s, provider / baseline / floor) |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows)
    out.push(
      `| ${r.n} | ${r.op} | ${fmt(r.seconds)} | ${fmt(r.baselineSeconds)} | **${r.ratio}x** | ${r.floorSeconds ? fmt(r.floorSeconds) : ""} | ${r.floorRatio ? `${r.floorRatio}x` : ""} | ${r.apiCalls} | ${r.mutatingCalls} | ${r.changes} | ${[r.samples.seconds, r.samples.baselineSeconds, r.samples.floorSeconds ?? []].map((xs) => xs.map((s) => fmt(s)).join(", ")).join(" / ")} |`,
    );
  return out;
}

function callsTable(rows: ScaleRow[], n: number): string[] {
  const at = OPS.map((op) => rows.find((r) => r.n === n && r.op === op));
  const uris = [...new Set(at.flatMap((r) => Object.keys(r?.apiCallsByUri ?? {})))].sort();
  const out = [`| call (at N = ${n}) | ${OPS.join(" | ")} |`, `|---|${OPS.map(() => "---:").join("|")}|`];
  for (const u of uris) out.push(`| \`${u}\` | ${at.map((r) => r?.apiCallsByUri[u] ?? "").join(" | ")} |`);
  out.push(`| **total** | ${at.map((r) => `**${r?.apiCalls ?? ""}**`).join(" | ")} |`);
  return out;
}

export function renderMarkdown(r: BenchResults, chartPath: string): string {
  const ns = [...new Set(r.scale.map((s) => s.n))].sort((a, b) => a - b);
  const top = ns[ns.length - 1];
  const m = r.machine;
  const lines: string[] = [
    "# Benchmarks",
    "",
    `<!-- Generated by \`npm run bench\` (bench/report.ts) from bench/results/latest.json; do not edit by hand. -->`,
    "",
    `Measured ${r.generatedAt} in ${Math.round(r.durationSeconds / 60)} minutes on ${m.cpus} × ${m.cpuModel} (details under [Machine](#machine)). ` +
      `pulumi-accsyn against a baseline of no-op dynamic resources and against the floor (the same no-op with a state as small as pulumi-accsyn's) in the same run, ${r.repetitions} pass(es) of each, alternating; ` +
      "figures are medians. On a shared 2-core machine ratios moved 15-45 % between whole runs before (issue 13): read them as ±20 %.",
    "",
    ...(r.complete
      ? []
      : [
          `**Partial run**: stopped after ${Math.round(r.durationSeconds / 60)} minutes; only the figures below were measured ` +
            `(configured: N = ${Object.keys(r.mix).join(", ")}, ${r.repetitions} passes each).`,
          "",
        ]),
    ...(r.errors.length
      ? [
          "## Failed steps",
          "",
          "These steps failed; their figures are missing below.",
          "",
          ...r.errors.map((e) => `- **${e.step}**: ${e.message.split("\n")[0]}`),
          "",
        ]
      : []),
    "## Goals (issue 13)",
    "",
    "| goal | measured | how far | status |",
    "|---|---|---|---|",
    ...goals(r).map(
      (g) =>
        `| ${g.goal} | ${g.measured} | ${g.gap ?? ""} | ${g.pass !== undefined ? ok(g.pass) : g.measured === "not run" ? "not run" : "no verdict: smaller N than the goal's"} |`,
    ),
    "",
    "## Wall time against the baseline",
    "",
    `![wall time against N per operation, pulumi-accsyn, the no-op baseline and the floor](${chartPath})`,
    "",
    ...scaleTable(r.scale),
    "",
    "**Baseline and floor.** The baseline is what issue 13 names: no-op `dynamic.Resource`s, whose provider the SDK's " +
      `closure serializer turns into ${r.baselineProviderBytesPerResource} bytes of text stored twice per resource. ` +
      `pulumi-accsyn writes its provider text by hand (${r.providerBytesPerResource} bytes), and the engine rewrites the whole state at every step, ` +
      `so part of any lead over the baseline in \`up\` and \`destroy\` is that smaller state, not less work. The floor is the same no-op ` +
      `provider written by hand too (${r.floorProviderBytesPerResource ?? 0} bytes): the engine's own cost for N resources, and \`to floor\` is ` +
      "pulumi-accsyn's cost over it. The goals are stated against the baseline, as the issue states them.",
    "",
    "`mutating` counts every call that is not a GET or the login. `changes` is what the engine reports " +
      "changed or planned (`up`: created, `preview-drift`: updates planned for the drift, `refresh`: read back changed).",
    "",
    "## API calls per operation, by envelope uri",
    "",
    ...callsTable(r.scale, top),
    "",
    "The baseline and the floor make no API call (checked in each pass).",
    "",
    "## State",
    "",
    `Serialized provider: **${r.providerBytesPerResource} bytes** per resource (no-op baseline: ${r.baselineProviderBytesPerResource} bytes, floor: ${r.floorProviderBytesPerResource ?? 0} bytes), ` +
      "measured as `__provider` in each resource's inputs of `pulumi stack export` (it is stored in the outputs too).",
    "",
    "| N | state (pulumi-accsyn) | state (baseline) | state (floor) |",
    "|---:|---:|---:|---:|",
    ...r.state.map(
      (s) =>
        `| ${s.n} | ${mib(s.stateBytes)} | ${mib(s.baselineStateBytes)} | ${mib(s.floorStateBytes ?? 0)} |`,
    ),
    "",
  ];
  if (r.throttled) {
    const t = r.throttled;
    const engine = engineFloor(r, t);
    lines.push(
      "## Throttled run",
      "",
      `accsyn-local with its default rate limit (${t.rateLimit.perSecond}/s, burst ${t.rateLimit.burst}) and ${t.latencyMs} ms added to every call, \`up\` of N = ${t.n}:`,
      "",
      "| wall time | floor (mutating calls / 30) | ratio | replies of 429 | API calls | mutating calls | floor of all calls | same `up` without limit or latency |",
      "|---:|---:|---:|---:|---:|---:|---:|---:|",
      `| ${fmt(t.seconds)} s | ${fmt(t.floorSeconds)} s | **${t.ratio}x** | ${t.responses429} | ${t.apiCalls} | ${t.mutatingCalls} | ${fmt(t.allCallsFloorSeconds)} s | ${t.unthrottledSeconds === undefined ? "not run" : `${fmt(t.unthrottledSeconds)} s`} |`,
      "",
      "The floor counts only the service's limit; the engine's own time for the same `up` (last column, from the table above) " +
        "is not in it, so at small N the ratio mostly measures the engine." +
        (engine
          ? ` The engine alone (the floor variant's \`up\` of N = ${t.n}, no API at all) takes ${fmt(engine.seconds)} s: ` +
            `against the larger of the two floors this run is ${engine.ratio}x. The goal row keeps the issue's definition.`
          : ""),
      "",
    );
  }
  if (r.faults) {
    const f = r.faults;
    lines.push(
      "## Faults",
      "",
      `\`up\` of N = ${f.n} (the same mix) while ${f.faultRate * 100} % of calls fail: 5 % each throttled (429), unavailable (503), ` +
        "connection reset before the event runs, reply lost after the event was committed. Then the faults stop, " +
        "accsyn-local is searched for duplicates (shares by code, inactive ones included, homes by user, ACLs by user, share and path) " +
        "and a preview counts what it would still change.",
      "",
      "| run | completed in one `up` | seconds | API calls | 429 replies | duplicates | preview changes after |",
      "|---:|---|---:|---:|---:|---:|---:|",
      ...f.runs.map(
        (x, i) =>
          `| ${i + 1} | ${x.completed ? "yes" : `no: ${x.error?.split("\n")[0] ?? ""}`} | ${fmt(x.seconds)} | ${x.apiCalls} | ${x.replies429} | ${x.duplicates} | ${x.driftAfter} |`,
      ),
      "",
    );
  }
  lines.push(
    "## Method",
    "",
    "- **Workload** (bench/workload.ts): N resources in the mix of a studio, as in issue 13: " +
      Object.entries(r.mix)
        .map(
          ([n, mix]) =>
            `N = ${n}: ${Object.entries(mix)
              .map(([k, v]) => `${v} ${k}`)
              .join(", ")}`,
        )
        .join("; ") +
      ". Folders reference volumes, grants reference folders (vendors invited by e-mail, one or two rules), " +
      "homes belong to seeded employees, collections hold files of a folder and depend on it, volume servers assign site servers.",
    "- **Provider**: tests/fixtures/workspace declares the resources through `pulumi-accsyn`; the real Pulumi engine (the CLI built from source), " +
      "a file backend, accsyn-local in the benchmark's process without a rate limit, reset to the same seed before every pass.",
    "- **Baseline**: bench/programs/baseline declares the same resources (type tokens, names, inputs, references, `dependsOn`) " +
      "as `dynamic.Resource`s whose provider returns at once; same engine, backend and machine. " +
      "The **floor** is the same program with `BENCH_PROVIDER_TEXT=minimal`: the same no-op methods as a hand-written module text, " +
      "registered as pulumi-accsyn registers its resources (`CustomResource` with `__provider`).",
    "- **Operations**, timed as the whole CLI command (start-up included): `up` (create all, `--skip-preview`), `preview --json` (no change), " +
      "`preview --json` after about 10 % of the resources were edited out of band (names of volumes, folders, collections, descriptions of homes, " +
      "through the wire API as the web app would; the baseline's provider is told the same names and plans the same updates), " +
      "`refresh` (after that drift: the baseline's and floor's read return the same resources changed, so every variant records one update per edit) and `destroy`. Each pass checks the plans: no change after `up`, one update per edit in the drift preview and the refresh.",
    "- **Order**: for each N, each pass runs the three variants on their own stacks interleaved operation by operation (`up` of provider, baseline, floor, then `preview` of each, and so on), so the samples compared are seconds apart; every other pass runs them in the reverse order (A B C, then C B A), so that no variant always goes first. The table gives medians and every sample.",
    "- **API calls** from accsyn-local's control-plane counters (reset before each operation), by HTTP method and envelope uri.",
    "",
    "## Machine",
    "",
    "| | |",
    "|---|---|",
    `| CPU | ${m.cpus} × ${m.cpuModel} |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| OS | ${m.os} |`,
    `| Node.js | ${m.node} |`,
    `| Pulumi CLI | ${m.pulumi} |`,
    `| load average at start | ${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(", ")} |`,
    "",
    "## Running it",
    "",
    "`npm run bench` installs what is missing, runs everything above and rewrites bench/results/latest.json, " +
      `bench/results/chart.svg and this file (this run: ${Math.round(r.durationSeconds / 60)} minutes). ` +
      "Each finished step is written at once, so a run stopped early keeps what it measured. Shorter runs:",
    "",
    "| variable | default | meaning |",
    "|---|---|---|",
    "| `BENCH_N` | `50,200,500` | workload sizes (at least 8 each) |",
    "| `BENCH_REPS` | `2` | passes of each variant per N (A B C, then C B A, per operation) |",
    "| `BENCH_THROTTLED_N` | `500` | N of the throttled run; `0` skips it |",
    "| `BENCH_FAULT_N` | `200` | N of the fault runs; `0` skips them |",
    "| `BENCH_FAULT_RUNS` | `3` | fault runs (the issue asks for three) |",
    "| `BENCH_OUT` | `bench/results/latest.json` | where the results go; BENCHMARKS.md and the chart are rewritten only for the default |",
    "",
    "e.g. `BENCH_N=50 BENCH_REPS=1 BENCH_THROTTLED_N=50 BENCH_FAULT_N=50 npm run bench` takes a few minutes. " +
      "`node dist/bench/report.js` rewrites this file and the chart from the JSON. " +
      "bench/preview-cost.ts (`node dist/bench/preview-cost.js 200`) compares the preview's coalesced reads with one read per resource.",
    "",
  );
  return lines.join("\n");
}

/** Writes the chart next to the JSON and the Markdown at `md`. */
export function writeReport(r: BenchResults, json: string, md: string): void {
  const chart = path.join(path.dirname(json), "chart.svg");
  fs.writeFileSync(
    chart,
    chartSvg(r.scale, "Wall time against N: pulumi-accsyn, a no-op baseline and the floor"),
  );
  fs.writeFileSync(md, renderMarkdown(r, path.relative(path.dirname(md), chart)));
}

if (require.main === module) {
  const json = process.argv[2] ?? path.join("bench", "results", "latest.json");
  const r = JSON.parse(fs.readFileSync(json, "utf8")) as BenchResults;
  // Results written before these fields existed.
  const filled = { ...r, errors: r.errors ?? [], complete: r.complete ?? true };
  writeReport(filled, json, process.argv[3] ?? "BENCHMARKS.md");
}

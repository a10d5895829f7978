#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { renderMarkdown } from "./markdown";
import { parsePreview } from "./preview";
import { type Gate, GATES, isGate, reportJson, reportOf, tripped } from "./report";
import { runPreview } from "./run";
import { configureSettings } from "../runtime/settings";
import { workspaceApi } from "../runtime/workspace-api";
import { stackConfig } from "./stack-config";
import { unmanagedAccess } from "./unmanaged";

const USAGE = `usage: accsyn-plan [--stack S] [--cwd DIR] [--from FILE] [--json] [--fail-on GATES] [--check-drift]

Runs \`pulumi preview --refresh --json\` (or reads saved preview JSON with --from FILE, - for stdin)
and writes a review for a pull-request comment to stdout: verdict and counts, risky changes, access
review per user, drift, and field-level changes per resource (under GitHub's 65,536-character limit).

  --json            the same review as JSON
  --fail-on GATES   exit 2 when the plan has any of: ${Object.keys(GATES).join(", ")} (comma-separated)
  --check-drift     read-only drift check: the drift section, plus (without --from) the ACLs on the
                    stack's shares that no Grant declares; exit 2 when there is either
Exit codes: 0 fine, 1 error, 2 a gate tripped (or drift with --check-drift).`;

class UsageError extends Error {}

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      stack: { type: "string" },
      cwd: { type: "string" },
      from: { type: "string" },
      json: { type: "boolean", default: false },
      "fail-on": { type: "string" },
      "check-drift": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const gates = (values["fail-on"] ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  const wrong = gates.filter((g) => !isGate(g));
  if (wrong.length > 0) {
    throw new UsageError(
      `--fail-on: unknown gate(s) ${wrong.join(", ")}; use ${Object.keys(GATES).join(", ")}`,
    );
  }
  if (values["check-drift"] && !gates.includes("drift")) gates.push("drift");
  return { ...values, gates: gates as Gate[] };
}

/** accsyn-plan's command line; accsyn-drift is the same with --check-drift. Resolves to the exit code. */
export async function planMain(argv: string[]): Promise<number> {
  const o = options(argv);
  if (o.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const text =
    o.from !== undefined
      ? readFileSync(o.from === "-" ? 0 : o.from, "utf8")
      : await runPreview({ stack: o.stack, cwd: o.cwd });
  const report = reportOf(parsePreview(text, o.from ?? "pulumi preview"));
  if (o["check-drift"] && o.from === undefined) {
    // Log in as the stack's provider does (its config, then the ACCSYN_* environment).
    configureSettings(await stackConfig({ stack: o.stack, cwd: o.cwd }));
    report.unmanaged = await unmanagedAccess(report.plan, workspaceApi());
  }
  if (o["check-drift"]) {
    // Only the drift matters to a scheduled check; changes the code makes are a pull request's job.
    report.risks = [];
    report.access = { changes: [], invited: [] };
    report.plan = {
      ...report.plan,
      resources: report.plan.resources.filter((r) => report.drift.some((d) => d.resource === r.name)),
    };
  }
  process.stdout.write(o.json ? JSON.stringify(reportJson(report), null, 2) + "\n" : renderMarkdown(report));
  const hit = tripped(report, o.gates);
  if (hit.length > 0) process.stderr.write(`accsyn-plan: ${hit.join(", ")} in the plan (--fail-on)\n`);
  return hit.length > 0 ? 2 : 0;
}

/** Runs a command line to its exit code; failures print their message (and the usage when it was the usage). */
export function runCommand(main: (argv: string[]) => Promise<number>, usage: string): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      // Every failure here is typed and says what went wrong (the client's errors name the request).
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      if (e instanceof UsageError || (e as { code?: string })?.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
        process.stderr.write(usage + "\n");
      }
      process.exit(1);
    },
  );
}

if (require.main === module) runCommand(planMain, USAGE);

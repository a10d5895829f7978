#!/usr/bin/env node
/**
 * accsyn-export: writes a Pulumi program that declares a live accsyn workspace (every resource
 * adopting its entity), from the same credentials and endpoint settings as the provider.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { closeSharedClients, isAccsynError } from "../client";
import { PreviewRunError } from "../plan/run";
import { stackConfig } from "../plan/stack-config";
import { isProviderError } from "../runtime/errors";
import { configureSettings } from "../runtime/settings";
import { ClientWorkspaceApi, workspaceApi } from "../runtime/workspace-api";
import { ExportReadError, ExportUsageError, ExportWriteError, isExportError } from "./errors";
import { countsLine } from "./header";
import { type ExportFormat, OWN_PROJECT, programText, projectFiles } from "./project";
import { progressEvery, runExport } from "./run";

export const USAGE = `usage: accsyn-export [--out DIR] [--format ts|yaml] [--volume CODE] [--include-inactive] [--stack NAME]

Reads the live accsyn workspace and writes a Pulumi program that declares it: volumes (paths,
serving server), site-server assignments, folders, homes, collections (with their files) and
grants (one per user and share). Every resource has adopt: true, so \`pulumi up\` takes the
workspace over without creating anything; each carries its accsyn id in a comment.

  --out DIR            write a complete project to DIR (index.ts, Pulumi.yaml, package.json,
                       tsconfig.json; with --format yaml also workspace.yaml); without it the
                       program goes to stdout
  --format ts|yaml     a TypeScript program (default) or a YAML workspace for pulumi-accsyn/yaml
  --volume CODE        only that volume and what lies beneath it (its folders, homes, site
                       servers, the collections whose files all lie there, and their grants)
  --include-inactive   declare deactivated entities too (\`pulumi up\` re-activates them)
  --stack NAME         log in with that stack's accsyn:* config (\`pulumi config\` in the current
                       directory); otherwise ACCSYN_WORKSPACE, ACCSYN_API_USER, ACCSYN_API_KEY and
                       ACCSYN_PROXY (or ACCSYN_CREDENTIALS_PATH), as the provider reads them
Progress and a summary go to stderr. Exit codes: 0 done, 1 error, 2 written but some entities
could not be declared (listed on stderr).`;

interface Options {
  out?: string;
  format: ExportFormat;
  volume?: string;
  includeInactive: boolean;
  stack?: string;
  help: boolean;
}

function options(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        out: { type: "string" },
        format: { type: "string", default: "ts" },
        volume: { type: "string" },
        "include-inactive": { type: "boolean", default: false },
        stack: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new ExportUsageError(e instanceof Error ? e.message : String(e), "see accsyn-export --help");
  }
  const format = values.format ?? "ts";
  if (format !== "ts" && format !== "yaml") {
    throw new ExportUsageError(`--format '${format}' is not a format`, "use --format ts or --format yaml");
  }
  return {
    format,
    includeInactive: values["include-inactive"] === true,
    help: values.help === true,
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.volume !== undefined ? { volume: values.volume } : {}),
    ...(values.stack !== undefined ? { stack: values.stack } : {}),
  };
}

function writeProject(dir: string, files: Record<string, string>): void {
  const existing = path.join(dir, "Pulumi.yaml");
  // Re-exporting into the same directory is how a workspace's changes are reviewed; writing over
  // a project someone wrote by hand is not.
  if (existsSync(existing) && !readFileSync(existing, "utf8").includes(OWN_PROJECT)) {
    throw new ExportUsageError(
      `--out ${dir} holds a Pulumi project accsyn-export did not write`,
      "choose a new or empty directory (its index.ts would be overwritten)",
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  } catch (e) {
    throw new ExportWriteError(dir, (e as NodeJS.ErrnoException).code ?? String(e));
  }
}

/** The stack's accsyn:* config (secrets decrypted, kept in memory), as the provider reads it. */
async function configOf(stack: string): Promise<(key: string) => string | undefined> {
  try {
    return await stackConfig({ stack });
  } catch (e) {
    if (!(e instanceof PreviewRunError)) throw e;
    throw new ExportReadError(
      `pulumi config --stack ${stack}`,
      e.stderr.trim().split("\n").slice(-3).join(" ") || `exit ${String(e.exitCode)}`,
      "run accsyn-export in the Pulumi project directory of that stack, or leave --stack out and set ACCSYN_* variables",
    );
  }
}

/** accsyn-export's command line. Resolves to the exit code. */
export async function exportMain(argv: string[], err: (line: string) => void): Promise<number> {
  const o = options(argv);
  if (o.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  configureSettings(o.stack !== undefined ? await configOf(o.stack) : () => undefined);
  const api = workspaceApi();
  if (!(api instanceof ClientWorkspaceApi)) throw new Error("accsyn-export: the workspace API has no client");
  const run = await runExport(
    api.client,
    { ...(o.volume !== undefined ? { volume: o.volume } : {}), includeInactive: o.includeInactive },
    progressEvery(250, (l) => err(l)),
    (l) => err(l),
  );
  const { plan } = run;
  if (o.out !== undefined) {
    const files = projectFiles(plan, o.format);
    writeProject(o.out, files);
    err(`wrote ${Object.keys(files).join(", ")} to ${o.out}`);
  } else {
    await new Promise<void>((resolve) => process.stdout.write(programText(plan, o.format), () => resolve()));
  }
  const c = plan.counts;
  err(
    `workspace "${plan.workspace}": ${run.entitiesRead} entities read with ${run.requests} requests in ` +
      `${(run.ms / 1000).toFixed(2)} s; declared ${countsLine(plan)}`,
  );
  if (c.skippedInactive > 0) err(`left out ${c.skippedInactive} inactive (--include-inactive declares them)`);
  if (c.outsideSubset > 0) err(`left out ${c.outsideSubset} shares outside volume '${plan.volume ?? ""}'`);
  if (c.refused.length === 0) return 0;
  for (const r of c.refused) err(`cannot declare ${r}`);
  err(`${c.refused.length} entities are not in the program (above); the rest is`);
  return 2;
}

/** Whether the message says it all (expected failures print no stack). */
function expected(e: unknown): boolean {
  return isExportError(e) || isProviderError(e) || isAccsynError(e);
}

if (require.main === module) {
  const err = (line: string): void => void process.stderr.write(`accsyn-export: ${line}\n`);
  exportMain(process.argv.slice(2), err)
    .then(
      (code) => code,
      (e: unknown) => {
        process.stderr.write(
          `${expected(e) ? (e as Error).message : e instanceof Error ? e.stack : String(e)}\n`,
        );
        if (e instanceof ExportUsageError) process.stderr.write(USAGE + "\n");
        return 1;
      },
    )
    .then(async (code) => {
      await closeSharedClients();
      process.exitCode = code;
    });
}

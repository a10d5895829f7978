#!/usr/bin/env node
// `npm run pulumi -- <args>`: the project's Pulumi CLI with the project's environment, run from
// the repo root (where the root Pulumi.yaml lives).
"use strict";
const { spawnSync } = require("node:child_process");
const { REPO_ROOT, pulumiEnv } = require("./pulumi-env");

const args = process.argv.slice(2);
const env = pulumiEnv();
// PULUMI_SKIP_CONFIRMATIONS implies --yes, which the CLI refuses together with --preview-only
// ("--yes and --preview-only cannot be used together"): a read-only command needs no confirmation.
if (args.includes("--preview-only")) delete env.PULUMI_SKIP_CONFIRMATIONS;

const res = spawnSync("pulumi", args, {
  cwd: REPO_ROOT,
  env,
  stdio: "inherit",
});
if (res.error) {
  console.error(`could not run pulumi: ${res.error.message}`);
  process.exit(1);
}
process.exit(res.status ?? 1);

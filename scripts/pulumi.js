#!/usr/bin/env node
// `npm run pulumi -- <args>`: the project's Pulumi CLI with the project's environment, run from
// the repo root (where the root Pulumi.yaml lives).
"use strict";
const { spawnSync } = require("node:child_process");
const { REPO_ROOT, pulumiEnv } = require("./pulumi-env");

const res = spawnSync("pulumi", process.argv.slice(2), {
  cwd: REPO_ROOT,
  env: pulumiEnv(),
  stdio: "inherit",
});
if (res.error) {
  console.error(`could not run pulumi: ${res.error.message}`);
  process.exit(1);
}
process.exit(res.status ?? 1);

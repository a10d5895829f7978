// The environment every Pulumi run of this project uses (demo, tests, benchmarks, `npm run pulumi`):
// the CLI built from source, a local file backend under the ignored .work/ folder, a passphrase
// secrets provider, no update check and no plugin downloads. Plain CommonJS so that npm scripts,
// shell scripts and the compiled tests can all share it without a build step.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");
const WORK_DIR = path.join(REPO_ROOT, ".work");
/** Only protects the local demo/test state; set PULUMI_CONFIG_PASSPHRASE to use your own. */
const DEFAULT_PASSPHRASE = "pulumi-accsyn-local-passphrase";

/** Builds (or finds in the cache) the Pulumi CLI and returns the directory holding `pulumi`. */
function pulumiBinDir() {
  if (process.env.PULUMI_ACCSYN_BIN_DIR) return process.env.PULUMI_ACCSYN_BIN_DIR;
  const out = execFileSync("bash", [path.join(__dirname, "build-pulumi-cli.sh")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PULUMI_CLI_QUIET: "1" },
    encoding: "utf8",
  });
  const dir = out.trim().split("\n").pop();
  process.env.PULUMI_ACCSYN_BIN_DIR = dir;
  return dir;
}

/**
 * @param {{ backendDir?: string }} [opts] backendDir defaults to .work/pulumi-state
 * @returns {NodeJS.ProcessEnv}
 */
function pulumiEnv(opts = {}) {
  const backendDir = opts.backendDir ?? path.join(WORK_DIR, "pulumi-state");
  const home = path.join(WORK_DIR, "pulumi-home");
  fs.mkdirSync(backendDir, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const sdkDir = path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi");
  return {
    ...process.env,
    // The SDK's own copy of the dynamic-provider plugin stays as a fallback, after the bundled one.
    PATH: [pulumiBinDir(), process.env.PATH, sdkDir].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: "file://" + backendDir,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? DEFAULT_PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
}

module.exports = { REPO_ROOT, WORK_DIR, DEFAULT_PASSPHRASE, pulumiBinDir, pulumiEnv };

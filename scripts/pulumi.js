#!/usr/bin/env node
// `npm run pulumi -- <args>`: the project's Pulumi CLI with the project's environment, run from
// the repo root (where the root Pulumi.yaml lives).
"use strict";
const { spawnSync } = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { REPO_ROOT, DEFAULT_PASSPHRASE, pulumiEnv } = require("./pulumi-env");

/** The value of `--stack X` / `--stack=X` / `-s X` / `-s=X` in `args`, if any. */
function stackArg(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--stack" || a === "-s") return args[i + 1];
    const m = /^(?:--stack|-s)=(.+)$/.exec(a);
    if (m) return m[1];
  }
  return undefined;
}

function readText(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * The stack `pulumi stack select` chose for this project: the CLI keeps it in
 * $PULUMI_HOME/workspaces/<project>-<sha1 of Pulumi.yaml's path>-workspace.json.
 */
function selectedStack(env, projectFile, projectText) {
  const name = /^name:\s*["']?([^"'\s#]+)/m.exec(projectText)?.[1];
  if (!name || !env.PULUMI_HOME) return undefined;
  const hash = crypto.createHash("sha1").update(projectFile).digest("hex");
  const text = readText(path.join(env.PULUMI_HOME, "workspaces", `${name}-${hash}-workspace.json`));
  const stack = text ? JSON.parse(text).stack : undefined;
  return typeof stack === "string" ? stack.split("/").pop() : undefined;
}

/**
 * `accsyn:endpoint` from a Pulumi.yaml or Pulumi.<stack>.yaml text: either `accsyn:endpoint: URL`
 * or the project form `accsyn:endpoint:` followed by `value: URL`. A line reader, not a YAML
 * parser: it only has to be cheap and right for the files `pulumi config set` writes.
 */
function endpointIn(text) {
  const lines = (text ?? "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s+["']?accsyn:endpoint["']?:\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const inline = m[1].replace(/\s+#.*$/, "").trim();
    const raw = inline || (/^\s+value:\s*(.+)$/.exec(lines[i + 1] ?? "")?.[1] ?? "");
    return raw.trim().replace(/^["']|["']$/g, "") || undefined;
  }
  return undefined;
}

/** The host of an endpoint URL or of an `ACCSYN_PROXY` value (`accsyn:HOST:PORT`, `HOST:PORT`, `HOST`). */
function hostOf(endpoint) {
  if (/^https?:\/\//i.test(endpoint)) {
    try {
      return new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
    } catch {
      return endpoint; // not a URL the provider can use either: treat it as not loopback
    }
  }
  const rest = endpoint.replace(/^accsyn:/i, "");
  const v6 = /^\[([^\]]+)\]/.exec(rest);
  return v6 ? v6[1] : rest.split(":")[0];
}

function isLoopback(host) {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * A warning when the demo's fixed, published passphrase would encrypt the secrets of a stack that
 * talks to a real accsyn (anyone with the repo can decrypt them), or undefined. Reads two small
 * files and no Pulumi process, so it costs nothing and never blocks the command.
 */
function passphraseWarning(args, env) {
  if (env.PULUMI_CONFIG_PASSPHRASE !== DEFAULT_PASSPHRASE) return undefined;
  const projectFile = path.join(REPO_ROOT, "Pulumi.yaml");
  const projectText = readText(projectFile) ?? "";
  const stack = stackArg(args) ?? selectedStack(env, projectFile, projectText);
  const stackText = stack ? readText(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`)) : undefined;
  // A stack encrypted by another secrets provider (awskms, a service backend…) uses no passphrase.
  const provider = /^secretsprovider:\s*(\S+)/m.exec(stackText ?? "")?.[1];
  if (provider && !provider.startsWith("passphrase")) return undefined;
  // The provider's order: stack config (the stack file, then the project's defaults), then the environment.
  const endpoint = endpointIn(stackText) ?? endpointIn(projectText) ?? (env.ACCSYN_PROXY || undefined);
  if (endpoint && isLoopback(hostOf(endpoint))) return undefined;
  const target = endpoint ? `endpoint ${endpoint}` : "no accsyn:endpoint (the real accsyn service)";
  return (
    `warning: stack ${stack ?? "(none selected)"} has ${target}, but its secrets are encrypted with ` +
    `the demo's fixed PULUMI_CONFIG_PASSPHRASE, which is published in scripts/pulumi-env.js. ` +
    `Set PULUMI_CONFIG_PASSPHRASE to your own, or keep the API key out of the stack with ACCSYN_API_KEY.`
  );
}

const args = process.argv.slice(2);
const env = pulumiEnv();
// PULUMI_SKIP_CONFIRMATIONS implies --yes, which the CLI refuses together with --preview-only
// ("--yes and --preview-only cannot be used together"): a read-only command needs no confirmation.
if (args.includes("--preview-only")) delete env.PULUMI_SKIP_CONFIRMATIONS;

let warning;
try {
  warning = passphraseWarning(args, env);
} catch (err) {
  // The warning is advice: an unreadable file must not stop the command the user asked for.
  warning = `warning: could not check the stack's passphrase and endpoint: ${err.message}`;
}
if (warning) console.error(warning);

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

import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/pulumi";
import { VOLUME, WorkspaceStack, folder, useEngine } from "./harness";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "workspace");
const PULUMI_JS = path.join(REPO_ROOT, "scripts", "pulumi.js");

describe("engine: an API key given only through ACCSYN_API_KEY", function () {
  this.timeout(300_000);
  const engine = useEngine();
  let stack: WorkspaceStack | undefined;
  afterEach(async () => {
    await stack?.removeStack();
    stack = undefined;
  });

  it("is found nowhere: not in the stack config, state (--show-secrets), up's output or a -v=9 preview log", async () => {
    const { apiKey, code } = engine.admin;
    stack = new WorkspaceStack(FIXTURE, "secrets-env", { env: { ACCSYN_API_KEY: apiKey } });
    await stack.init({
      "accsyn:endpoint": engine.server.url,
      "accsyn:workspace": "demo",
      "accsyn:apiUser": code,
      "e2e:resources": JSON.stringify([VOLUME, folder()]),
    });

    const up = await stack.up();
    assert.ok(!up.stdout.includes(apiKey), "API key in up's stdout");
    assert.ok(!up.stderr.includes(apiKey), "API key in up's stderr");
    // The key did reach the provider: up created the volume with it.
    const vols = await engine.py(`s = Session(); out(len(s.find("Volume WHERE code=e2e_projects")))`);
    assert.equal(vols, 1, "up created the volume");

    const state = await stack.run(["stack", "export", "--show-secrets", "--stack", stack.stack]);
    assert.match(state.stdout, /e2e_projects/, "the export holds the resources");
    assert.ok(!state.stdout.includes(apiKey), "API key in stack export --show-secrets");
    assert.ok(
      !fs.readFileSync(stack.configFile, "utf8").includes(apiKey),
      "API key in the stack config file",
    );

    // Pulumi's verbose log prints the provider's configuration in plain text (README "Secrets"):
    // a key given as config would be there, one given through the environment is not.
    const verbose = await stack.run(["preview", "--stack", stack.stack, "-v=9", "--logtostderr"]);
    assert.match(verbose.stderr, /accsyn:endpoint/, "the verbose log shows the provider configuration");
    assert.ok(!(verbose.stdout + verbose.stderr).includes(apiKey), "API key in the -v=9 preview log");

    // The control: the same log does print a key set as a config secret, so the check above can fail.
    await stack.run(["config", "set", "--secret", "--stack", stack.stack, "accsyn:apiKey", apiKey]);
    const leaked = await stack.run(["preview", "--stack", stack.stack, "-v=9", "--logtostderr"]);
    assert.ok(leaked.stderr.includes(apiKey), "Pulumi's -v=9 log prints a config secret of the provider");
  });
});

describe("npm run pulumi: the demo passphrase on a non-local endpoint", function () {
  this.timeout(120_000);
  const stack = `passphrase-warn-${process.pid}`;
  const configFile = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The demo passphrase is the one used when the user sets none; ACCSYN_PROXY would be a fallback endpoint.
  delete env.PULUMI_CONFIG_PASSPHRASE;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  delete env.ACCSYN_PROXY;
  const npmRunPulumi = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const res = spawnSync("node", [PULUMI_JS, ...args, "--non-interactive"], {
      cwd: REPO_ROOT,
      env: { ...env, ...extraEnv },
      encoding: "utf8",
    });
    assert.equal(res.status, 0, `pulumi ${args.join(" ")} failed:\n${res.stdout}\n${res.stderr}`);
    return res;
  };
  const setEndpoint = (url: string) =>
    npmRunPulumi(["config", "set", "--stack", stack, "accsyn:endpoint", url]);
  const WARNING = /warning: stack passphrase-warn-\d+ has .*demo's fixed PULUMI_CONFIG_PASSPHRASE/;

  before(() => {
    fs.rmSync(configFile, { force: true });
    npmRunPulumi(["stack", "init", stack, "--no-select"]);
  });
  after(() => {
    spawnSync("node", [PULUMI_JS, "stack", "rm", stack, "--yes", "--force", "--non-interactive"], {
      cwd: REPO_ROOT,
      env,
    });
    fs.rmSync(configFile, { force: true });
  });

  it("warns on stderr for a remote endpoint, and the command still runs", () => {
    setEndpoint("https://accsyn.example.com");
    const res = npmRunPulumi(["config", "--stack", stack]);
    assert.match(res.stderr, WARNING);
    assert.match(res.stderr, /endpoint https:\/\/accsyn\.example\.com/);
    assert.match(res.stdout, /accsyn:endpoint\s+https:\/\/accsyn\.example\.com/, "the command ran");
  });

  it("stays quiet for a stack without its own endpoint: Pulumi.yaml's 127.0.0.1:8181 applies", () => {
    npmRunPulumi(["config", "rm", "--stack", stack, "accsyn:endpoint"]);
    assert.doesNotMatch(npmRunPulumi(["config", "--stack", stack]).stderr, WARNING);
  });

  it("stays quiet for 127.0.0.1 and when the user sets their own passphrase", () => {
    setEndpoint("http://127.0.0.1:8181");
    assert.doesNotMatch(npmRunPulumi(["config", "--stack", stack]).stderr, WARNING);
    setEndpoint("https://accsyn.example.com");
    // Their own passphrase cannot decrypt this stack's salt, but `config` without --show-secrets
    // reads no secret, so the command still succeeds and only the warning is in question.
    const own = npmRunPulumi(["config", "--stack", stack], { PULUMI_CONFIG_PASSPHRASE: "their-own" });
    assert.doesNotMatch(own.stderr, WARNING);
  });
});

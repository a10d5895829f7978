import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PulumiStack, REPO_ROOT, initAccsynStack, opsByName } from "../helpers/pulumi";
import { useEngine } from "./harness";

/** The example project: index.ts reads workspace.yaml (or the stack's `accsyn-yaml:file`). */
const EXAMPLE = path.join(REPO_ROOT, "examples", "yaml-workspace");
const THREE_MISTAKES = path.join(REPO_ROOT, "tests", "fixtures", "yaml", "three-mistakes.yaml");

const DECLARED = [
  "acme-upload",
  "artist-home",
  "client-review",
  "onboarding",
  "projects",
  "projects-stockholm",
  "tide",
  "tide-from-acme",
  "tide-review",
];

describe("engine: a YAML workspace (examples/yaml-workspace)", function () {
  this.timeout(600_000);
  const engine = useEngine();
  const made: PulumiStack[] = [];
  afterEach(async () => {
    for (const s of made.splice(0)) await s.removeStack();
  });

  async function exampleStack(name: string, config: Record<string, string> = {}): Promise<PulumiStack> {
    const s = new PulumiStack(EXAMPLE, name);
    made.push(s);
    await initAccsynStack(s, engine.server, engine.admin, config);
    return s;
  }

  it("up declares the file's studio in accsyn; the next preview plans no change and writes nothing", async () => {
    const s = await exampleStack("yaml-up");
    await s.up();
    const ids = (await s.outputs()).ids as Record<string, string>;
    assert.deepEqual(Object.keys(ids).sort(), DECLARED);

    // What the official client sees: the folders the file declares, beneath the declared volume.
    const folders = (await engine.py(
      `s = Session(); out(sorted([f["code"], f["path"], f["parent"], f["id"]] for f in s.find("Folder")))`,
    )) as [string, string, string, string][];
    assert.deepEqual(folders, [
      ["tide", "shows/tide", ids.projects, ids.tide],
      ["tide_from_acme", "shows/tide/FROM_VENDORS/acme", ids.projects, ids["tide-from-acme"]],
      ["tide_review", "shows/tide/REVIEW", ids.projects, ids["tide-review"]],
    ]);

    await engine.server.resetCounters();
    const { steps, changeSummary } = await s.preview();
    assert.deepEqual(changeSummary, { same: DECLARED.length + 1 }, JSON.stringify(opsByName(steps)));
    const writes = Object.keys((await engine.server.counters()).byUri).filter(
      (k) => !k.startsWith("GET ") && k !== "PUT api/login",
    );
    assert.deepEqual(writes, [], "the preview only reads");
  });

  it("a file with three mistakes fails the preview naming each line and column; nothing reaches accsyn", async () => {
    const s = await exampleStack("yaml-bad", { "accsyn-yaml:file": THREE_MISTAKES });
    await engine.server.resetCounters();
    const res = await s.run(["preview", "--stack", s.stack], { allowFailure: true });
    const text = res.stdout + res.stderr;
    assert.notEqual(res.code, 0, "the preview must fail");
    for (const expected of [
      "three-mistakes.yaml:14:11: resource 'tide': field 'kind': 'Foldr' is not a resource kind. Fix: Did you mean 'Folder'?",
      "three-mistakes.yaml:24:15: resource 'tide-review' (Folder): field 'volume': '${projcts}' names no resource in this file. Fix: Did you mean '${projects}'?",
      "three-mistakes.yaml:26:7: resource 'tide-review' (Folder): field 'descripton': unknown property of Folder. Fix: Did you mean 'description'?",
    ]) {
      assert.ok(text.includes(expected), `missing: ${expected}\n${text}`);
    }
    assert.doesNotMatch(
      text,
      /at parseWorkspace|at readWorkspace/,
      "a RunError: the message, no stack trace",
    );
    assert.equal((await engine.server.counters()).total, 0, "no API call: nothing was declared");
  });
});

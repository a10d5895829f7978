import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parse as parseYaml } from "yaml";
import { generated } from "pulumi-accsyn/docs/generate";
import { type WorkspaceIssue, WorkspaceFileError, parseWorkspace, readWorkspace } from "pulumi-accsyn/yaml";

const ROOT = path.resolve(__dirname, "../../..");
const EXAMPLE = path.join(ROOT, "examples/yaml-workspace/workspace.yaml");
const THREE_MISTAKES = path.join(ROOT, "tests/fixtures/yaml/three-mistakes.yaml");
const SCHEMA = path.join(ROOT, "provider/schema/workspace.schema.json");

function issuesOf(run: () => unknown): readonly WorkspaceIssue[] {
  try {
    run();
  } catch (e) {
    if (e instanceof WorkspaceFileError) return e.issues;
    throw e;
  }
  assert.fail("expected a WorkspaceFileError");
}

/** Each issue as `line:column resource field`, the way a reader finds it in the file. */
const where = (issues: readonly WorkspaceIssue[]) =>
  issues.map((i) => `${i.line}:${i.column} ${i.resource ?? "-"} ${i.field ?? "-"}`);

describe("YAML workspaces (in-process): the loader", () => {
  it("reads the example studio and orders each resource after the ones it refers to", () => {
    const ws = readWorkspace(EXAMPLE);
    const names = ws.resources.map((r) => r.name);
    assert.equal(names.length, 9);
    for (const r of ws.resources) {
      for (const target of [...r.refs.map((x) => x.target), ...r.options.dependsOn]) {
        assert.ok(names.indexOf(target) < names.indexOf(r.name), `${target} before ${r.name}`);
      }
    }
    const grant = ws.resources.find((r) => r.name === "acme-upload");
    assert.equal(grant?.kind.name, "Grant");
    assert.deepEqual(grant?.refs, [{ field: "share", target: "tide-from-acme" }]);
    assert.deepEqual(ws.resources.find((r) => r.name === "onboarding")?.options.dependsOn, ["tide"]);
  });

  it("reports three mistakes of one file together, each with its line and column, the field and the fix", () => {
    const issues = issuesOf(() => readWorkspace(THREE_MISTAKES));
    assert.deepEqual(where(issues), [
      "14:11 tide kind",
      "24:15 tide-review volume",
      "26:7 tide-review descripton",
    ]);
    const [kind, ref, unknown] = issues as [WorkspaceIssue, WorkspaceIssue, WorkspaceIssue];
    assert.match(kind.problem, /'Foldr' is not a resource kind/);
    assert.match(kind.fix, /did you mean 'Folder'\?/);
    assert.match(ref.problem, /'\$\{projcts\}' names no resource/);
    assert.match(ref.fix, /did you mean '\$\{projects\}'\?/);
    assert.match(unknown.problem, /unknown property of Folder/);
    assert.match(unknown.fix, /did you mean 'description'\?/);
    assert.equal(issues[0]?.file, path.relative(process.cwd(), THREE_MISTAKES));
  });

  it("checks properties with the kind's own schema: wrong types, nested typos, custom rules, missing fields", () => {
    const text = [
      "resources:", //                                         1
      "  vol:", //                                             2
      "    kind: Volume", //                                   3
      "    properties:", //                                    4
      "      name: Vol", //                                    5
      "      code: vol", //                                    6
      "      paths: { linx: /mnt/x }", //                      7
      "      adopt: yes", //                                   8
      "  f:", //                                               9
      "    kind: Folder", //                                  10
      "    properties:", //                                   11
      "      name: F", //                                     12
      "      volume: ${vol}", //                              13
      "      path: /abs/path", //                             14
      "      deletionPolicy: delet", //                       15
      "  g:", //                                              16
      "    kind: Grant", //                                   17
      "    properties:", //                                   18
      "      share: ${f}", //                                 19
      "      rules: [{ path: /, read: true }]", //            20
    ].join("\n");
    const issues = issuesOf(() => parseWorkspace(text, "w.yaml"));
    assert.deepEqual(where(issues), [
      "7:7 vol paths",
      "7:16 vol paths.linx",
      "8:14 vol adopt",
      "14:13 f path",
      "15:23 f deletionPolicy",
      "18:5 g user",
    ]);
    const by = (field: string) => issues.find((i) => i.field === field);
    assert.match(by("paths.linx")?.fix ?? "", /did you mean 'linux'\?/);
    assert.equal(by("adopt")?.problem, "must be a boolean, not a string");
    assert.equal(by("adopt")?.fix, "write true or false (YAML 1.2 reads 'yes' as text)");
    assert.match(by("path")?.fix ?? "", /beneath the volume/, "the Folder kind's own fix");
    assert.match(by("deletionPolicy")?.fix ?? "", /did you mean 'delete'\?/);
    assert.match(by("user")?.problem ?? "", /is required/);
  });

  it("refuses references that cannot be declared: wrong kind, a cycle, a non-reference field, a bad option", () => {
    const text = [
      "resources:",
      "  vol:",
      "    kind: Volume",
      "    properties: { name: V, code: v, paths: { linux: /v } }",
      "  a:",
      "    kind: Folder",
      "    properties:",
      "      name: A",
      "      volume: ${b}",
      "      path: a",
      "  b:",
      "    kind: Volume",
      "    properties:",
      "      name: B",
      "      code: b",
      "      paths: { linux: /b }",
      "      description: ${vol}",
      "    options:",
      "      dependsOn:",
      "        - ${c}",
      "      protcet: true",
      "  c:",
      "    kind: Folder",
      "    properties:",
      "      name: C",
      "      volume: ${b}",
      "      path: c",
      "  d:",
      "    kind: Folder",
      "    properties:",
      "      name: D",
      "      volume: ${c}",
      "      path: d",
    ].join("\n");
    const issues = issuesOf(() => parseWorkspace(text, "w.yaml"));
    const texts = issues.map((i) => `${i.line}:${i.column} ${i.field}: ${i.problem}`);
    assert.deepEqual(texts, [
      "17:20 description: does not take a reference to a resource",
      "20:11 options.dependsOn: reference cycle: b -> c -> b; none of them can be created first",
      "21:7 options.protcet: unknown option",
      "32:15 volume: takes a Volume, but '${c}' is a Folder",
    ]);
  });

  it("explains a reference inside [ ] that YAML cannot read: it must be quoted", () => {
    const issues = issuesOf(() =>
      parseWorkspace("resources:\n  x:\n    kind: Folder\n    options: { dependsOn: [${y}] }\n", "w.yaml"),
    );
    assert.equal(issues.length, 1);
    assert.equal(`${issues[0]?.line}:${issues[0]?.column}`, "4:29");
    assert.match(issues[0]?.fix ?? "", /quote references inside \[ \] or \{ \}/);
  });

  it("a missing file is the same error, naming the path", () => {
    const issues = issuesOf(() => readWorkspace(path.join(ROOT, "no-such-workspace.yaml")));
    assert.match(issues[0]?.problem ?? "", /cannot be read \(ENOENT\)/);
  });

  it("a duplicate resource name is an error at its second entry", () => {
    const text = "resources:\n  a:\n    kind: Volume\n  a:\n    kind: Volume\n";
    assert.deepEqual(
      where(issuesOf(() => parseWorkspace(text))).map((w) => w.split(" ")[0]),
      ["4:3"],
    );
  });
});

describe("YAML workspaces (in-process): JSON Schema and generated docs", () => {
  const validate = new Ajv({ allErrors: true, strictTypes: false }).compile(
    JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as object,
  );

  it("the example workspace satisfies the shipped schema", () => {
    const ok = validate(parseYaml(fs.readFileSync(EXAMPLE, "utf8")));
    assert.ok(ok, JSON.stringify(validate.errors, null, 2));
  });

  it("the schema finds the unknown kind and the unknown property an editor would underline", () => {
    assert.equal(validate(parseYaml(fs.readFileSync(THREE_MISTAKES, "utf8"))), false);
    const found = (validate.errors ?? []).map(
      (e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`,
    );
    assert.ok(
      found.includes(
        '/resources/tide/kind enum {"allowedValues":["Volume","Folder","Home","Collection","VolumeServer","Grant"]}',
      ),
      found.join("\n"),
    );
    assert.ok(
      found.includes(
        '/resources/tide-review/properties additionalProperties {"additionalProperty":"descripton"}',
      ),
      found.join("\n"),
    );
  });

  it("the schema, the README's resource table and docs/reference.md are what the kinds say", async () => {
    for (const { file, expected } of await generated(ROOT)) {
      const actual = fs.readFileSync(path.join(ROOT, file), "utf8");
      assert.equal(actual, expected, `${file} is stale: run \`npm run docs\``);
    }
  });
});

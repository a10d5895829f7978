import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ExportUsageError,
  type ExportPlan,
  type Snapshot,
  emitTypeScript,
  emitYaml,
  Ref,
  planExport,
} from "pulumi-accsyn/export/index";
import { parseWorkspace } from "pulumi-accsyn/yaml";
import { REPO_ROOT } from "../helpers/pulumi";

const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "export");

interface SnapshotJson extends Omit<Snapshot, "files" | "assignments"> {
  files: Record<string, string[]>;
  assignments: Record<string, Snapshot["assignments"] extends Map<string, infer A> ? A : never>;
}

/** The small workspace of tests/fixtures/export/snapshot.json, with fixed ids. */
function snapshot(edit: (s: SnapshotJson) => void = () => {}): Snapshot {
  const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, "snapshot.json"), "utf8")) as SnapshotJson;
  edit(raw);
  return {
    ...raw,
    files: new Map(Object.entries(raw.files)),
    assignments: new Map(Object.entries(raw.assignments)),
  };
}

/** Compares with a golden file; UPDATE_GOLDEN=1 rewrites it (then review the diff). */
function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, actual);
  assert.equal(actual, fs.readFileSync(file, "utf8"), `${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

function names(plan: ExportPlan): Record<string, string> {
  return Object.fromEntries(plan.resources.map((r) => [r.id, r.name]));
}

describe("accsyn-export: the program it writes (no server)", () => {
  it("writes the small workspace as the golden TypeScript and YAML programs", () => {
    const plan = planExport(snapshot());
    golden("small.index.ts.golden", emitTypeScript(plan));
    golden("small.workspace.yaml.golden", emitYaml(plan));
    assert.deepEqual(plan.counts.resources, {
      Volume: 2,
      Folder: 4,
      Home: 3,
      Collection: 2,
      VolumeServer: 1,
      Grant: 5,
    });
    // The retired folder and the scratch volume (inactive), the deactivated user's grant.
    assert.equal(plan.counts.skippedInactive, 3);
    assert.deepEqual(plan.counts.refused, []);
  });

  it("declares only what a user would: no defaults, no reserved metadata key, no internal field", () => {
    const plan = planExport(snapshot());
    const byName = Object.fromEntries(plan.resources.map((r) => [r.name, r.props]));
    assert.deepEqual(byName.archive?.metadata, { tier: "cold" }, "the provider's own key is dropped");
    assert.equal(byName.archive?.server, undefined, "no server serves the archive");
    assert.equal(byName.archive?.status, undefined, "'offline' is derived, not declared");
    assert.equal(byName["tide-review"]?.status, "disabled");
    assert.equal(byName.tide?.status, undefined, "enabled is how accsyn creates shares");
    assert.equal(byName["home-ana"]?.volume, undefined, "a home on the default volume names none");
    for (const r of plan.resources) {
      assert.equal(r.props.adopt, true, `${r.name} adopts`);
      for (const k of ["resourceName", "notify", "invite", "deletionPolicy", "shareType", "siteServers"])
        assert.ok(!(k in r.props), `${r.name} declares no ${k}`);
    }
  });

  it("the same workspace gives the same bytes, whatever order accsyn lists it in", () => {
    const once = emitTypeScript(planExport(snapshot()));
    const shuffled = snapshot((s) => {
      for (const list of Object.values(s.shares)) list.reverse();
      s.users.reverse();
      s.acls.reverse();
      for (const files of Object.values(s.files)) files.reverse();
    });
    assert.equal(emitTypeScript(planExport(shuffled)), once);
  });

  it("names stay put when the workspace grows, and collisions are decided the same way", () => {
    const before = names(planExport(snapshot()));
    const after = names(
      planExport(
        snapshot((s) => {
          s.shares.Folder.push({
            id: "000000000000000000000299",
            code: "a-new-show",
            name: "A new show",
            status: "enabled",
            parent: "000000000000000000000101",
            path: "shows/new",
          });
        }),
      ),
    );
    for (const [id, name] of Object.entries(before)) assert.equal(after[id], name, `resource ${id}`);
    assert.equal(after["000000000000000000000299"], "a-new-show");
    // tide-review and tide_review are both valid resource names but one variable (tideReview).
    assert.equal(before["000000000000000000000202"], "tide-review");
    assert.equal(before["000000000000000000000203"], "tide_review-2");
    // Two vendors with the same local part: the second home takes its e-mail's full name.
    assert.equal(before["000000000000000000000302"], "home-vendor");
    assert.equal(before["000000000000000000000303"], "home-vendor-pixel-example");
  });

  it("--volume: one volume and what lies beneath it", () => {
    const plan = planExport(snapshot(), { volume: "ARCHIVE" });
    assert.deepEqual(
      plan.resources.map((r) => `${r.kind} ${r.name}`),
      ["Volume archive", "Folder class", "Home home-vendor"],
    );
    const projects = planExport(snapshot(), { volume: "projects" });
    const kinds = projects.resources.map((r) => `${r.kind} ${r.name}`);
    assert.ok(kinds.includes("Collection onboarding"), "its files all lie in projects");
    assert.ok(kinds.includes("Grant tide-vendor"), "grants on its folders");
    assert.ok(!kinds.some((k) => k.includes("archive") || k.includes("class")), kinds.join(", "));
    assert.throws(
      () => planExport(snapshot(), { volume: "projets" }),
      (e: unknown) => e instanceof ExportUsageError && /did you mean 'projects'/.test(e.message),
    );
  });

  it("--include-inactive declares deactivated shares and says up re-activates them", () => {
    const plan = planExport(snapshot(), { includeInactive: true });
    const scratch = plan.resources.find((r) => r.name === "scratch");
    assert.equal(scratch?.note, "inactive in accsyn: `up` re-activates it");
    assert.ok(plan.resources.some((r) => r.name === "retired"));
    assert.ok(
      plan.resources.some((r) => r.name === "retired-producer"),
      "the grant on the retired folder",
    );
    assert.ok(!plan.resources.some((r) => r.kind === "Folder" && r.name === "old"), "deleted shares never");
    assert.deepEqual(plan.counts.refused, [
      `Grant of 'left@studio.example' on Folder 000000000000000000000201: the user is deactivated`,
    ]);
    assert.match(emitTypeScript(plan), /Inactive entities are included/);
  });

  it("an entity its kind cannot declare is listed, not written", () => {
    const plan = planExport(
      snapshot((s) => {
        (s.shares.Volume[1] as { paths?: object }).paths = {};
      }),
    );
    assert.ok(!plan.resources.some((r) => r.name === "archive"));
    const folder = plan.resources.find((r) => r.name === "class");
    assert.equal(folder?.props.volume, "archive", "a folder on it names the volume by code");
    assert.match(
      plan.counts.refused[0] ?? "",
      /^Volume 'archive' \(id 0+102\): paths: needs at least one of/,
    );
  });

  it("the YAML program reads back through the pulumi-accsyn/yaml loader as the same resources", () => {
    const plan = planExport(snapshot(), { includeInactive: true });
    const ws = parseWorkspace(emitYaml(plan), "workspace.yaml");
    const asWritten = (v: unknown): unknown =>
      v instanceof Ref
        ? `\${${v.target.name}}`
        : Array.isArray(v)
          ? v.map(asWritten)
          : v !== null && typeof v === "object"
            ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asWritten(x)]))
            : v;
    const read = Object.fromEntries(
      ws.resources.map((r) => [r.name, { kind: r.kind.name, props: r.properties }]),
    );
    const written = Object.fromEntries(
      plan.resources.map((r) => [r.name, { kind: r.kind, props: asWritten(r.props) }]),
    );
    assert.deepEqual(read, written);
  });
});

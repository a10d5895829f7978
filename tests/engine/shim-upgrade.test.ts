import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/pulumi";
import { everyKind, folder, useEngine } from "./harness";

/**
 * The serialized providers (`__provider`) of states written by earlier releases, before the text
 * got smaller (resources/provider.ts): their Folder texts, byte for byte (their sha-256 are pinned in
 * tests/provider/runtime.test.ts); other kinds differ only in the kind's name.
 */
const OLD_FOLDER = ["shim-v1-folder.js.txt", "shim-v2-folder.js.txt"].map((f) =>
  fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", f), "utf8"),
);
const oldShim = (version: number, kind: string): string =>
  (OLD_FOLDER[version] as string).replaceAll('kind: "Folder"', `kind: "${kind}"`);

interface StateResource {
  type: string;
  urn: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
interface State {
  deployment: { resources?: StateResource[] };
}

const accsynResources = (state: State): StateResource[] =>
  (state.deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/accsyn:"));
const kindOf = (r: StateResource): string => r.type.split(":").pop() as string;

describe("engine: a stack whose state carries the shims of earlier releases", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("plans nothing, updates through the new shim, and destroys through the old ones", async () => {
    const stack = await engine.stack("shim-upgrade", everyKind());
    await stack.up();

    // Make the state what earlier releases wrote: one of their shims in every resource's inputs and
    // outputs, alternating, so both old texts plan, update and delete.
    const state = JSON.parse(await stack.exportState()) as State;
    const resources = accsynResources(state);
    assert.equal(resources.length, 6);
    // The classes register their name, stack and references packed in one prop (kinds/kind.ts
    // PACKED); the state keeps them unpacked, one by one, as earlier releases wrote them.
    const inputsOf = (name: string) => resources.find((r) => r.urn.endsWith(`::${name}`))?.inputs ?? {};
    for (const r of resources) {
      assert.equal(r.inputs?.resourceName, r.urn.split("::").pop(), r.urn);
      assert.ok(!("__accsyn" in (r.inputs ?? {})) && !("__accsyn" in (r.outputs ?? {})), r.urn);
    }
    const stackName = `accsyn-e2e/${stack.stack}`; // tests/fixtures/workspace/Pulumi.yaml
    assert.deepEqual(
      ["vol", "show", "home", "coll", "vol-sto", "vendor"].map((n) => inputsOf(n).stack),
      [stackName, stackName, stackName, stackName, undefined, undefined],
    );
    assert.deepEqual(inputsOf("show").__resourceRefs, ["volume"]);
    assert.deepEqual(inputsOf("vol-sto").__resourceRefs, ["volume"]);
    assert.deepEqual(inputsOf("vendor").__resourceRefs, ["share"]);
    assert.equal(inputsOf("vendor").shareType, "Folder");
    assert.equal(inputsOf("coll").__resourceRefs, undefined);
    const shimOf = new Map<string, string>();
    resources.forEach((r, i) => {
      assert.ok(r.inputs && r.outputs);
      const old = oldShim(i % 2, kindOf(r));
      assert.notEqual(r.inputs.__provider, old, "the new shim is not the old text");
      r.inputs.__provider = old;
      r.outputs.__provider = old;
      shimOf.set(r.urn, old);
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shim-upgrade-"));
    const file = path.join(dir, "state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    try {
      await stack.run(["stack", "import", "--file", file, "--stack", stack.stack]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // The engine diffs through the new shim (the program's), which ignores the provider text.
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 7 }, JSON.stringify(preview.steps.map((s) => s.op)));

    // A real change updates through the new shim; the next state carries it.
    await stack.declare(everyKind().map((d) => (d.name === "show" ? folder({ name: "Show renamed" }) : d)));
    const up = await stack.up();
    assert.match(up.stdout, /1 updated/);
    const after = accsynResources(JSON.parse(await stack.exportState()) as State);
    const show = after.find((r) => r.urn.endsWith("::show"));
    assert.ok(show?.outputs);
    assert.ok(
      !OLD_FOLDER.includes(show.outputs.__provider as string),
      "the updated folder's outputs carry the new shim",
    );
    const untouched = after.filter((r) => !r.urn.endsWith("::show"));
    assert.ok(
      untouched.every((r) => r.outputs?.__provider === shimOf.get(r.urn)),
      "resources not updated keep their old shim in their outputs",
    );
    const live = (await engine.py(`
s = Session()
out(s.find_one("Folder WHERE code=e2e_show")["name"])
`)) as string;
    assert.equal(live, "Show renamed");

    // Delete runs the shim in each resource's outputs: the old one for all but the folder.
    await engine.server.resetCounters();
    await stack.destroy();
    const calls = (await engine.server.counters()).byUri;
    assert.equal(calls["DELETE acl/delete"], 2, "the grant's two ACLs were revoked by the old shim's delete");
    assert.equal(calls["DELETE volume/deactivate"], 1, "the volume was deactivated by the old shim's delete");
    assert.equal(calls["DELETE folder/deactivate"], 1, "the folder was deactivated by the new shim's delete");
  });
});

import * as assert from "node:assert/strict";
import { opsByName } from "../helpers/pulumi";
import { COLLECTION, VOLUME, folder, grant, useEngine } from "./harness";

describe("engine: drift made outside Pulumi", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("a change made with the official client shows in a plain preview, and up reverts it", async () => {
    const stack = await engine.stack("drift-rename", [VOLUME]);
    await stack.up();
    const { vol } = await stack.ids();
    await engine.py(`s = Session(); s.update("Volume", "${vol}", {"name": "Renamed by hand"}); out(True)`);
    const plan = await stack.preview();
    assert.equal(opsByName(plan.steps).vol, "update", JSON.stringify(opsByName(plan.steps)));
    await stack.up();
    const name = await engine.py(`s = Session(); out(s.find_one("Volume WHERE id=${vol}")["name"])`);
    assert.equal(name, "E2E Projects");
  });

  it("refresh records the drifted resource field by field and leaves the others' state as it was", async () => {
    const stack = await engine.stack("drift-refresh", [VOLUME, folder(), grant()]);
    await stack.up();
    type Res = { urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
    const accsyn = async (): Promise<Record<string, Res>> => {
      const state = JSON.parse(await stack.exportState()) as { deployment: { resources: Res[] } };
      return Object.fromEntries(
        state.deployment.resources
          .filter((r) => r.urn.includes("dynamic/accsyn:"))
          .map((r) => [r.urn.split("::").pop() as string, r]),
      );
    };
    const before = await accsyn();
    const { vol } = await stack.ids();
    await engine.py(`s = Session(); s.update("Volume", "${vol}", {"name": "Renamed by hand"}); out(True)`);
    await stack.refresh();
    const after = await accsyn();
    for (const name of ["show", "vendor"])
      assert.deepEqual(
        [after[name]?.inputs, after[name]?.outputs],
        [before[name]?.inputs, before[name]?.outputs],
        `the unchanged ${name}'s inputs and outputs are as they were (no outputs copied into its inputs)`,
      );
    assert.equal(after.vol?.outputs.name, "Renamed by hand");
    assert.equal(
      after.vol?.inputs.name,
      "Renamed by hand",
      "the live name is the input the next diff compares",
    );
    const plan = await stack.preview(["--diff"]);
    assert.deepEqual(opsByName(plan.steps), { vol: "update" });
    await stack.up();
    assert.equal((await accsyn()).vol?.inputs.name, "E2E Projects");
  });

  it("refresh after an out-of-band delete drops the resource from state, and up recreates it", async () => {
    const stack = await engine.stack("drift-deleted", [VOLUME, folder(), COLLECTION]);
    await stack.up();
    const ids = await stack.ids();
    await engine.py(`s = Session(); s.delete_one("Collection", "${ids.coll}"); out(True)`);
    assert.equal(
      opsByName((await stack.preview()).steps).coll,
      "replace",
      "a plain preview plans to re-create it",
    );
    await stack.refresh();
    const state = JSON.parse(await stack.exportState()) as { deployment: { resources: { id?: string }[] } };
    const stateIds = state.deployment.resources.map((r) => r.id);
    assert.ok(stateIds.includes(ids.show), "the folder is still in the state");
    assert.ok(!stateIds.includes(ids.coll), "the deleted collection left the state");
    await stack.up();
    const after = await stack.ids();
    assert.notEqual(after.coll, ids.coll);
    const live = await engine.py(
      `s = Session(); c = s.find_one("Collection WHERE code=e2e_onboarding"); out([c["id"], sorted(f["path"] for f in s.find("File", entityid=c["id"]))])`,
    );
    assert.deepEqual(live, [after.coll, ["folder=e2e_show/b.mov", "volume=e2e_projects/docs/a.pdf"]]);
  });
});

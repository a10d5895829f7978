import * as assert from "node:assert/strict";
import { opsByName } from "../helpers/pulumi";
import { COLLECTION, VOLUME, folder, useEngine } from "./harness";

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

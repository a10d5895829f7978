import * as assert from "node:assert/strict";
import { opsByName } from "../helpers/pulumi";
import { VOLUME, folder, useEngine } from "./harness";

describe("engine: update in place or replace", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("a rename is planned as an update, a new path as a replace", async () => {
    const stack = await engine.stack("replace-plan", [VOLUME, folder()]);
    await stack.up();
    await stack.declare([VOLUME, folder({ name: "Show (renamed)" })]);
    assert.equal(opsByName((await stack.preview()).steps).show, "update");
    await stack.declare([VOLUME, folder({ path: "shows/show-v2" })]);
    assert.equal(opsByName((await stack.preview()).steps).show, "replace");
  });

  it("a replacement never restores the old location under the same code; it says how to proceed", async () => {
    const stack = await engine.stack("replace-refused", [VOLUME, folder()]);
    await stack.up();
    await stack.declare([VOLUME, folder({ path: "shows/show-v2" })]);
    const refused = await stack.up().then(
      () => "up succeeded",
      (e: Error) => e.message,
    );
    assert.match(refused, /code 'e2e_show' belongs to the deactivated Folder 'Show' at 'shows\/show'/);
    assert.match(refused, /deletionPolicy: "delete"/);
    const live = await engine.py(
      `s = Session(); out([f["path"] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(live, ["shows/show"], "the old folder was not moved or restored under the new path");
  });

  it('with deletionPolicy "delete", moving a folder replaces it: a new folder at the new path, the old one gone', async () => {
    const stack = await engine.stack("replace-moved", [VOLUME, folder({ deletionPolicy: "delete" })]);
    await stack.up();
    const before = await stack.ids();
    await stack.declare([VOLUME, folder({ path: "shows/show-v2", deletionPolicy: "delete" })]);
    await stack.up();
    const after = await stack.ids();
    assert.notEqual(after.show, before.show, "a new folder");
    const live = await engine.py(
      `s = Session(); out([[f["id"], f["path"]] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(live, [[after.show, "shows/show-v2"]], "only the new folder holds the code");
  });
});

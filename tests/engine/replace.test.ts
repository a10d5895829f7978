import * as assert from "node:assert/strict";
import { opsByName } from "../helpers/pulumi";
import { VOLUME, folder, useEngine } from "./harness";

describe("engine: update in place or replace", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("a rename and a new path are planned as updates, a new volume as a replace", async () => {
    const other = {
      ...VOLUME,
      name: "other",
      args: { ...VOLUME.args, code: "e2e_other", name: "Other", paths: { linux: "/mnt/e2e-other" } },
    };
    const stack = await engine.stack("replace-plan", [VOLUME, other, folder({ deletionPolicy: "delete" })]);
    await stack.up();
    await stack.declare([VOLUME, other, folder({ name: "Show (renamed)", deletionPolicy: "delete" })]);
    assert.equal(opsByName((await stack.preview()).steps).show, "update");
    await stack.declare([VOLUME, other, folder({ path: "shows/show-v2", deletionPolicy: "delete" })]);
    assert.equal(opsByName((await stack.preview()).steps).show, "update");
    const moved = folder({ deletionPolicy: "delete" });
    moved.args.volume = "@other";
    await stack.declare([VOLUME, other, moved]);
    assert.equal(opsByName((await stack.preview()).steps).show, "replace");
  });

  it('with deletionPolicy "delete", a new volume replaces the folder: a new folder there, the old one gone', async () => {
    const other = {
      ...VOLUME,
      name: "other",
      args: { ...VOLUME.args, code: "e2e_other", name: "Other", paths: { linux: "/mnt/e2e-other" } },
    };
    const stack = await engine.stack("replace-moved", [VOLUME, other, folder({ deletionPolicy: "delete" })]);
    await stack.up();
    const before = await stack.ids();
    const moved = folder({ path: "shows/show-v2", deletionPolicy: "delete" });
    moved.args.volume = "@other";
    await stack.declare([VOLUME, other, moved]);
    await stack.up();
    const after = await stack.ids();
    assert.notEqual(after.show, before.show, "a new folder");
    const live = await engine.py(
      `s = Session(); out([[f["id"], f["path"]] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(live, [[after.show, "shows/show-v2"]], "only the new folder holds the code");
  });
});

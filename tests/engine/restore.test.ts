import * as assert from "node:assert/strict";
import { VOLUME, everyKind, folder, useEngine } from "./harness";

describe("engine: restore of deactivated entities", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("destroy deactivates (restorable) and retains the home; a later up restores the same entities", async () => {
    const stack = await engine.stack("restore-destroy", everyKind());
    await stack.up();
    const ids = await stack.ids();
    await stack.destroy();
    const left = (await engine.py(`
s = Session()
def ids(q, **kw): return [e["id"] for e in s.find(q, **kw)]
out({"vol": ids("Volume WHERE code=e2e_projects", inactive=True), "active": ids("Volume WHERE code=e2e_projects"),
     "folder": ids("Folder WHERE code=e2e_show", inactive=True),
     "coll": ids("Collection WHERE code=e2e_onboarding", inactive=True),
     "home": ids("Home WHERE id=${ids.home}", inactive=True)})
`)) as Record<string, string[]>;
    assert.deepEqual(left.vol, [ids.vol], "the volume still exists, deactivated");
    assert.deepEqual(left.active, [], "and is no longer active");
    assert.deepEqual(left.folder, [ids.show]);
    assert.deepEqual(left.coll, [ids.coll]);
    assert.deepEqual(left.home, [ids.home], "the home is retained (inactive with its volume, not deleted)");

    await stack.up();
    const again = await stack.ids();
    for (const name of ["vol", "show", "home", "coll"] as const) {
      assert.equal(again[name], ids[name], `same ${name} id after restore`);
    }
    const active = await engine.py(
      `s = Session(); out([s.find_one("Volume WHERE code=e2e_projects")["id"], s.find_one("Folder WHERE code=e2e_show")["id"]])`,
    );
    assert.deepEqual(active, [ids.vol, ids.show], "active again");
  });

  it("a share deactivated by hand is restored by a plain up, keeping its id", async () => {
    const stack = await engine.stack("restore-by-hand", [VOLUME, folder()]);
    await stack.up();
    const ids = await stack.ids();
    await engine.py(`s = Session(); s.deactivate_one("Folder", "${ids.show}"); out(True)`);
    await stack.up();
    const active = await engine.py(
      `s = Session(); out([f["id"] for f in s.find("Folder WHERE code=e2e_show")])`,
    );
    assert.deepEqual(active, [ids.show]);
    assert.equal((await stack.ids()).show, ids.show);
  });
});

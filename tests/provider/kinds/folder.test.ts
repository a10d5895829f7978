import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./harness";

/** Two volumes made by hand, so folder tests depend on no other kind's provider code. */
async function volumes(t: KindTest): Promise<{ projects: Entity; archive: Entity }> {
  const server = (await seedIds(t))["hq-server"];
  const make = (code: string) =>
    t.make("Volume", { name: code, code, paths: { linux: `/mnt/${code}` }, server });
  return { projects: await make("k_projects"), archive: await make("k_archive") };
}

const declared = (over: Props = {}): Props => ({
  name: "Show",
  code: "k_show",
  volume: "k_projects",
  path: "shows/show",
  description: "the show",
  email: "show@example.com",
  metadata: { show: "one" },
  queue: "default",
  status: "enabled",
  ...over,
});

describe("provider (in-process): Folder", function () {
  this.timeout(60_000);
  const t = useKindTest();
  let vols: { projects: Entity; archive: Entity };
  beforeEach(async () => {
    vols = await volumes(t);
  });

  it("create makes the folder the official client sees, and read and diff report no change", async () => {
    const held = await t.create("Folder", declared());
    const seen = (await t.py(`
s = Session()
f = s.find_one("Folder WHERE code=k_show")
out({k: f[k] for k in ["id", "name", "parent", "path", "description", "email", "metadata", "queue", "status"]})
`)) as Props;
    assert.deepEqual(seen, {
      id: held.id,
      name: "Show",
      parent: vols.projects.id,
      path: "shows/show",
      description: "the show",
      email: "show@example.com",
      metadata: { show: "one" },
      queue: "default",
      status: "enabled",
    });
    const read = await t.read(held);
    for (const [k, v] of Object.entries(declared())) assert.deepEqual(read?.[k], v, `read ${k}`);
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  it("a folder declared without a code gets the one accsyn derives from its name, as an output", async () => {
    const held = await t.create("Folder", { name: "Dailies", volume: vols.projects.id, path: "dailies" });
    assert.equal(held.state.code, "dailies");
    assert.equal((await t.share("Folder", held.id))?.code, "dailies");
    assert.equal(
      (await t.plan(held, { name: "Dailies", volume: vols.projects.id, path: "dailies" })).changes,
      false,
    );
  });

  const inPlace: [string, unknown][] = [
    ["name", "Show (renamed)"],
    ["code", "k_show_2"],
    ["description", "the show, season 2"],
    ["email", "season2@example.com"],
    ["metadata", { show: "two" }],
    ["queue", "bulk"],
    ["status", "disabled"],
    ["path", "shows/show-v2"],
  ];
  for (const [field, value] of inPlace) {
    it(`updates ${field} in place: same id, the new value live, then no change planned`, async () => {
      const held = await t.create("Folder", declared());
      const after = await t.update(held, declared({ [field]: value }));
      assert.equal(after.id, held.id);
      assert.deepEqual((await t.share("Folder", held.id))?.[field], value);
      assert.equal((await t.plan(after, declared({ [field]: value }))).changes, false, "converged");
    });
  }

  for (const [field, value] of [["volume", "k_archive"]] as const) {
    it(`a new ${field} plans a replacement, which with deletionPolicy "delete" makes a new folder there`, async () => {
      const held = await t.create("Folder", declared({ deletionPolicy: "delete" }));
      const news = declared({ deletionPolicy: "delete", [field]: value });
      const plan = await t.plan(held, news);
      assert.deepEqual([plan.changes, plan.replaces, plan.deleteBeforeReplace], [true, [field], true]);
      // What the engine then does: delete the old folder, create the new one.
      await t.remove(held);
      const moved = await t.create("Folder", news);
      assert.notEqual(moved.id, held.id);
      const live = await t.sharesByCode("Folder", "k_show");
      assert.deepEqual(
        live.map((f) => [f.id, f.parent, f.path]),
        [[moved.id, field === "volume" ? vols.archive.id : vols.projects.id, news.path]],
      );
    });
  }

  it("a replacement under the same code never restores the old location, and says how to proceed", async () => {
    const held = await t.create("Folder", declared());
    await t.remove(held); // deactivate, the default
    const refused = await t.createFails("Folder", declared({ path: "shows/show-v2" }));
    assert.match(refused.message, /code 'k_show' belongs to the deactivated Folder 'Show' at 'shows\/show'/);
    assert.match(refused.message, /another code/);
    const live = await t.share("Folder", held.id);
    assert.deepEqual([live?.inactive, live?.path], [true, "shows/show"], "the old folder was not touched");
  });

  it("adopt: a folder made by hand collides without adopt, and is taken over with it", async () => {
    const made = await t.make("Folder", {
      name: "Legacy",
      code: "k_show",
      parent: vols.projects.id,
      path: "shows/show",
    });
    const refused = await t.createFails("Folder", declared());
    assert.match(refused.message, /already taken/);
    assert.match(refused.message, /adopt: true/);
    assert.equal((await t.share("Folder", made.id))?.name, "Legacy", "the collision changed nothing");
    const held = await t.create("Folder", declared({ adopt: true }));
    assert.equal(held.id, made.id);
    assert.equal((await t.share("Folder", made.id))?.name, "Show");
  });

  it("adopt without a code: the folder at the same volume and path is the one taken over", async () => {
    const made = await t.make("Folder", { name: "Plates", parent: vols.projects.id, path: "plates" });
    const decl = { name: "Plates (managed)", volume: "k_projects", path: "plates" };
    assert.match((await t.createFails("Folder", decl)).message, /already taken/);
    const held = await t.create("Folder", { ...decl, adopt: true });
    assert.equal(held.id, made.id);
  });

  it("restore: create after a destroy (deactivate) brings the same folder back", async () => {
    const held = await t.create("Folder", declared());
    await t.remove(held);
    const again = await t.create("Folder", declared({ name: "Show again" }));
    assert.equal(again.id, held.id);
    const live = await t.share("Folder", held.id);
    assert.deepEqual([live?.inactive, live?.name], [false, "Show again"]);
  });

  it("restore: a folder deactivated by hand is an in-place change that re-activates it", async () => {
    const held = await t.create("Folder", declared());
    await t.byHand("deactivate", "Folder", held.id);
    await t.update(held, declared());
    assert.equal((await t.share("Folder", held.id))?.inactive, false);
  });

  it("gone: a folder deleted by hand reads as gone, and the plan re-creates it", async () => {
    const held = await t.create("Folder", declared());
    await t.byHand("delete", "Folder", held.id);
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, declared());
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (re-create)");
  });

  it("drift: a change by hand is reported by diff and read, and update reverts it", async () => {
    const held = await t.create("Folder", declared());
    await t.byHand("edit", "Folder", held.id, { description: "edited by hand" });
    const plan = await t.plan(held, declared());
    assert.deepEqual([plan.changes, plan.replaces ?? []], [true, []]);
    assert.equal((await t.read(held))?.description, "edited by hand");
    await t.update(held, declared());
    assert.equal((await t.share("Folder", held.id))?.description, "the show");
  });

  it("deletion policy deactivate (the default) leaves the folder restorable", async () => {
    const held = await t.create("Folder", declared());
    await t.remove(held);
    const live = await t.share("Folder", held.id);
    assert.deepEqual([live?.inactive, live?.archived], [true, undefined]);
  });

  it("deletion policy delete removes the folder", async () => {
    const held = await t.create("Folder", declared({ deletionPolicy: "delete" }));
    await t.remove(held);
    assert.equal((await t.share("Folder", held.id))?.archived, true);
    assert.deepEqual(await t.sharesByCode("Folder", "k_show"), []);
  });

  it("deletion policy retain leaves the folder active", async () => {
    const held = await t.create("Folder", declared({ deletionPolicy: "retain" }));
    await t.remove(held);
    assert.equal((await t.share("Folder", held.id))?.inactive, false);
  });
});

import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./harness";

/** Servers serving a volume, as the official client's assignments() lists them: [code, site server?]. */
async function assignments(t: KindTest, volumeId: string): Promise<[string, boolean][]> {
  return (await t.py(
    `s = Session(); out(sorted([a["code"], a["siteserver"]] for a in s.assignments("Volume", "${volumeId}")))`,
  )) as [string, boolean][];
}

describe("provider (in-process): VolumeServer", function () {
  this.timeout(60_000);
  const t = useKindTest();
  let projects: Entity;
  let archive: Entity;
  beforeEach(async () => {
    const server = (await seedIds(t))["hq-server"];
    const make = (code: string) =>
      t.make("Volume", { name: code, code, paths: { linux: `/mnt/${code}` }, server });
    projects = await make("k_projects");
    archive = await make("k_archive");
  });

  const declared = (over: Props = {}): Props => ({ volume: "k_projects", server: "sto-server", ...over });

  it("create assigns the server as the volume's site server, and read and diff report no change", async () => {
    const held = await t.create("VolumeServer", declared());
    assert.equal(held.state.siteServer, true, "sto-server is at another site than the main one");
    assert.deepEqual(await assignments(t, projects.id), [
      ["hq-server", false],
      ["sto-server", true],
    ]);
    assert.deepEqual(await t.read(held), { ...held.state, ...declared() });
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  it("a server already assigned is taken over without adopt, and nothing is assigned twice", async () => {
    const held = await t.create("VolumeServer", declared({ server: "hq-server" }));
    assert.equal(held.state.siteServer, false);
    assert.deepEqual(await assignments(t, projects.id), [["hq-server", false]]);
  });

  for (const [field, value] of [
    ["volume", "k_archive"],
    ["server", "hq-server"],
  ] as const) {
    it(`a new ${field} plans a replacement`, async () => {
      const held = await t.create("VolumeServer", declared());
      const plan = await t.plan(held, declared({ [field]: value }));
      assert.deepEqual([plan.changes, plan.replaces, plan.deleteBeforeReplace], [true, [field], true]);
    });
  }

  it("the replacement de-assigns the old pair and assigns the new one", async () => {
    const held = await t.create("VolumeServer", declared());
    await t.remove(held);
    await t.create("VolumeServer", declared({ volume: "k_archive" }));
    assert.deepEqual(await assignments(t, projects.id), [["hq-server", false]]);
    assert.deepEqual(await assignments(t, archive.id), [
      ["hq-server", false],
      ["sto-server", true],
    ]);
  });

  it("changing only deletionPolicy or adopt updates the state without an API write", async () => {
    const held = await t.create("VolumeServer", declared());
    const news = declared({ deletionPolicy: "retain", adopt: true });
    const plan = await t.plan(held, news);
    assert.deepEqual([plan.changes, plan.replaces], [true, []]);
    await t.server.resetCounters();
    const after = await t.update(held, news);
    assert.equal(after.state.deletionPolicy, "retain");
    const writes = Object.entries((await t.server.counters()).byUri).filter(
      ([uri]) => !/find|servers|login/i.test(uri),
    );
    assert.deepEqual(writes, [], "no write reached accsyn");
  });

  it("gone: a server de-assigned by hand reads as gone, and the plan re-assigns it", async () => {
    const held = await t.create("VolumeServer", declared());
    const ids = await seedIds(t);
    await (
      await t.wire()
    ).result("DELETE", "volume/server", {
      id: projects.id,
      data: { client: ids["sto-server"] },
    });
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, declared());
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (re-assign)");
  });

  it("deletion policy delete (the default) de-assigns the server", async () => {
    const held = await t.create("VolumeServer", declared());
    await t.remove(held);
    assert.deepEqual(await assignments(t, projects.id), [["hq-server", false]]);
  });

  it("deletion policy retain leaves the server assigned", async () => {
    const held = await t.create("VolumeServer", declared({ deletionPolicy: "retain" }));
    await t.remove(held);
    assert.deepEqual(await assignments(t, projects.id), [
      ["hq-server", false],
      ["sto-server", true],
    ]);
  });
});

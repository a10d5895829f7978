import * as assert from "node:assert/strict";
import { DEMO_SEED } from "accsyn-local";
import { type Props, seedIds, useKindTest } from "./harness";

/** The demo seed plus a second server at the main site, so a volume can move between servers. */
const SEED = {
  ...DEMO_SEED,
  servers: [...(DEMO_SEED.servers ?? []), { code: "hq-server-2", site: "hq", os: "linux" as const }],
};

const DECLARED: Props = {
  name: "Projects",
  code: "k_projects",
  paths: { linux: "/mnt/projects" },
  server: "hq-server",
  description: "work in progress",
  email: "ops@example.com",
  metadata: { tier: "fast" },
  queue: "default",
  status: "enabled",
};

describe("provider (in-process): Volume", function () {
  this.timeout(60_000);
  const t = useKindTest({ seed: SEED });

  it("create makes the volume the official client sees, and read and diff report no change", async () => {
    const held = await t.create("Volume", DECLARED);
    const ids = await seedIds(t);
    const seen = (await t.py(`
s = Session()
v = s.find_one("Volume WHERE code=k_projects")
out({k: v[k] for k in ["id", "name", "paths", "server", "description", "email", "metadata", "queue", "status"]})
`)) as Props;
    assert.deepEqual(seen, {
      id: held.id,
      name: "Projects",
      paths: { linux: "/mnt/projects" },
      server: ids["hq-server"],
      description: "work in progress",
      email: "ops@example.com",
      metadata: { tier: "fast" },
      queue: "default",
      status: "enabled",
    });
    const read = await t.read(held);
    for (const [k, v] of Object.entries(DECLARED)) assert.deepEqual(read?.[k], v, `read ${k}`);
    assert.equal((await t.plan(held, DECLARED)).changes, false);
  });

  it("site servers given at creation serve the volume at their site", async () => {
    const held = await t.create("Volume", { ...DECLARED, siteServers: ["sto-server"] });
    const servers = await t.py(
      `s = Session(); out(sorted([a["code"], a["siteserver"]] for a in s.assignments("Volume", "${held.id}")))`,
    );
    assert.deepEqual(servers, [
      ["hq-server", false],
      ["sto-server", true],
    ]);
  });

  it("siteServers only count at creation: a later change plans nothing (VolumeServer manages them)", async () => {
    const held = await t.create("Volume", { ...DECLARED, siteServers: ["sto-server"] });
    const plan = await t.plan(held, { ...DECLARED, siteServers: [] });
    assert.equal(plan.changes, false);
  });

  const changes: [field: string, value: unknown, live?: (ids: Record<string, string>) => unknown][] = [
    ["name", "Projects (renamed)"],
    ["code", "k_projects_2"],
    ["description", "archived soon"],
    ["email", "night-ops@example.com"],
    ["metadata", { tier: "slow", owner: "it" }],
    ["queue", "bulk"],
    ["status", "disabled"],
    ["paths", { linux: "/mnt/projects2", windows: "P:" }],
    ["server", "hq-server-2", (ids) => ids["hq-server-2"]],
  ];
  for (const [field, value, live] of changes) {
    it(`updates ${field} in place: same id, the new value live, then no change planned`, async () => {
      const held = await t.create("Volume", DECLARED);
      const declared = { ...DECLARED, [field]: value };
      const after = await t.update(held, declared);
      assert.equal(after.id, held.id);
      const entity = await t.share("Volume", held.id);
      assert.deepEqual(entity?.[field], live ? live(await seedIds(t)) : value);
      assert.equal((await t.plan(after, declared)).changes, false, "converged");
    });
  }

  it("adopt: a volume made by hand collides without adopt, and is taken over with it", async () => {
    const ids = await seedIds(t);
    const made = await t.make("Volume", {
      name: "Legacy",
      code: "k_projects",
      paths: { linux: "/mnt/legacy" },
      server: ids["hq-server"],
    });
    const refused = await t.createFails("Volume", DECLARED);
    assert.match(refused.message, /already taken/);
    assert.match(refused.message, /adopt: true/);
    assert.equal((await t.share("Volume", made.id))?.name, "Legacy", "the collision changed nothing");

    const held = await t.create("Volume", { ...DECLARED, adopt: true });
    assert.equal(held.id, made.id);
    const live = await t.share("Volume", made.id);
    assert.deepEqual([live?.name, live?.paths], ["Projects", { linux: "/mnt/projects" }]);
    assert.equal((await t.sharesByCode("Volume", "k_projects")).length, 1, "no duplicate");
  });

  it("adopt: a volume served by another server is taken over and assigned the declared servers", async () => {
    const ids = await seedIds(t);
    const made = await t.make("Volume", {
      name: "Legacy",
      code: "k_projects",
      paths: { linux: "/mnt/projects" },
      server: ids["hq-server-2"],
    });
    const held = await t.create("Volume", { ...DECLARED, siteServers: ["sto-server"], adopt: true });
    assert.equal(held.id, made.id);
    const servers = await t.py(
      `s = Session(); out(sorted([a["code"], a["siteserver"]] for a in s.assignments("Volume", "${held.id}")))`,
    );
    assert.ok(
      (servers as [string, boolean][]).some(([code, site]) => code === "hq-server" && !site),
      `the declared server serves it: ${JSON.stringify(servers)}`,
    );
    assert.ok(
      (servers as [string, boolean][]).some(([code, site]) => code === "sto-server" && site),
      `the declared site server serves it: ${JSON.stringify(servers)}`,
    );
    assert.equal(
      (await t.plan(held, { ...DECLARED, siteServers: ["sto-server"] })).changes,
      false,
      "converged",
    );
  });

  it("restore: create after a destroy (deactivate) brings the same volume back", async () => {
    const held = await t.create("Volume", DECLARED);
    await t.remove(held);
    assert.equal((await t.share("Volume", held.id))?.inactive, true);
    const again = await t.create("Volume", { ...DECLARED, name: "Projects again" });
    assert.equal(again.id, held.id);
    const live = await t.share("Volume", held.id);
    assert.deepEqual([live?.inactive, live?.name], [false, "Projects again"]);
  });

  it("restore: a volume deactivated by hand is an in-place change that re-activates it", async () => {
    const held = await t.create("Volume", DECLARED);
    await t.byHand("deactivate", "Volume", held.id);
    await t.update(held, DECLARED);
    assert.equal((await t.share("Volume", held.id))?.inactive, false);
  });

  it("gone: a volume deleted by hand reads as gone, and the plan re-creates it", async () => {
    const held = await t.create("Volume", DECLARED);
    await t.byHand("delete", "Volume", held.id);
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, DECLARED);
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (re-create)");
    const again = await t.create("Volume", DECLARED);
    assert.notEqual(again.id, held.id);
  });

  it("drift: a rename by hand is reported by diff and read, and update reverts it", async () => {
    const held = await t.create("Volume", DECLARED);
    await t.byHand("edit", "Volume", held.id, { name: "Renamed by hand" });
    const plan = await t.plan(held, DECLARED);
    assert.deepEqual([plan.changes, plan.replaces ?? []], [true, []]);
    assert.equal((await t.read(held))?.name, "Renamed by hand");
    await t.update(held, DECLARED);
    assert.equal((await t.share("Volume", held.id))?.name, "Projects");
  });

  it("deletion policy deactivate (the default) leaves the volume restorable", async () => {
    const held = await t.create("Volume", DECLARED);
    await t.remove(held);
    const live = await t.share("Volume", held.id);
    assert.deepEqual([live?.inactive, live?.archived], [true, undefined]);
  });

  it("deletion policy delete removes the volume (only the audit archive keeps it)", async () => {
    const held = await t.create("Volume", { ...DECLARED, deletionPolicy: "delete" });
    await t.remove(held);
    assert.equal((await t.share("Volume", held.id))?.archived, true);
    assert.deepEqual(await t.sharesByCode("Volume", "k_projects"), []);
  });

  it("deletion policy retain leaves the volume active and unchanged", async () => {
    const held = await t.create("Volume", { ...DECLARED, deletionPolicy: "retain" });
    await t.remove(held);
    const live = await t.share("Volume", held.id);
    assert.deepEqual([live?.inactive, live?.name], [false, "Projects"]);
  });
});

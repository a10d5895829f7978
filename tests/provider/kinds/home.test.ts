import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./harness";

async function volumes(t: KindTest): Promise<{ projects: Entity; archive: Entity }> {
  const server = (await seedIds(t))["hq-server"];
  const make = (code: string) =>
    t.make("Volume", { name: code, code, paths: { linux: `/mnt/${code}` }, server });
  return { projects: await make("k_projects"), archive: await make("k_archive") };
}

const declared = (over: Props = {}): Props => ({
  user: "employee@example.com",
  volume: "k_projects",
  name: "Employee home",
  code: "k_home",
  description: "home of the employee",
  email: "employee@example.com",
  metadata: { team: "comp" },
  queue: "default",
  status: "enabled",
  ...over,
});

describe("provider (in-process): Home", function () {
  this.timeout(60_000);
  const t = useKindTest();
  let vols: { projects: Entity; archive: Entity };
  let users: Record<string, string>;
  beforeEach(async () => {
    vols = await volumes(t);
    users = await seedIds(t);
  });

  it("create makes the home the official client sees, and read and diff report no change", async () => {
    const held = await t.create("Home", declared());
    assert.equal(held.state.code, "k_home");
    const seen = (await t.py(`
s = Session()
h = s.find_one("Home WHERE id=${held.id}")
out({k: h[k] for k in ["user", "parent", "name", "code", "description", "email", "metadata", "queue", "status"]})
`)) as Props;
    assert.deepEqual(seen, {
      user: users["employee@example.com"],
      parent: vols.projects.id,
      name: "Employee home",
      code: "k_home",
      description: "home of the employee",
      email: "employee@example.com",
      metadata: { team: "comp" },
      queue: "default",
      status: "enabled",
    });
    const read = await t.read(held);
    for (const [k, v] of Object.entries(declared())) assert.deepEqual(read?.[k], v, `read ${k}`);
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  it("check refuses deletionPolicy 'deactivate' (accsyn cannot deactivate homes), naming the field", async () => {
    const res = await (await t.run()).check("Home", {}, declared({ deletionPolicy: "deactivate" }));
    assert.equal(res.failures?.[0]?.property, "deletionPolicy");
    assert.match(res.failures?.[0]?.reason ?? "", /homes cannot be deactivated/);
  });

  const inPlace: [string, unknown][] = [
    ["name", "Home (renamed)"],
    ["code", "k_home_2"],
    ["description", "moved desks"],
    ["email", "employee2@example.com"],
    ["metadata", { team: "fx" }],
    ["queue", "bulk"],
    ["status", "disabled"],
  ];
  for (const [field, value] of inPlace) {
    it(`updates ${field} in place: same id, the new value live, then no change planned`, async () => {
      const held = await t.create("Home", declared());
      const after = await t.update(held, declared({ [field]: value }));
      assert.equal(after.id, held.id);
      assert.deepEqual((await t.share("Home", held.id))?.[field], value);
      assert.equal((await t.plan(after, declared({ [field]: value }))).changes, false, "converged");
    });
  }

  it("a new user plans a replacement; the old home is retained (the default) and the new user gets one", async () => {
    const held = await t.create("Home", declared());
    const news = declared({ user: "standard@example.com", code: "k_home_std" });
    const plan = await t.plan(held, news);
    assert.deepEqual([plan.changes, plan.replaces], [true, ["user"]]);
    await t.remove(held);
    const next = await t.create("Home", news);
    assert.equal((await t.share("Home", held.id))?.inactive, false, "the old home is retained");
    assert.equal((await t.share("Home", next.id))?.user, users["standard@example.com"]);
  });

  it('a new volume plans a replacement, which with deletionPolicy "delete" makes the home there', async () => {
    const held = await t.create("Home", declared({ deletionPolicy: "delete" }));
    const news = declared({ deletionPolicy: "delete", volume: "k_archive" });
    const plan = await t.plan(held, news);
    assert.deepEqual([plan.changes, plan.replaces], [true, ["volume"]]);
    await t.remove(held);
    const moved = await t.create("Home", news);
    assert.notEqual(moved.id, held.id);
    assert.equal((await t.share("Home", moved.id))?.parent, vols.archive.id);
    assert.equal((await t.share("Home", held.id))?.archived, true);
  });

  it("adopt: a home made by hand collides without adopt, and is taken over with it", async () => {
    const made = await t.make("Home", { user: users["employee@example.com"], parent: vols.projects.id });
    const refused = await t.createFails("Home", declared());
    assert.match(refused.message, /already taken/);
    assert.match(refused.message, /adopt: true/);
    const held = await t.create("Home", declared({ adopt: true }));
    assert.equal(held.id, made.id);
    assert.equal((await t.share("Home", made.id))?.description, "home of the employee");
  });

  it("gone: a home deleted by hand reads as gone, and the plan re-creates it", async () => {
    const held = await t.create("Home", declared());
    await t.byHand("delete", "Home", held.id);
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, declared());
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (re-create)");
  });

  it("drift: a change by hand is reported by diff and read, and update reverts it", async () => {
    const held = await t.create("Home", declared());
    await t.byHand("edit", "Home", held.id, { name: "Edited by hand" });
    const plan = await t.plan(held, declared());
    assert.deepEqual([plan.changes, plan.replaces ?? []], [true, []]);
    assert.equal((await t.read(held))?.name, "Edited by hand");
    await t.update(held, declared());
    assert.equal((await t.share("Home", held.id))?.name, "Employee home");
  });

  it("deletion policy retain (the default) leaves the home active", async () => {
    const held = await t.create("Home", declared());
    await t.remove(held);
    assert.equal((await t.share("Home", held.id))?.inactive, false);
  });

  it("deletion policy delete removes the home", async () => {
    const held = await t.create("Home", declared({ deletionPolicy: "delete" }));
    await t.remove(held);
    assert.equal((await t.share("Home", held.id))?.archived, true);
  });
});

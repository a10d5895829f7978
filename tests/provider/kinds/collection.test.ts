import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./harness";

const A = "volume=k_projects/docs/a.pdf";
const B = "volume=k_projects/docs/b.pdf";
const C = "volume=k_projects/docs/c.pdf";

const declared = (over: Props = {}): Props => ({
  name: "Onboarding",
  code: "k_onboarding",
  files: [A, B],
  description: "for new hires",
  email: "hr@example.com",
  metadata: { wave: 1 },
  queue: "default",
  status: "enabled",
  ...over,
});

/** The files of a collection as accsyn lists them: path -> file id. */
async function files(t: KindTest, id: string): Promise<Record<string, string>> {
  const list = (await (await t.wire()).result("GET", "file/find", { data: { parent: id } })) as Entity[];
  return Object.fromEntries(list.map((f) => [String(f.path), f.id]));
}

describe("provider (in-process): Collection", function () {
  this.timeout(60_000);
  const t = useKindTest();
  beforeEach(async () => {
    const server = (await seedIds(t))["hq-server"];
    await t.make("Volume", { name: "Projects", code: "k_projects", paths: { linux: "/mnt/p" }, server });
  });

  it("create makes the collection and its files the official client sees, and read and diff report no change", async () => {
    const held = await t.create("Collection", declared());
    const seen = (await t.py(`
s = Session()
c = s.find_one("Collection WHERE code=k_onboarding")
v = {k: c[k] for k in ["id", "name", "description", "email", "metadata", "queue", "status"]}
v["files"] = sorted(f["path"] for f in s.find("File", entityid=c["id"]))
out(v)
`)) as Props;
    assert.deepEqual(seen, {
      id: held.id,
      name: "Onboarding",
      description: "for new hires",
      email: "hr@example.com",
      metadata: { wave: 1 },
      queue: "default",
      status: "enabled",
      files: [A, B],
    });
    const read = await t.read(held);
    for (const [k, v] of Object.entries(declared())) assert.deepEqual(read?.[k], v, `read ${k}`);
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  const inPlace: [string, unknown][] = [
    ["name", "Onboarding (2026)"],
    ["code", "k_onboarding_2"],
    ["description", "for everyone"],
    ["email", "people@example.com"],
    ["metadata", { wave: 2 }],
    ["queue", "bulk"],
    ["status", "disabled"],
  ];
  for (const [field, value] of inPlace) {
    it(`updates ${field} in place: same id, the new value live, then no change planned`, async () => {
      const held = await t.create("Collection", declared());
      const after = await t.update(held, declared({ [field]: value }));
      assert.equal(after.id, held.id);
      assert.deepEqual((await t.share("Collection", held.id))?.[field], value);
      assert.equal((await t.plan(after, declared({ [field]: value }))).changes, false, "converged");
    });
  }

  it("updates files in place: adds the new path, removes the dropped one, keeps the rest (same file id)", async () => {
    const held = await t.create("Collection", declared());
    const before = await files(t, held.id);
    const after = await t.update(held, declared({ files: [B, C] }));
    assert.equal(after.id, held.id);
    const now = await files(t, held.id);
    assert.deepEqual(Object.keys(now).sort(), [B, C]);
    assert.equal(now[B], before[B], "the kept file keeps its id");
    assert.equal((await t.plan(after, declared({ files: [B, C] }))).changes, false, "converged");
  });

  it("the same files in another order are no change", async () => {
    const held = await t.create("Collection", declared());
    assert.equal((await t.plan(held, declared({ files: [B, A] }))).changes, false);
  });

  it("adopt: a collection made by hand collides without adopt, and is taken over with its files reconciled", async () => {
    const made = await t.make("Collection", { name: "Legacy", code: "k_onboarding", files: [C] });
    const refused = await t.createFails("Collection", declared());
    assert.match(refused.message, /already taken/);
    assert.match(refused.message, /adopt: true/);
    assert.deepEqual(Object.keys(await files(t, made.id)), [C], "the collision changed nothing");
    const held = await t.create("Collection", declared({ adopt: true }));
    assert.equal(held.id, made.id);
    assert.equal((await t.share("Collection", made.id))?.name, "Onboarding");
    assert.deepEqual(Object.keys(await files(t, made.id)).sort(), [A, B]);
  });

  it("restore: create after a destroy (deactivate) brings the same collection back with the declared files", async () => {
    const held = await t.create("Collection", declared());
    await t.remove(held);
    const again = await t.create("Collection", declared({ files: [C] }));
    assert.equal(again.id, held.id);
    assert.equal((await t.share("Collection", held.id))?.inactive, false);
    assert.deepEqual(Object.keys(await files(t, held.id)), [C]);
  });

  it("restore: a collection deactivated by hand is an in-place change that re-activates it", async () => {
    const held = await t.create("Collection", declared());
    await t.byHand("deactivate", "Collection", held.id);
    await t.update(held, declared());
    assert.equal((await t.share("Collection", held.id))?.inactive, false);
  });

  it("gone: a collection deleted by hand reads as gone, and the plan re-creates it", async () => {
    const held = await t.create("Collection", declared());
    await t.byHand("delete", "Collection", held.id);
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, declared());
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (re-create)");
  });

  it("drift: a file added by hand is reported by diff and read, and update takes it out again", async () => {
    const held = await t.create("Collection", declared());
    await (await t.wire()).result("POST", "file/add", { id: held.id, data: { files: [C] } });
    const plan = await t.plan(held, declared());
    assert.deepEqual([plan.changes, plan.replaces ?? []], [true, []]);
    assert.deepEqual(await t.read(held).then((p) => p?.files), [A, B, C]);
    await t.update(held, declared());
    assert.deepEqual(Object.keys(await files(t, held.id)).sort(), [A, B]);
  });

  it("deletion policy deactivate (the default) leaves the collection restorable", async () => {
    const held = await t.create("Collection", declared());
    await t.remove(held);
    const live = await t.share("Collection", held.id);
    assert.deepEqual([live?.inactive, live?.archived], [true, undefined]);
  });

  it("deletion policy delete removes the collection", async () => {
    const held = await t.create("Collection", declared({ deletionPolicy: "delete" }));
    await t.remove(held);
    assert.equal((await t.share("Collection", held.id))?.archived, true);
    assert.deepEqual(await t.sharesByCode("Collection", "k_onboarding"), []);
  });

  it("deletion policy retain leaves the collection active", async () => {
    const held = await t.create("Collection", declared({ deletionPolicy: "retain" }));
    await t.remove(held);
    assert.equal((await t.share("Collection", held.id))?.inactive, false);
  });
});

import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./kinds/harness";

/**
 * Crash recovery for Grants (provider/kinds/acl-recovery.ts), in-process against accsyn-local. ACLs
 * carry no marker, so a Grant whose create was killed finds the ACLs it made as plain ACLs: taken
 * over when each is exactly one of its declared rules, refused (as before) when any grants more.
 */

interface Rule {
  path: string;
  read: boolean;
  write: boolean;
}

const RULES: Rule[] = [
  { path: "/", read: true, write: false },
  { path: "upload", read: false, write: true },
];

interface LiveAcl extends Rule {
  id: string;
}

async function aclsOn(t: KindTest, shareId: string): Promise<LiveAcl[]> {
  const list = (await (
    await t.wire()
  ).result("GET", "acl/find", { query: `acl WHERE target=share:${shareId}` })) as (Entity & Partial<Rule>)[];
  return list
    .map((a) => ({ id: a.id, path: a.path ?? "/", read: a.read === true, write: a.write === true }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** One ACL as `acl/create` makes it: what the killed create (or a hand) left. */
async function aclByHand(t: KindTest, userId: string, shareId: string, rule: Rule): Promise<string> {
  const made = (await (
    await t.wire()
  ).result("POST", "acl/create", {
    data: { entity: `user:${userId}`, target: `share:${shareId}`, ...rule, notify: false },
  })) as Entity | Entity[];
  return (Array.isArray(made) ? made[0] : made)?.id as string;
}

describe("provider (in-process): a Grant's create after a killed run", function () {
  this.timeout(60_000);
  const t = useKindTest();
  let folder: Entity;
  let user: string;
  beforeEach(async () => {
    const ids = await seedIds(t);
    user = ids["standard@example.com"] as string;
    const vol = await t.make("Volume", {
      name: "Projects",
      code: "k_projects",
      paths: { linux: "/mnt/p" },
      server: ids["hq-server"],
    });
    folder = await t.make("Folder", { name: "Show", code: "k_show", parent: vol.id, path: "show" });
  });

  const declared = (over: Props = {}): Props => ({
    user: "standard@example.com",
    share: folder.id,
    shareType: "Folder",
    rules: RULES,
    notify: false,
    resourceName: "vendor",
    ...over,
  });

  it("takes over the paths it had granted (same ACL ids) and grants the rest, without adopt", async () => {
    const first = await aclByHand(t, user, folder.id, RULES[0] as Rule);
    await t.server.resetCounters();
    const held = await t.create("Grant", declared());
    const grants = Object.entries((await t.server.counters()).byUri).filter(([k]) =>
      k.endsWith("acl/create"),
    );
    assert.deepEqual(grants, [["POST acl/create", 1]], "only the missing path is granted");
    const live = await aclsOn(t, folder.id);
    assert.deepEqual(
      live.map(({ path, read, write }) => ({ path, read, write })),
      RULES,
    );
    assert.equal(live.find((a) => a.path === "/")?.id, first, "the ACL the killed run made is kept");
    assert.deepEqual(
      (held.state.acls as LiveAcl[]).map((a) => a.id),
      live.map((a) => a.id),
    );
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  const more: [string, Rule[]][] = [
    ["more rights on a declared path", [{ path: "/", read: true, write: true }]],
    [
      "a path the Grant does not declare",
      [
        { path: "/", read: true, write: false },
        { path: "secret", read: true, write: false },
      ],
    ],
    ["other rights on a declared path", [{ path: "upload", read: true, write: false }]],
  ];
  for (const [what, existing] of more) {
    it(`refuses, as before, ACLs that grant what the Grant does not: ${what}`, async () => {
      for (const rule of existing) await aclByHand(t, user, folder.id, rule);
      const err = await t.createFails("Grant", declared());
      assert.match(err.message, /already has \d ACL\(s\)/);
      assert.match(err.message, /adopt: true/);
      assert.deepEqual(
        (await aclsOn(t, folder.id)).map(({ path, read, write }) => ({ path, read, write })),
        existing,
        "nothing changed",
      );
    });
  }
});

import * as assert from "node:assert/strict";
import { type Entity, type KindTest, type Props, seedIds, useKindTest } from "./harness";

interface Rule {
  path: string;
  read: boolean;
  write: boolean;
}

/**
 * Who holds which rights on a share, read raw (the official access() keeps only an ACL's first
 * rule): user e-mail -> sorted [path, read, write], over all of the user's ACLs on the share.
 */
async function acls(t: KindTest, shareId: string): Promise<Record<string, [string, boolean, boolean][]>> {
  const wire = await t.wire();
  const users = (await wire.result("GET", "user/find", { query: "code=*" })) as Entity[];
  const email = new Map(users.map((u) => [`user:${u.id}`, String(u.code)]));
  const list = (await wire.result("GET", "acl/find", {
    query: `acl WHERE target=share:${shareId}`,
  })) as (Entity & Partial<Rule> & { entity: string; paths?: Rule[] })[];
  const out: Record<string, [string, boolean, boolean][]> = {};
  for (const a of list) {
    const rules = a.paths ?? [{ path: a.path ?? "/", read: a.read === true, write: a.write === true }];
    (out[email.get(a.entity) ?? a.entity] ??= []).push(
      ...rules.map((r): [string, boolean, boolean] => [r.path, r.read, r.write]),
    );
  }
  for (const rules of Object.values(out)) rules.sort();
  return out;
}

/** Grants `user` one rule by hand, as an admin would with the official client. */
async function grantByHand(t: KindTest, user: string, shareId: string, rule: Rule): Promise<void> {
  await (
    await t.wire()
  ).result("POST", "acl/create", {
    data: { entity: `user:${user}`, target: `share:${shareId}`, ...rule, notify: false },
  });
}

const RULES = [
  { path: "/", read: true },
  { path: "upload", write: true },
];

describe("provider (in-process): Grant", function () {
  this.timeout(60_000);
  const t = useKindTest();
  let folder: Entity;
  let other: Entity;
  let ids: Record<string, string>;
  beforeEach(async () => {
    ids = await seedIds(t);
    const vol = await t.make("Volume", {
      name: "Projects",
      code: "k_projects",
      paths: { linux: "/mnt/p" },
      server: ids["hq-server"],
    });
    folder = await t.make("Folder", { name: "Show", code: "k_show", parent: vol.id, path: "show" });
    other = await t.make("Folder", { name: "Other", code: "k_other", parent: vol.id, path: "other" });
  });

  const declared = (over: Props = {}): Props => ({
    user: "standard@example.com",
    share: folder.id,
    shareType: "Folder",
    rules: RULES,
    notify: false,
    ...over,
  });

  it("create gives the user exactly the declared rules, and read and diff report no change", async () => {
    const held = await t.create("Grant", declared());
    assert.deepEqual(await acls(t, folder.id), {
      "standard@example.com": [
        ["/", true, false],
        ["upload", false, true],
      ],
    });
    const seen = await t.py(
      `s = Session(); out([[a["user"], a["path"], a["read"]] for a in s.access("Folder", "${folder.id}")])`,
    );
    assert.deepEqual(
      seen,
      [
        [ids["standard@example.com"], "/", true],
        [ids["standard@example.com"], "upload", false],
      ],
      "the official client sees one ACL per path",
    );
    const recorded = held.state.acls as { id: string; path: string }[];
    const live = (await (
      await t.wire()
    ).result("GET", "acl/find", {
      query: `acl WHERE target=share:${folder.id}`,
    })) as Entity[];
    assert.deepEqual(
      recorded.map((a) => [a.path, a.id]),
      live.map((a) => [a.path, a.id]).sort(),
      "the state records each ACL's id",
    );
    const read = await t.read(held);
    assert.deepEqual(read?.rules, [
      { path: "/", read: true, write: false },
      { path: "upload", read: false, write: true },
    ]);
    assert.equal((await t.plan(held, declared())).changes, false);
  });

  for (const shareType of ["Volume", "Home", "Collection"] as const) {
    it(`grants on a ${shareType} the declared rules, and destroy revokes them`, async () => {
      const share =
        shareType === "Volume"
          ? (
              (await (await t.wire()).result("GET", "volume/find", { query: "code=k_projects" })) as Entity[]
            )[0]!
          : shareType === "Home"
            ? await t.make("Home", {
                user: ids["employee@example.com"],
                parent: folder.parent,
                code: "k_home",
              })
            : await t.make("Collection", { name: "Docs", code: "k_docs", files: ["folder=k_show/a.pdf"] });
      const held = await t.create("Grant", declared({ share: share.id, shareType }));
      assert.deepEqual(await acls(t, share.id), {
        "standard@example.com": [
          ["/", true, false],
          ["upload", false, true],
        ],
      });
      assert.equal((await t.plan(held, declared({ share: share.id, shareType }))).changes, false);
      await t.remove(held);
      assert.deepEqual(await acls(t, share.id), {});
    });
  }

  it("the share may be named by its code", async () => {
    const held = await t.create("Grant", declared({ share: "k_show" }));
    assert.equal(Object.keys(await acls(t, folder.id)).length, 1);
    assert.equal((await t.plan(held, declared({ share: "k_show" }))).changes, false);
  });

  it("an e-mail no user has fails check, naming near matches, and invites nobody", async () => {
    for (const [typo, near] of [
      ["standard@exmaple.com", "standard@example.com"],
      ["standard@example", "standard@example.com"],
    ]) {
      const res = await (await t.run()).check("Grant", {}, declared({ user: typo, resourceName: "typo" }));
      const reason = res.failures?.[0]?.reason ?? "";
      assert.equal(res.failures?.[0]?.property, "user");
      assert.match(reason, new RegExp(`no user has the e-mail '${typo}'`));
      assert.ok(reason.includes(`did you mean '${near}'?`), reason);
      assert.match(reason, /set 'invite: true'/);
    }
    const users = (await (await t.wire()).result("GET", "user/find", { query: "code=*" })) as Entity[];
    assert.equal(users.filter((u) => String(u.code).startsWith("standard@exa")).length, 1, "nobody invited");
  });

  it("with invite: true an e-mail no user has is invited as a standard user and granted", async () => {
    await t.create("Grant", declared({ user: "new.vendor@example.com", invite: true }));
    const user = await t.py(
      `s = Session(); u = s.find_one("User WHERE code=new.vendor@example.com"); out(u["role"])`,
    );
    assert.equal(user, "standard");
    assert.deepEqual(Object.keys(await acls(t, folder.id)), ["new.vendor@example.com"]);
  });

  it("adding a rule adds one ACL; the others keep their ids", async () => {
    const held = await t.create("Grant", declared());
    const rules = [...RULES, { path: "delivery", read: true, write: true }];
    const after = await t.update(held, declared({ rules }));
    assert.deepEqual((await acls(t, folder.id))["standard@example.com"], [
      ["/", true, false],
      ["delivery", true, true],
      ["upload", false, true],
    ]);
    const idsOf = (h: typeof held) =>
      Object.fromEntries((h.state.acls as { id: string; path: string }[]).map((a) => [a.path, a.id]));
    assert.deepEqual({ ...idsOf(after), delivery: undefined }, { ...idsOf(held), delivery: undefined });
    assert.ok(idsOf(after).delivery, "the new path's ACL id is recorded");
  });

  it("a rule change grants the new and changed paths before it revokes the old ones", async () => {
    const held = await t.create("Grant", declared());
    const wire = await t.wire();
    const logged = async () =>
      (
        (await wire.result("GET", "log/find", {
          data: { entitytype: "acl", pagination: { limit: 1000 } },
        })) as Entity[]
      ).map((l) => `${String(l.uri)} ${String(l.entityid)}`);
    const before = (await logged()).length;
    const rules = [
      { path: "plates", read: true },
      { path: "upload", read: true, write: true },
    ];
    const after = await t.update(held, declared({ rules }));
    const calls = (await logged()).slice(before);
    const rootId = (held.state.acls as { id: string; path: string }[]).find((a) => a.path === "/")?.id;
    assert.deepEqual(
      calls.map((c) => c.split(" ")[0]),
      ["acl/create", "acl/create", "acl/delete"],
      `granted first, revoked last: ${calls.join(", ")}`,
    );
    assert.equal(calls[2], `acl/delete ${rootId}`, "the one ACL revoked is the old '/' path's");
    assert.deepEqual(await acls(t, folder.id), {
      "standard@example.com": [
        ["plates", true, false],
        ["upload", true, true],
      ],
    });
    assert.deepEqual(
      (after.state.acls as { path: string }[]).map((a) => a.path),
      ["plates", "upload"],
      "the state records the current ACLs",
    );
  });

  it("rule paths accsyn refuses fail check, naming the fix", async () => {
    for (const [path, fix] of [
      ["/specs", "write 'specs'"],
      ["a/../b", "name the directory"],
      ["C:/x", "relative to the share"],
    ]) {
      const res = await (await t.run()).check("Grant", {}, declared({ rules: [{ path, read: true }] }));
      const reason = res.failures?.[0]?.reason ?? "";
      assert.ok(reason.includes(fix), `${path}: ${reason}`);
    }
    const res = await (
      await t.run()
    ).check("Grant", {}, declared({ rules: [{ path: "plates/", read: true }] }));
    assert.deepEqual(
      (res.inputs?.rules as Rule[]).map((r) => r.path),
      ["plates"],
      "spelled as accsyn does",
    );
  });

  it("removing or narrowing a rule leaves exactly the declared rights, nothing more", async () => {
    const held = await t.create("Grant", declared());
    const rules = [{ path: "/", read: true, write: false }];
    const after = await t.update(held, declared({ rules }));
    assert.deepEqual(await acls(t, folder.id), { "standard@example.com": [["/", true, false]] });
    assert.equal((await t.plan(after, declared({ rules }))).changes, false, "converged");
  });

  for (const [field, value] of [
    ["user", "employee@example.com"],
    ["share", "k_other"],
  ] as const) {
    it(`a new ${field} plans a replacement; delete then create moves the access`, async () => {
      const held = await t.create("Grant", declared());
      const news = declared({ [field]: field === "share" ? other.id : value });
      const plan = await t.plan(held, news);
      assert.deepEqual([plan.changes, plan.deleteBeforeReplace], [true, true]);
      assert.deepEqual(plan.replaces, [field], "the replace reason is the field that changed");
      await t.remove(held);
      await t.create("Grant", news);
      const where = field === "share" ? other.id : folder.id;
      const who = field === "user" ? value : "standard@example.com";
      assert.deepEqual(Object.keys(await acls(t, where)), [who]);
      if (field === "share")
        assert.deepEqual(await acls(t, folder.id), {}, "no access left on the old share");
    });
  }

  it("check refuses two Grants for the same user and share in one program, naming both", async () => {
    const rt = await t.run();
    const first = await rt.check("Grant", {}, declared({ resourceName: "reader-a" }));
    assert.equal(first.failures, undefined);
    const second = await rt.check("Grant", {}, declared({ resourceName: "reader-b" }));
    assert.match(
      second.failures?.[0]?.reason ?? "",
      /Grants 'reader-a' \(.*\) and 'reader-b' \(.*\) both claim user/,
    );
  });

  it("duplicates are found on resolved ids: a user's id and e-mail, a share's id and code", async () => {
    const rt = await t.run();
    const first = await rt.check("Grant", {}, declared({ resourceName: "by-email" }));
    assert.equal(first.failures, undefined);
    const second = await rt.check(
      "Grant",
      {},
      declared({ user: ids["standard@example.com"], share: "K_SHOW", resourceName: "by-id" }),
    );
    assert.match(
      second.failures?.[0]?.reason ?? "",
      /Grants 'by-email' \(.*\) and 'by-id' \(.*\) both claim user/,
    );
    const elsewhere = await rt.check("Grant", {}, declared({ share: other.id, resourceName: "other-share" }));
    assert.equal(elsewhere.failures, undefined, "the same user on another share is no duplicate");
  });

  it("adopt: an ACL made by hand collides without adopt, and is taken over with it", async () => {
    await grantByHand(t, ids["standard@example.com"]!, folder.id, { path: "/", read: true, write: true });
    const refused = await (await t.run()).check("Grant", {}, declared());
    assert.match(refused.failures?.[0]?.reason ?? "", /already has 1 ACL\(s\)/);
    assert.match(refused.failures?.[0]?.reason ?? "", /adopt: true/);
    assert.deepEqual((await acls(t, folder.id))["standard@example.com"], [["/", true, true]]);
    await t.create("Grant", declared({ adopt: true }));
    assert.deepEqual((await acls(t, folder.id))["standard@example.com"], [
      ["/", true, false],
      ["upload", false, true],
    ]);
  });

  it("gone: every ACL revoked by hand reads as gone, and the plan grants it again", async () => {
    const held = await t.create("Grant", declared());
    for (const acl of held.state.acls as { id: string }[])
      await (await t.wire()).result("DELETE", "acl/delete", { id: acl.id });
    assert.equal(await t.read(held), undefined);
    const plan = await t.plan(held, declared());
    assert.equal(plan.changes, true);
    assert.ok((plan.replaces ?? []).length > 0, "a replacement (grant again)");
  });

  it("gone: the share deleted by hand takes the grant with it", async () => {
    const held = await t.create("Grant", declared());
    await t.byHand("delete", "Folder", folder.id);
    assert.equal(await t.read(held), undefined);
    await t.remove(held); // destroying it afterwards succeeds
  });

  it("drift: a path granted by hand is reported by diff, and update takes it away again", async () => {
    const held = await t.create("Grant", declared());
    await grantByHand(t, ids["standard@example.com"]!, folder.id, {
      path: "secret",
      read: true,
      write: false,
    });
    const plan = await t.plan(held, declared());
    assert.deepEqual([plan.changes, plan.replaces ?? []], [true, []]);
    await t.update(held, declared());
    assert.deepEqual((await acls(t, folder.id))["standard@example.com"], [
      ["/", true, false],
      ["upload", false, true],
    ]);
  });

  it("deletion policy delete (the default) revokes the ACL", async () => {
    const held = await t.create("Grant", declared());
    await t.remove(held);
    assert.deepEqual(await acls(t, folder.id), {});
  });

  it("deletion policy retain leaves the ACL", async () => {
    const held = await t.create("Grant", declared({ deletionPolicy: "retain" }));
    await t.remove(held);
    assert.equal(Object.keys(await acls(t, folder.id)).length, 1);
  });
});

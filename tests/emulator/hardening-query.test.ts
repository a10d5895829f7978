import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { seedCredentials } from "../helpers/server";
import { freePort, kill9, startCli, type Cli } from "./cli";
import { assertServed, snapshot, whileAttacking, type Watch } from "./hardening";
import { Wire, messageOf, type WireReply } from "./wire";

/** The CLI starts near 60 MiB; a query may not make it grow by more than this, nor past the total. */
const RSS_GROWTH_CAP_MIB = 64;
const RSS_CAP_MIB = 160;

describe("hardening: queries run in linear time (CLI process)", function () {
  this.timeout(120_000);
  let dataDir: string;
  let cli: Cli;
  let admin: Wire;
  let std: Wire;
  let stdId: string;
  const adminUser = seedCredentials("admin");
  const stdUser = seedCredentials("standard");

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-hardening-q-"));
    cli = await startCli(await freePort(), dataDir);
    admin = await Wire.login(cli, adminUser);
    std = await Wire.login(cli, stdUser);
    const me = (await std.result("GET", "user/find", { data: {}, query: `code=${stdUser.code}` })) as {
      id: string;
    }[];
    stdId = me[0].id;
  });
  after(async () => {
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function setOwnName(name: string): Promise<void> {
    const r = await std.send("PUT", "user/edit", { id: stdId, data: { name } });
    assert.equal(r.status, 200, r.text);
  }

  async function attack(name: string, requests: () => Promise<WireReply[]>): Promise<Watch<WireReply[]>> {
    const before = await snapshot(admin);
    const watch = await whileAttacking(cli, adminUser, cli.child.pid as number, requests);
    assert.equal(cli.child.exitCode, null, "the server process is still running");
    assertServed(name, watch, { growthMiB: RSS_GROWTH_CAP_MIB, totalMiB: RSS_CAP_MIB });
    assert.equal(await snapshot(admin), before, "nothing was written");
    return watch;
  }

  function timedFind(w: Wire, query: string): () => Promise<WireReply[]> {
    return async () => {
      const out: WireReply[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        out.push(await w.send("GET", "user/find", { data: {}, query }));
        const ms = performance.now() - t0;
        assert.ok(ms < 500, `the find itself took ${ms.toFixed(0)} ms`);
      }
      return out;
    };
  }

  it('`name matches "^(a+)+$"` on a name of 27 a and a ! answers at once (it took 12.5 s and blocked everyone)', async () => {
    await setOwnName(`${"a".repeat(27)}!`);
    const watch = await attack("ReDoS pattern, 28 characters", timedFind(std, 'name matches "^(a+)+$"'));
    for (const r of watch.result) {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual((r.json as { result: unknown[] }).result, [], "the name does not match");
    }
  });

  it("the same pattern on a 200-character name stays fast, and still matches when it should", async () => {
    await setOwnName("a".repeat(200));
    const watch = await attack("ReDoS pattern, 200 characters", timedFind(std, 'name matches "^(a+)+$"'));
    for (const r of watch.result) {
      assert.equal(r.status, 200, r.text);
      const found = (r.json as { result: { id: string }[] }).result;
      assert.deepEqual(
        found.map((u) => u.id),
        [stdId],
        "the linear-time engine still finds the matching user",
      );
    }
  });

  it("wildcards never backtrack: `name=*a*a*a*a*a*a*a*a*a*a*a*a*b` against 200 a", async () => {
    await setOwnName("a".repeat(200));
    const watch = await attack("12-star wildcard", timedFind(admin, `name=${"*a".repeat(12)}*b`));
    for (const r of watch.result) {
      assert.equal(r.status, 200, r.text);
      assert.deepEqual((r.json as { result: unknown[] }).result, []);
    }
  });

  it("patterns RE2 cannot run in linear time, or longer than 1000 characters, are a clear 400", async () => {
    for (const [pattern, why] of [
      ["(a)\\1", /Invalid regular expression.*RE2 syntax/],
      ["(?=a)a", /Invalid regular expression.*RE2 syntax/],
      ["a".repeat(1001), /longer than 1000 characters/],
    ] as const) {
      const r = await std.send("GET", "user/find", { data: {}, query: `name matches "${pattern}"` });
      assert.equal(r.status, 400, r.text);
      assert.match(messageOf(r), why);
    }
  });

  it("deep parentheses and endless AND chains are a 400, not a stack overflow (500)", async () => {
    const watch = await attack("deep and long queries", async () => [
      await admin.send("GET", "user/find", {
        data: {},
        query: `${"(".repeat(50_000)}a=1${")".repeat(50_000)}`,
      }),
      await admin.send("GET", "user/find", { data: {}, query: Array(60_000).fill("a=1").join(" and ") }),
    ]);
    const [deep, long] = watch.result;
    assert.equal(deep.status, 400, deep.text.slice(0, 300));
    assert.match(messageOf(deep), /parentheses deeper than 32 levels/);
    assert.equal(long.status, 400, long.text.slice(0, 300));
    assert.match(messageOf(long), /more than 1000 comparisons/);
  });

  it("a query of 1000 comparisons, nested 32 deep, still answers correctly", async () => {
    const chain = Array(999).fill("code=nobody@example.com").join(" or ");
    const query = `${"(".repeat(32)}${chain} or code=${stdUser.code}${")".repeat(32)}`;
    const r = await admin.send("GET", "user/find", { data: {}, query });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.deepEqual(
      (r.json as { result: { id: string }[] }).result.map((u) => u.id),
      [stdId],
    );
  });
});

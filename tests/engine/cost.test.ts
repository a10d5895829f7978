import * as assert from "node:assert/strict";
import * as path from "node:path";
import { DEMO_SEED, type SeedFile } from "accsyn-local";
import type { Decl } from "./harness";
import { WorkspaceStack } from "./harness";
import { REPO_ROOT, initAccsynStack } from "../helpers/pulumi";
import { type Counters, type TestServer, startTestServer } from "../helpers/server";

/**
 * What the provider costs in API calls, through the real engine against accsyn-local's counters: a
 * preview with nothing to change and a refresh read one list per kind (not one entity per resource),
 * so their calls stay the same when the workspace doubles (collections' files too: one `file/find`
 * for all of them); `up` makes exactly one mutating call per created entity and reads each list a
 * fixed number of times (grants that may invite known users, server assignments and share creates
 * edit the lists they change instead of dropping them); destroy reads no list again after its
 * de-assigns; every run logs in once.
 */

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "workspace");
const EXTRA_USERS = 64;

/** The demo workspace plus standard users who get homes (one home per user). */
const SEED: SeedFile = {
  ...DEMO_SEED,
  users: [
    ...DEMO_SEED.users,
    ...Array.from({ length: EXTRA_USERS }, (_, i) => ({
      code: `cost${i}@example.com`,
      role: "standard" as const,
    })),
  ],
};

/** Not a user of the seed: the one grant that invites someone (one per run, whatever the scale). */
const INVITEE = "invitee@example.com";

/**
 * A studio-like mix at `scale` (1: 31 resources, 2: 60): per unit 2 volumes each served by a site
 * server too, 10 folders, 12 grants (that may invite, as the bench's do, of users who exist), 2 homes
 * and 1 collection; plus one grant that invites a new user and one more to that user after it.
 */
function workload(scale: number): Decl[] {
  const decls: Decl[] = [];
  for (let v = 0; v < 2 * scale; v++) {
    decls.push({
      type: "Volume",
      name: `v${v}`,
      args: { name: `Cost ${v}`, code: `cost_v${v}`, paths: { linux: `/mnt/cost${v}` }, server: "hq-server" },
    });
    decls.push({ type: "VolumeServer", name: `vs${v}`, args: { volume: `@v${v}`, server: "sto-server" } });
    decls.push({ type: "Home", name: `h${v}`, args: { user: `cost${v}@example.com`, volume: `@v${v}` } });
    for (let f = 0; f < 5; f++) {
      const name = `f${v}_${f}`;
      decls.push({
        type: "Folder",
        name,
        args: { name: `F ${v} ${f}`, code: `cost_${name}`, volume: `@v${v}`, path: `shows/${name}` },
      });
      const rule = { path: "/", read: true };
      decls.push({
        type: "Grant",
        name: `g${name}`,
        args: { user: "standard@example.com", share: `@${name}`, rules: [rule], notify: false, invite: true },
      });
      if (f === 0) {
        decls.push({
          type: "Grant",
          name: `ge${name}`,
          args: {
            user: "employee@example.com",
            share: `@${name}`,
            rules: [rule],
            notify: false,
            invite: true,
          },
        });
      }
    }
  }
  decls.push({
    type: "Grant",
    name: "invite",
    args: { user: INVITEE, share: "@f0_0", rules: [{ path: "/", read: true }], notify: false, invite: true },
  });
  // Checked after the invitation, from what it told (client/users.ts), and granted as the user they now are.
  decls.push({
    type: "Grant",
    name: "invited-again",
    args: { user: INVITEE, share: "@f0_1", rules: [{ path: "/", read: true }], notify: false, invite: true },
    dependsOn: ["invite"],
  });
  for (let c = 0; c < scale; c++) {
    decls.push({
      type: "Collection",
      name: `c${c}`,
      args: { name: `Coll ${c}`, code: `cost_c${c}`, files: [`volume=cost_v${2 * c}/docs/a.pdf`] },
      dependsOn: [`v${2 * c}`],
    });
  }
  return decls;
}

const LOGIN = "PUT api/login";

function mutating(c: Counters): Record<string, number> {
  return Object.fromEntries(Object.entries(c.byUri).filter(([k]) => !k.startsWith("GET ") && k !== LOGIN));
}

function reads(c: Counters): Record<string, number> {
  return Object.fromEntries(Object.entries(c.byUri).filter(([k]) => k.startsWith("GET ")));
}

function sum(m: Record<string, number>): number {
  return Object.values(m).reduce((a, b) => a + b, 0);
}

interface Measured {
  n: number;
  collections: number;
  up: Counters;
  preview: Counters;
  refresh: Counters;
  destroy: Counters;
  homes: number;
}

describe("engine: API calls per run do not grow with the workspace", function () {
  this.timeout(15 * 60_000);
  let server: TestServer;
  const stacks: WorkspaceStack[] = [];
  const measured: Measured[] = [];

  before(async () => {
    server = await startTestServer({ seed: SEED });
  });
  after(async () => {
    for (const s of stacks) await s.removeStack();
    await server?.close();
  });

  /** Counters of one pulumi command, alone on accsyn-local. */
  async function count(run: () => Promise<unknown>): Promise<Counters & { seconds: number }> {
    await server.resetCounters();
    const t0 = Date.now();
    await run();
    const seconds = (Date.now() - t0) / 1000;
    return { ...(await server.counters()), seconds };
  }

  async function measure(scale: number): Promise<Measured> {
    await server.reset(SEED);
    const decls = workload(scale);
    const stack = new WorkspaceStack(FIXTURE, `cost-${scale}`);
    stacks.push(stack);
    await initAccsynStack(stack, server, server.credentials("admin"), {
      "e2e:resources": JSON.stringify(decls),
    });
    const up = await count(() => stack.up());
    // The grant checked after the invitation names the user it made: one id, not the e-mail again.
    const ids = await stack.ids();
    const invitee = ids.invite?.split("/")[0];
    assert.match(invitee ?? "", /^[0-9a-f]{24}$/, `the invitation's Grant id names a user id: ${ids.invite}`);
    assert.equal(ids["invited-again"]?.split("/")[0], invitee, JSON.stringify(ids));
    let planned: Awaited<ReturnType<WorkspaceStack["preview"]>> | undefined;
    const preview = await count(async () => {
      planned = await stack.preview();
    });
    assert.deepEqual(
      Object.keys(planned?.changeSummary ?? {}).filter((k) => k !== "same"),
      [],
      `preview after up plans nothing: ${JSON.stringify(planned?.changeSummary)}`,
    );
    const refresh = await count(() => stack.refresh());
    const destroy = await count(() => stack.destroy());
    const collections = decls.filter((d) => d.type === "Collection").length;
    const homes = decls.filter((d) => d.type === "Home").length;
    const m = { n: decls.length, collections, homes, up, preview, refresh, destroy };
    console.log(
      `      N=${m.n} seconds: up ${up.seconds}, preview ${preview.seconds}, refresh ${refresh.seconds}, ` +
        `destroy ${destroy.seconds}\n` +
        `      N=${m.n}: up ${up.total} calls (${sum(mutating(up))} mutating), preview ${preview.total}, ` +
        `refresh ${refresh.total}, destroy ${destroy.total} (${sum(mutating(destroy))} mutating)\n        up ${JSON.stringify(up.byUri)}\n        preview ${JSON.stringify(preview.byUri)}\n        refresh ${JSON.stringify(refresh.byUri)}\n        destroy ${JSON.stringify(destroy.byUri)}`,
    );
    return m;
  }

  it("at N and 2N: preview and refresh ≤ 20 calls, reads independent of N, one login per run, one mutating call per created or removed entity", async () => {
    // ACCSYN_COST_SCALE=4 measures N=116 and N=232 (for figures; the default keeps the test quick).
    const scale = Number(process.env.ACCSYN_COST_SCALE ?? 1);
    measured.push(await measure(scale));
    measured.push(await measure(2 * scale));
    for (const m of measured) {
      // One mutating call per created entity (a Volume's serving server is part of its create).
      assert.equal(sum(mutating(m.up)), m.n, `up at N=${m.n}: ${JSON.stringify(mutating(m.up))}`);
      // One per removed entity; homes are retained by default (accsyn cannot deactivate them).
      assert.equal(
        sum(mutating(m.destroy)),
        m.n - m.homes,
        `destroy: ${JSON.stringify(mutating(m.destroy))}`,
      );
      for (const [op, c] of [
        ["up", m.up],
        ["preview", m.preview],
        ["refresh", m.refresh],
        ["destroy", m.destroy],
      ] as const) {
        assert.equal(c.byUri[LOGIN], 1, `${op} at N=${m.n} logs in once: ${JSON.stringify(c.byUri)}`);
      }
      for (const [op, c] of [
        ["preview", m.preview],
        ["refresh", m.refresh],
      ] as const) {
        assert.equal(sum(mutating(c)), 0, `${op} changes nothing`);
        assert.ok(c.total <= 20, `${op} at N=${m.n}: ${c.total} calls ${JSON.stringify(c.byUri)}`);
        // One list of every collection's files (file/find without a parent), not one per collection.
        assert.equal(c.byUri["GET file/find"], 1, `${op}: one file/find for ${m.collections} collections`);
      }
      // De-assigning a site server edits the volume list: no list is read twice.
      for (const [uri, n] of Object.entries(reads(m.destroy)))
        assert.equal(n, 1, `destroy at N=${m.n} reads ${uri} once: ${JSON.stringify(reads(m.destroy))}`);
    }
    const [small, large] = measured as [Measured, Measured];
    for (const op of ["preview", "refresh", "destroy"] as const) {
      assert.deepEqual(
        op === "destroy" ? reads(large[op]) : large[op].byUri,
        op === "destroy" ? reads(small[op]) : small[op].byUri,
        `${op}: the same ${op === "destroy" ? "reads" : "calls"} at N=${small.n} and N=${large.n}`,
      );
    }
    // up: each list is read once whatever N. The invitation leaves only the invited user in doubt
    // (client/list-edits.ts aclGranted), and what it tells of them (active, the id its ACL names)
    // answers the check of the grant that follows it, so not even the user list is read again.
    for (const m of measured)
      for (const [uri, n] of Object.entries(reads(m.up)))
        assert.equal(n, 1, `up at N=${m.n} reads ${uri} ${n} times: ${JSON.stringify(reads(m.up))}`);
  });
});

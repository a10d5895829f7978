import * as assert from "node:assert/strict";
import {
  type Entity,
  type Held,
  type Kind,
  type KindTest,
  type Props,
  seedIds,
  useKindTest,
} from "./kinds/harness";

/**
 * The creation marker (provider/kinds/marker.ts), in-process against accsyn-local: what a create
 * writes, what reads show, and which existing entity a new resource takes over without `adopt`.
 * `stack` and `resourceName` are what the resource classes pass; the tests pass them directly.
 */

const STACK = "studio/prod";
const KEY = "pulumi-accsyn";

interface Case {
  kind: Kind;
  inputs: Props;
}

const CASES: Case[] = [
  {
    kind: "Volume",
    inputs: {
      name: "Marked",
      code: "m_vol",
      paths: { linux: "/mnt/m" },
      server: "hq-server",
      metadata: { tier: "fast" },
    },
  },
  {
    kind: "Folder",
    inputs: {
      name: "Show",
      code: "m_show",
      volume: "k_projects",
      path: "shows/m",
      metadata: { show: "one" },
    },
  },
  {
    kind: "Home",
    inputs: { user: "employee@example.com", volume: "k_projects", metadata: { team: "comp" } },
  },
  {
    kind: "Collection",
    inputs: {
      name: "Onboarding",
      code: "m_coll",
      files: ["volume=k_projects/docs/a.pdf"],
      metadata: { wave: 1 },
    },
  },
];

const as = (c: Case, resourceName: string, stack = STACK, over: Props = {}): Props => ({
  ...c.inputs,
  stack,
  resourceName,
  ...over,
});

/** The active shares of the case's kind with the natural key of `first` (its code, a home's user). */
async function sameKey(t: KindTest, c: Case, first: Held): Promise<Entity[]> {
  const all = (await (
    await t.wire()
  ).result("GET", `${c.kind.toLowerCase()}/find`, { query: "code=*", data: { inactive: true } })) as Entity[];
  const mine = all.find((e) => e.id === first.id);
  assert.ok(mine, "the first entity is listed");
  const key = c.kind === "Home" ? "user" : "code";
  return all.filter((e) => e.archived !== true && e[key] === mine[key]);
}

/** What `console.error` printed while `run` ran (the engine shows the provider's stderr at preview). */
async function stderrOf<T>(run: () => Promise<T>): Promise<{ value: T; printed: string }> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  try {
    return { value: await run(), printed: lines.join("\n") };
  } finally {
    console.error = original;
  }
}

/** check + create in a new run for a resource the state does not record (after a killed `up`). */
async function createAgain(t: KindTest, kind: Kind, inputs: Props): Promise<{ held: Held; printed: string }> {
  const rt = await t.run();
  const { value: checked, printed } = await stderrOf(() => rt.check(kind, {}, inputs));
  assert.equal(checked.failures, undefined, `check failed: ${JSON.stringify(checked.failures)}`);
  const res = await rt.create(kind, checked.inputs as Props);
  return { held: { kind, id: res.id, state: res.outs as Props }, printed };
}

describe("provider (in-process): the creation marker", function () {
  this.timeout(60_000);
  const t = useKindTest();
  beforeEach(async () => {
    const server = (await seedIds(t))["hq-server"];
    await t.make("Volume", { name: "Projects", code: "k_projects", paths: { linux: "/mnt/p" }, server });
  });

  for (const c of CASES) {
    describe(c.kind, () => {
      it("create writes the marker beside the user's metadata in its one create call; read and diff never show it", async () => {
        await t.server.resetCounters();
        const held = await t.create(c.kind, as(c, "res"));
        const writes = Object.entries((await t.server.counters()).byUri).filter(
          ([k]) => !k.startsWith("GET ") && !k.includes("login"),
        );
        // A collection's files go in its create call too.
        assert.deepEqual(
          writes.map(([k]) => k.split(" ")[1]),
          [`${c.kind.toLowerCase()}/create`],
          "one mutating call",
        );
        const live = await t.share(c.kind, held.id);
        assert.deepEqual(live?.metadata, {
          ...(c.inputs.metadata as Props),
          [KEY]: { resource: `${STACK}/${c.kind}/res` },
        });
        assert.deepEqual((await t.read(held))?.metadata, c.inputs.metadata, "refresh reads no marker");
        assert.equal((await t.plan(held, as(c, "res"))).changes, false, "no change planned");
        assert.equal(
          (await t.plan(held, { ...as(c, "res"), metadata: undefined })).changes,
          false,
          "metadata the program leaves out is not managed",
        );
      });

      it("after a killed run, the same resource takes over what its create made: same id, no duplicate, said at preview", async () => {
        const first = await t.create(c.kind, as(c, "res"));
        // The state never recorded it: the next `up` checks and creates the resource as new.
        const { held, printed } = await createAgain(t, c.kind, as(c, "res"));
        assert.equal(held.id, first.id, "the entity the killed run made, not a new one");
        assert.equal((await sameKey(t, c, first)).length, 1, "no duplicate");
        assert.match(
          printed,
          new RegExp(
            `accsyn ${c.kind} 'res': takes over the ${c.kind} \\(id ${first.id}\\) that an interrupted run`,
          ),
        );
        assert.equal((await t.plan(held, as(c, "res"))).changes, false, "then no change planned");
      });

      it("a user's metadata edit keeps the marker, and a take-over brings other fields to the declared state", async () => {
        const held = await t.create(c.kind, as(c, "res"));
        const after = await t.update(held, as(c, "res", STACK, { metadata: { mine: "two" } }));
        assert.deepEqual((await t.share(c.kind, after.id))?.metadata, {
          mine: "two",
          [KEY]: { resource: `${STACK}/${c.kind}/res` },
        });
        assert.equal(
          (await t.plan(after, as(c, "res", STACK, { metadata: { mine: "two" } }))).changes,
          false,
        );
        // Someone edits it after the killed run; the take-over converges it.
        await t.byHand("edit", c.kind, held.id, { description: "edited by hand" });
        const { held: again } = await createAgain(
          t,
          c.kind,
          as(c, "res", STACK, { description: "declared" }),
        );
        assert.equal(again.id, held.id);
        assert.equal((await t.share(c.kind, held.id))?.description, "declared");
      });

      it("refuses what another resource, another stack or a hand made: the marker must name this resource", async () => {
        const held = await t.create(c.kind, as(c, "res"));
        const taken = /already taken|already exists/;
        assert.match((await t.createFails(c.kind, as(c, "other"))).message, taken, "another resource");
        assert.match(
          (await t.createFails(c.kind, as(c, "res", "studio/dev"))).message,
          taken,
          "another stack",
        );
        assert.match(
          (await t.createFails(c.kind, as(c, "res", "other-project/prod"))).message,
          taken,
          "another project",
        );
        // The same entity without the marker is what a hand would have made.
        await t.byHand("edit", c.kind, held.id, { metadata: { made: "by hand" } });
        const byHand = await t.createFails(c.kind, as(c, "res"));
        assert.match(byHand.message, /already taken/);
        assert.match(byHand.message, /set 'adopt: true'/i);
        assert.equal((await sameKey(t, c, held)).length, 1, "no duplicate");
      });
    });
  }

  it("a program cannot declare the reserved metadata key", async () => {
    const rt = await t.run();
    const res = await rt.check("Folder", {}, as(CASES[1] as Case, "res", STACK, { metadata: { [KEY]: 1 } }));
    assert.match(res.failures?.[0]?.reason ?? "", /field 'metadata': the key 'pulumi-accsyn' is reserved/);
  });

  it("a resource created before the marker existed plans no change when `stack` appears in its inputs", async () => {
    const c = CASES[1] as Case;
    const held = await t.create(c.kind, { ...c.inputs, resourceName: "res" });
    assert.deepEqual(
      (await t.share(c.kind, held.id))?.metadata,
      c.inputs.metadata,
      "no marker without a stack",
    );
    assert.equal((await t.plan(held, as(c, "res"))).changes, false);
  });
});

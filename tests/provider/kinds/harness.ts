import * as assert from "node:assert/strict";
import * as path from "node:path";
import { closeSharedClients } from "pulumi-accsyn/client";
import type * as RuntimeModule from "pulumi-accsyn/runtime";
import { Wire } from "../../emulator/wire";
import { pySession, runPython } from "../../helpers/python";
import type { SeedFile } from "accsyn-local";
import { type Role, type TestServer, startTestServer } from "../../helpers/server";

/**
 * In-process tests of one resource kind: the provider's runtime module (what the engine calls through
 * each resource's serialized provider) driven directly against a real accsyn-local over HTTP, and
 * what a user would see read back with the official Python client or the raw wire.
 */

export type Runtime = typeof RuntimeModule;
export type Kind = Parameters<Runtime["create"]>[0];
export type Props = Record<string, unknown>;
export type Diff = Awaited<ReturnType<Runtime["diff"]>>;

/** What the engine keeps of a resource between runs: its kind, accsyn id and outputs. */
export interface Held {
  kind: Kind;
  id: string;
  state: Props;
}

const ENTRY = require.resolve("pulumi-accsyn/runtime");
/** The compiled provider package; everything under it is provider code (its dependencies live elsewhere). */
const PROVIDER_DIST = path.join(path.dirname(require.resolve("pulumi-accsyn/package.json")), "dist");

/**
 * The runtime as a new provider process loads it: the engine starts one per `up`/`preview`, so
 * nothing (settings, the client's cached lists, per-run bookkeeping) carries over from the last run.
 * The last run's clients are closed as its process exit would.
 */
async function loadFresh(): Promise<Runtime> {
  await closeSharedClients();
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(PROVIDER_DIST + path.sep)) delete require.cache[key];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(ENTRY) as Runtime;
}

export interface Entity {
  id: string;
  [field: string]: unknown;
}

export interface KindTest {
  readonly server: TestServer;
  /** The raw wire, logged in as the admin: what any client of the service would read. */
  wire(): Promise<Wire>;
  /** Runs a snippet with the official Python client logged in as the admin. */
  py(script: string): Promise<unknown>;
  /** A new provider run (fresh runtime module), configured the way stack config would. */
  run(role?: Role): Promise<Runtime>;

  /** check + create in a new run, as `up` does for a new resource; fails the test on check failures. */
  create(kind: Kind, inputs: Props, role?: Role): Promise<Held>;
  /** check + create, returning what create threw (undefined when it succeeded). */
  createFails(kind: Kind, inputs: Props): Promise<Error>;
  /** check + diff in a new run, as a plain preview does. */
  plan(held: Held, news: Props): Promise<Diff>;
  /** check + diff + update in a new run, as `up` does for an in-place change. */
  update(held: Held, news: Props): Promise<Held>;
  /** read in a new run, as `refresh` does: undefined when the provider says the entity is gone. */
  read(held: Held): Promise<Props | undefined>;
  /** delete in a new run, as `destroy` does. */
  remove(held: Held): Promise<void>;

  /** A share by id as accsyn returns it (inactive and deleted ones included). */
  share(kind: string, id: string): Promise<Entity | undefined>;
  /** Shares of a kind with this code, inactive ones included (deleted ones are not). */
  sharesByCode(kind: string, code: string): Promise<Entity[]>;
  /** Creates an entity by hand, through the raw wire. */
  make(kind: string, data: Props, id?: string): Promise<Entity>;
  /** Changes a share by hand: edit, deactivate or delete (accsyn-wire.md §4). */
  byHand(op: "edit" | "deactivate" | "delete", kind: string, id: string, data?: Props): Promise<void>;
}

/**
 * Registers the hooks of a kind's test file: one accsyn-local for the file, reset to the demo seed
 * before every test so each passes alone under --grep.
 */
export function useKindTest(opts: { seed?: SeedFile } = {}): KindTest {
  let server: TestServer | undefined;
  let wire: Wire | undefined;
  const running = (): TestServer => {
    if (!server)
      throw new Error("accsyn-local is not running (useKindTest() must be called inside describe)");
    return server;
  };

  before(async () => {
    server = await startTestServer(opts.seed ? { seed: opts.seed } : {});
  });
  beforeEach(async () => {
    await running().reset(opts.seed);
    wire = undefined;
  });
  after(async () => {
    await closeSharedClients();
    await server?.close();
  });

  const getWire = async (): Promise<Wire> => {
    wire ??= await Wire.login(running(), running().credentials("admin"));
    return wire;
  };

  const run = async (role: Role = "admin"): Promise<Runtime> => {
    const rt = await loadFresh();
    const user = running().credentials(role);
    const config: Record<string, string> = {
      "accsyn:endpoint": running().url,
      "accsyn:workspace": "demo",
      "accsyn:apiUser": user.code,
      "accsyn:apiKey": user.apiKey,
    };
    rt.configure((key) => config[key]);
    return rt;
  };

  const checked = async (rt: Runtime, kind: Kind, olds: Props, news: Props): Promise<Props> => {
    const res = await rt.check(kind, olds, news);
    assert.equal(res.failures, undefined, `check failed: ${JSON.stringify(res.failures)}`);
    return res.inputs as Props;
  };

  const t: KindTest = {
    get server() {
      return running();
    },
    wire: getWire,
    py: (script) => runPython(script, pySession(running(), running().credentials("admin"))),
    run,

    async create(kind, inputs, role) {
      const rt = await run(role);
      const res = await rt.create(kind, await checked(rt, kind, {}, inputs));
      assert.ok(res.id, "create returned an id");
      return { kind, id: res.id, state: res.outs as Props };
    },
    async createFails(kind, inputs) {
      const rt = await run();
      // `up` stops at whichever refuses first: the check (what preview runs too) or the create.
      const res = await rt.check(kind, {}, inputs);
      if (res.failures) return new Error(res.failures.map((f) => f.reason).join("\n"));
      const news = res.inputs as Props;
      const outcome = await rt.create(kind, news).then(
        (res) => res,
        (e: unknown) => e,
      );
      assert.ok(outcome instanceof Error, `create should have failed, got ${JSON.stringify(outcome)}`);
      return outcome;
    },
    async plan(held, news) {
      const rt = await run();
      return rt.diff(held.kind, held.id, held.state, await checked(rt, held.kind, held.state, news));
    },
    async update(held, news) {
      const rt = await run();
      const inputs = await checked(rt, held.kind, held.state, news);
      const diff = await rt.diff(held.kind, held.id, held.state, inputs);
      assert.equal(diff.changes, true, "the diff plans a change");
      assert.deepEqual(diff.replaces ?? [], [], "an update in place, not a replace");
      const res = await rt.update(held.kind, held.id, held.state, inputs);
      return { ...held, state: res.outs as Props };
    },
    async read(held) {
      const res = await (await run()).read(held.kind, held.id, held.state);
      if (res.id === "") return undefined;
      assert.equal(res.id, held.id, "read keeps the id");
      return res.props as Props;
    },
    async remove(held) {
      await (await run()).remove(held.kind, held.id, held.state);
    },

    async share(kind, id) {
      const found = (await (await getWire()).result("GET", `${kind}/find`, { id })) as Entity[];
      return found[0];
    },
    async sharesByCode(kind, code) {
      return (await (
        await getWire()
      ).result("GET", `${kind.toLowerCase()}/find`, {
        query: `code=${code}`,
        data: { inactive: true },
      })) as Entity[];
    },
    async make(kind, data, id) {
      const made = (await (
        await getWire()
      ).result("POST", `${kind.toLowerCase()}/create`, {
        data,
        ...(id ? { id } : {}),
      })) as Entity | Entity[];
      return Array.isArray(made) ? (made[0] as Entity) : made;
    },
    async byHand(op, kind, id, data) {
      const method = op === "edit" ? "PUT" : "DELETE";
      const body = op === "edit" ? data : op === "deactivate" ? {} : null;
      await (await getWire()).result(method, `${kind.toLowerCase()}/${op}`, { id, data: body });
    },
  };
  return t;
}

/** The ids of the demo seed's servers and users, read the way a client would. */
export async function seedIds(t: KindTest): Promise<Record<string, string>> {
  const wire = await t.wire();
  const servers = (await wire.result("GET", "server/find", { query: "code=*" })) as Entity[];
  const users = (await wire.result("GET", "user/find", { query: "code=*" })) as Entity[];
  return Object.fromEntries([...servers, ...users].map((e) => [String(e.code), e.id]));
}

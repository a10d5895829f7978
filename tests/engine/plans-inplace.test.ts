import * as assert from "node:assert/strict";
import { DEMO_SEED } from "accsyn-local";
import { opsByName } from "../helpers/pulumi";
import { Wire } from "../emulator/wire";
import { type Decl, VOLUME, folder, grant, useEngine } from "./harness";

/** The demo seed plus a second server at the main site, so a volume can move between servers. */
const TWO_HQ_SERVERS = {
  ...DEMO_SEED,
  servers: [...(DEMO_SEED.servers ?? []), { code: "hq-server-2", site: "hq", os: "linux" as const }],
};

describe("engine: changes applied in place", function () {
  this.timeout(300_000);
  const engine = useEngine();

  async function aclIds(shareId: string): Promise<string[]> {
    const wire = await Wire.login(engine.server, engine.admin);
    const acls = (await wire.result("GET", "acl/find", { query: `acl WHERE target=share:${shareId}` })) as {
      id: string;
    }[];
    return acls.map((a) => a.id).sort();
  }

  it("a folder's new path moves it in place: same id, code and ACLs", async () => {
    const stack = await engine.stack("inplace-path", [VOLUME, folder(), grant()]);
    await stack.up();
    const before = await stack.ids();
    const acls = await aclIds(before.show!);
    assert.ok(acls.length > 0, "the grant gave an ACL");
    await stack.declare([VOLUME, folder({ path: "shows/show-v2" }), grant()]);
    const { steps } = await stack.preview();
    assert.equal(opsByName(steps).show, "update");
    assert.equal(opsByName(steps).vendor, undefined, "the grant is untouched");
    await stack.up();
    assert.deepEqual(await stack.ids(), before, "no resource got a new id");
    const live = await engine.py(
      `s = Session(); out([[f["id"], f["path"], f["inactive"]] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(live, [[before.show, "shows/show-v2", false]]);
    assert.deepEqual(await aclIds(before.show!), acls, "the same ACLs");
    assert.deepEqual((await stack.preview()).changeSummary, { same: 4 }, "converged");
  });

  it("a volume's server is assigned when added, re-assigned when changed, de-assigned when removed", async () => {
    await engine.server.reset(TWO_HQ_SERVERS);
    const vol = (server?: string): Decl => {
      const { server: _s, ...args } = VOLUME.args;
      return { ...VOLUME, args: server ? { ...args, server } : args };
    };
    const serving = async () =>
      engine.py(
        `s = Session(); out(sorted(a["code"] for a in s.assignments("Volume", s.find_one("Volume WHERE code=e2e_projects")["id"])))`,
      );

    const stack = await engine.stack("inplace-server", [vol()]);
    await stack.up();
    assert.deepEqual(await serving(), []);
    const id = (await stack.ids()).vol;

    for (const [server, want] of [
      ["hq-server", ["hq-server"]],
      ["hq-server-2", ["hq-server-2"]],
      [undefined, []],
    ] as const) {
      await stack.declare([vol(server)]);
      const { steps } = await stack.preview();
      assert.equal(opsByName(steps).vol, "update", `server ${server ?? "removed"} is an update`);
      await stack.up();
      assert.deepEqual(await serving(), want, `server ${server ?? "removed"}`);
      assert.equal((await stack.ids()).vol, id, "the same volume");
      assert.deepEqual((await stack.preview()).changeSummary, { same: 2 }, "converged");
    }
  });
});

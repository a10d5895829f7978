import * as assert from "node:assert/strict";
import { Wire } from "../emulator/wire";
import { VOLUME, folder, grant, useEngine } from "./harness";

describe("engine: destroying a share that active jobs use", function () {
  this.timeout(300_000);
  const engine = useEngine();

  async function aclCount(shareId: string): Promise<number> {
    const wire = await Wire.login(engine.server, engine.admin);
    return (
      (await wire.result("GET", "acl/find", { query: `acl WHERE target=share:${shareId}` })) as unknown[]
    ).length;
  }

  it("fails before revoking its grants, listing the jobs and the ways out; after the jobs are aborted it goes through", async () => {
    const stack = await engine.stack("plans-destroy", [VOLUME, folder(), grant()]);
    await stack.up();
    const { show } = await stack.ids();
    const acls = await aclCount(show!);
    assert.ok(acls > 0, "the grant gave access");
    const job = (await engine.py(
      `s = Session(); t = s.create("Transfer", {"source": "share=e2e_show/plates/sh010.exr", "destination": "/tmp/in", "status": "paused"}); out(t["id"])`,
    )) as string;

    await engine.server.resetCounters();
    const refused = await stack.destroy().then(
      () => "destroy succeeded",
      (e: Error) => e.message,
    );
    if (process.env.SHOW_PREVIEW) console.log(refused);
    assert.match(
      refused,
      /accsyn Grant 'vendor' \(id [0-9a-f/]+\): delete failed: Folder 'e2e_show' would be removed in this run, after this Grant is revoked/,
    );
    assert.match(refused, new RegExp(`active jobs use it: ${job}`));
    assert.match(refused, /Fix: Abort or finish those jobs/);
    const { byUri } = await engine.server.counters();
    assert.deepEqual(
      Object.keys(byUri).filter((k) => !k.startsWith("GET ") && k !== "PUT api/login"),
      [],
      "nothing was changed",
    );
    assert.equal(await aclCount(show!), acls, "the vendor keeps access");

    await engine.py(`s = Session(); s.update("Transfer", "${job}", {"status": "aborted"}); out(True)`);
    await stack.destroy();
    const left = await engine.py(
      `s = Session(); out([f["inactive"] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(left, [true], "the folder is deactivated");
  });

  it("removing only the grant from the program still revokes it while jobs run (the folder stays)", async () => {
    const stack = await engine.stack("plans-revoke", [VOLUME, folder(), grant()]);
    await stack.up();
    const { show } = await stack.ids();
    await engine.py(
      `s = Session(); s.create("Transfer", {"source": "share=e2e_show/plates/sh010.exr", "destination": "/tmp/in", "status": "paused"}); out(True)`,
    );
    await stack.declare([VOLUME, folder()]);
    await stack.up();
    assert.equal(await aclCount(show!), 0, "access revoked");
  });
});

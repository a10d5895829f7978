import * as assert from "node:assert/strict";
import { type Decl, useEngine } from "./harness";

describe("engine: destroy blocked by an active transfer", function () {
  this.timeout(300_000);
  const engine = useEngine();

  const vol: Decl = {
    type: "Volume",
    name: "vol",
    args: { name: "Guards", code: "guards", paths: { linux: "/mnt/guards" }, server: "hq-server" },
  };
  const drop: Decl = {
    type: "Folder",
    name: "drop",
    args: { name: "Drop", code: "drop", volume: "@vol", path: "drop" },
  };

  it("destroy refuses to deactivate a share an active transfer uses, and says how to proceed", async () => {
    const stack = await engine.stack("destroy-blocked", [vol, drop]);
    await stack.up();
    const job = (await engine.py(
      `s = Session(); t = s.create("Transfer", {"source": "share=drop/plates/sh010.exr", "destination": "/tmp/in", "status": "paused"}); out(t["id"])`,
    )) as string;
    const blocked = await stack.destroy().then(
      () => "destroy succeeded",
      (e: Error) => e.message,
    );
    assert.match(blocked, new RegExp(job), "the error lists the job");
    assert.match(blocked, /Abort or finish those jobs/);
    const still = await engine.py(`s = Session(); out([f["id"] for f in s.find("Folder WHERE code=drop")])`);
    assert.equal((still as string[]).length, 1, "the folder is still active");

    await engine.py(`s = Session(); s.update("Transfer", "${job}", {"status": "aborted"}); out(True)`);
    await stack.destroy();
    const left = (await engine.py(
      `s = Session(); out([f["inactive"] for f in s.find("Folder WHERE code=drop", inactive=True)])`,
    )) as boolean[];
    assert.deepEqual(left, [true], "the folder is deactivated, not deleted");
  });
});

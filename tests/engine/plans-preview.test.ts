import * as assert from "node:assert/strict";
import { type Decl, VOLUME, folder, useEngine } from "./harness";
import type { WorkspaceStack } from "./harness";

/**
 * Preview fails before any change where `up` would fail halfway: each case previews against
 * accsyn-local and checks, with its counters, that no mutating call was made.
 */
describe("engine: preview catches what up would fail on", function () {
  this.timeout(300_000);
  const engine = useEngine();

  /** The mutating calls since the counters were last reset (reads and the login excluded). */
  async function mutations(): Promise<Record<string, number>> {
    const { byUri } = await engine.server.counters();
    return Object.fromEntries(
      Object.entries(byUri).filter(([k]) => !k.startsWith("GET ") && k !== "PUT api/login"),
    );
  }

  /** Runs `pulumi preview`, expects it to fail without any mutating call, and returns its output. */
  async function previewRefused(stack: WorkspaceStack): Promise<string> {
    await engine.server.resetCounters();
    const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
    const out = `${res.stdout}\n${res.stderr}`;
    assert.notEqual(res.code, 0, `preview should fail:\n${out}`);
    assert.deepEqual(await mutations(), {}, "preview made no change");
    if (process.env.SHOW_PREVIEW) console.log(out);
    return out;
  }

  it("a folder code an existing folder has, without adopt, fails at preview naming the field and adopt", async () => {
    const stack = await engine.stack("plans-taken", [VOLUME]);
    await stack.up();
    await engine.py(
      `s = Session(); v = s.find_one("Volume WHERE code=e2e_projects"); s.create("Folder", {"name": "Made by hand", "code": "e2e_show", "parent": v["id"], "path": "shows/hand"}); out(True)`,
    );
    await stack.declare([VOLUME, folder()]);
    const out = await previewRefused(stack);
    assert.match(out, /accsyn Folder 'show'/);
    assert.match(out, /field 'code': code 'e2e_show' is already taken by Folder 'Made by hand'/);
    assert.match(out, /Fix: Set 'adopt: true' to manage that Folder with Pulumi, or choose another code/);
  });

  it("a mistyped volume or server code fails at preview and suggests the near match", async () => {
    const stack = await engine.stack("plans-typo", [VOLUME]);
    await stack.up();
    const typo: Decl = {
      type: "Folder",
      name: "typo",
      args: { name: "Typo", volume: "e2e_projcets", path: "shows/typo" },
    };
    const badServer: Decl = {
      type: "Volume",
      name: "vol2",
      args: { name: "Second", code: "e2e_second", paths: { linux: "/mnt/e2" }, server: "hq-sever" },
    };
    await stack.declare([VOLUME, typo]);
    const out = await previewRefused(stack);
    assert.match(out, /accsyn Folder 'typo'.*field 'volume': no Volume with id or code 'e2e_projcets'/);
    assert.match(out, /Fix: Did you mean 'e2e_projects'\?/);
    await stack.declare([VOLUME, badServer]);
    const out2 = await previewRefused(stack);
    assert.match(out2, /accsyn Volume 'vol2'.*field 'server': no Server with id or code 'hq-sever'/);
    assert.match(out2, /Fix: Did you mean 'hq-server'\?/);
  });

  it("moving a folder with a fixed code to another volume fails at preview with the two ways out", async () => {
    const other: Decl = {
      type: "Volume",
      name: "other",
      args: { name: "Other", code: "e2e_other", paths: { linux: "/mnt/other" }, server: "hq-server" },
    };
    const stack = await engine.stack("plans-move", [VOLUME, other, folder()]);
    await stack.up();
    const moved = folder();
    moved.args.volume = "@other";
    await stack.declare([VOLUME, other, moved]);
    const out = await previewRefused(stack);
    assert.match(out, /accsyn Folder 'show'.*field 'volume': moving the folder to volume .* replaces it/);
    assert.match(out, /to volume 'e2e_other' replaces it.*keeps code 'e2e_show'/);
    assert.match(out, /deletionPolicy: "delete"/);
  });

  it("replacing a folder that an active transfer uses fails at preview, listing the job and the ways out", async () => {
    const other: Decl = {
      type: "Volume",
      name: "other",
      args: { name: "Other", code: "e2e_other", paths: { linux: "/mnt/other" }, server: "hq-server" },
    };
    const drop = (volume: string): Decl => ({
      type: "Folder",
      name: "drop",
      args: { name: "Drop", volume, path: "drop", deletionPolicy: "delete" },
    });
    const stack = await engine.stack("plans-busy", [VOLUME, other, drop("@vol")]);
    await stack.up();
    const job = (await engine.py(
      `s = Session(); f = s.find_one("Folder WHERE path=drop"); t = s.create("Transfer", {"source": "share=" + f["code"] + "/plates/sh010.exr", "destination": "/tmp/in", "status": "paused"}); out(t["id"])`,
    )) as string;
    await stack.declare([VOLUME, other, drop("@other")]);
    const out = await previewRefused(stack);
    assert.match(out, /accsyn Folder 'drop'/);
    assert.match(out, new RegExp(`active jobs use it: ${job}`));
    assert.match(out, /deleting it would abort them/);
    assert.match(out, /Abort or finish those jobs/);
    assert.match(out, /deletionPolicy: "retain"/);
  });

  it("a server assignment declared by both a Volume and a VolumeServer fails at preview naming both", async () => {
    const stack = await engine.stack("plans-claims", [VOLUME]);
    await stack.up();
    const dup: Decl = { type: "VolumeServer", name: "vol-hq", args: { volume: "@vol", server: "hq-server" } };
    await stack.declare([VOLUME, dup]);
    const out = await previewRefused(stack);
    assert.match(
      out,
      /to volume 'e2e_projects' is declared twice: by VolumeServer 'vol-hq' \(field 'server'\) and by Volume 'vol' \(field 'server'\)/,
    );
    assert.match(out, /Fix: Declare it once: remove the VolumeServer/);
  });

  it("an entity deleted by hand is planned as a replace because it is gone, not because of a field", async () => {
    const stack = await engine.stack("plans-gone", [VOLUME, folder({ deletionPolicy: "delete" })]);
    await stack.up();
    const id = (await stack.ids()).show;
    await engine.py(`s = Session(); s.delete_one("Folder", "${id}"); out(True)`);
    const { steps } = await stack.preview();
    const step = steps.find((s) => s.urn.endsWith("::show"));
    assert.equal(step?.op, "replace");
    assert.deepEqual(step?.replaceReasons, ["entityGoneFromAccsyn"]);
  });
});

import * as assert from "node:assert/strict";
import { everyKind, useEngine } from "./harness";

describe("engine: lifecycle of one resource of every kind", function () {
  this.timeout(300_000);
  const engine = useEngine();

  it("up creates one of every kind, visible to the official client, and a second preview plans nothing", async () => {
    const stack = await engine.stack("lifecycle-create", everyKind());
    await stack.up();
    const ids = await stack.ids();
    const seen = (await engine.py(`
s = Session()
vol = s.find_one("Volume WHERE code=e2e_projects")
show = s.find_one("Folder WHERE code=e2e_show")
home = s.find_one("Home WHERE id=${ids.home}")
employee = s.find_one("User WHERE code=employee@example.com")
standard = s.find_one("User WHERE code=standard@example.com")
out({"vol": vol["id"], "paths": vol["paths"], "folder": [show["id"], show["path"]],
     "home": [home["user"] == employee["id"], home["description"]],
     "coll": s.find_one("Collection WHERE code=e2e_onboarding")["id"],
     "files": sorted(f["path"] for f in s.find("File", entityid="${ids.coll}")),
     "servers": [a.get("code") for a in s.assignments("Volume", vol["id"])],
     "access": sorted([a["user"] == standard["id"], a["path"], a["read"], a["write"]] for a in s.access("Folder", show["id"]))})
`)) as Record<string, unknown>;
    assert.equal(seen.vol, ids.vol);
    assert.deepEqual(seen.paths, { linux: "/mnt/e2e", windows: "E:" });
    assert.deepEqual(seen.folder, [ids.show, "shows/show"]);
    assert.deepEqual(seen.home, [true, "employee home"], "the employee's home, described");
    assert.equal(seen.coll, ids.coll);
    assert.deepEqual(seen.files, ["folder=e2e_show/b.mov", "volume=e2e_projects/docs/a.pdf"]);
    assert.ok(
      (seen.servers as string[]).includes("sto-server"),
      `assignments: ${JSON.stringify(seen.servers)}`,
    );
    assert.deepEqual(
      seen.access,
      [
        [true, "/", true, false],
        [true, "upload", false, true],
      ],
      "the vendor holds exactly the declared rules on the folder, and nobody else has access",
    );

    const plan = await stack.preview();
    assert.deepEqual(Object.keys(plan.changeSummary), ["same"], JSON.stringify(plan.changeSummary));
  });
});

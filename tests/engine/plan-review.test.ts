import * as assert from "node:assert/strict";
import { type Decl, VOLUME, useEngine } from "./harness";
import { DRIFT_BIN, backendSnapshot, previewJson, runPlan, saveFixture } from "./plan-harness";

/** A small studio: a show folder, a vendor upload folder with a write-only grant, a review folder, onboarding. */
function studio(change: { pr: boolean }): Decl[] {
  const decls: Decl[] = [
    VOLUME,
    {
      type: "Folder",
      name: "show",
      args: {
        name: change.pr ? "Show (2026)" : "Show",
        code: "e2e_show",
        volume: "@vol",
        path: "shows/show",
      },
    },
    {
      type: "Folder",
      name: "vendor-in",
      args: { name: "From vendor", code: "e2e_vendor_in", volume: "@vol", path: "shows/show/FROM_VENDOR" },
    },
    {
      type: "Grant",
      name: "vendor-upload",
      args: {
        user: "uploads@vendor.example",
        share: "@vendor-in",
        rules: [{ path: "/", write: true, ...(change.pr ? { read: true } : {}) }],
        notify: false,
        invite: true,
      },
    },
    {
      type: "Folder",
      name: "review",
      args: { name: "Review", code: "e2e_review", volume: "@vol", path: "shows/show/REVIEW" },
    },
    {
      type: "Grant",
      name: "review-producer",
      args: {
        user: "producer@client.example",
        share: "@review",
        rules: [{ path: "/", read: true }],
        notify: false,
        invite: true,
      },
    },
  ];
  if (change.pr) {
    decls.push({
      type: "Grant",
      name: "review-director",
      args: {
        user: "director@client.example",
        share: "@review",
        rules: [{ path: "/", read: true }],
        notify: false,
        invite: true,
      },
    });
  } else {
    decls.push(
      {
        type: "Collection",
        name: "onboarding",
        args: { name: "Onboarding", code: "e2e_onboarding", files: ["folder=e2e_show/guide.pdf"] },
        dependsOn: ["show"],
      },
      {
        type: "Grant",
        name: "onboarding-ana",
        args: {
          user: "ana@freelance.example",
          share: "@onboarding",
          rules: [{ path: "/", read: true }],
          notify: false,
          invite: true,
        },
      },
    );
  }
  return decls;
}

describe("engine: accsyn-plan reviews a real preview", function () {
  this.timeout(600_000);
  const engine = useEngine();

  it("names each drifted field and each access change of a pull request, and writes no state", async () => {
    const stack = await engine.stack("plan-pr", studio({ pr: false }));
    await stack.up();
    const ids = await stack.ids();
    // By hand, with the official client: a volume path changed and the review folder renamed.
    await engine.py(
      `s = Session(); v = s.find_one("Volume WHERE id=${ids.vol}"); ` +
        `s.update("Volume", v["id"], {"paths": dict(v["paths"], linux="/mnt/moved")}); ` +
        `s.update("Folder", "${ids.review}", {"name": "Renamed by hand"}); ` +
        // ...and access no Grant declares: Pulumi cannot see it; only the drift check reads it.
        `s.grant("User", "employee@example.com", "Folder", "${ids.show}", {"read": True}); out(True)`,
    );
    await stack.declare(studio({ pr: true }));

    const before = backendSnapshot(stack);
    const res = await runPlan(stack, []);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(
      backendSnapshot(stack),
      before,
      "accsyn-plan (preview --refresh) wrote nothing to the backend",
    );
    const md = res.stdout;

    assert.match(md, /\*\*7 resources change\*\*/);
    assert.match(md, /1 to create · 4 to update · 2 to delete · 2 unchanged/, "counts per operation");
    // Drift: the fields changed by hand, live value and the value up writes back.
    assert.match(md, /\| Volume `vol` \| `paths\.linux` \| `"\/mnt\/moved"` \| `"\/mnt\/e2e"` \|/);
    assert.match(md, /\| Folder `review` \| `name` \| `"Renamed by hand"` \| `"Review"` \|/);
    // The code's own rename is a change, not drift.
    assert.match(md, /\| `name` \| `"Show"` \| `"Show \(2026\)"` \| {2}\|/);
    assert.doesNotMatch(md, /Folder `show` \| `name`/);
    // Access: widened, gained (with the invitation), lost.
    const section = md.slice(md.indexOf("#### Access review"), md.indexOf("#### Drift"));
    assert.match(
      section,
      /\*\*uploads@vendor\.example\*\*[\s\S]*🟠 widened \| Folder vendor-in \(e2e_vendor_in\) \| `\/` \| write → read \+ write/,
    );
    assert.match(section, /\*\*director@client\.example\*\* · \*\*new to this stack\*\*/);
    assert.match(section, /🟢 gained \| Folder review \(e2e_review\) \| `\/` \| none → read/);
    assert.match(
      section,
      /\*\*ana@freelance\.example\*\*[\s\S]*🔴 lost \| Collection onboarding \(e2e_onboarding\) \| `\/` \| read → none/,
    );
    assert.doesNotMatch(section, /producer@client\.example/, "an unchanged grant is not an access change");
    // Risky: the collection is deactivated (restorable), the grant revoked.
    assert.match(
      md,
      /⏸️ deactivate\*\* Collection `onboarding`: Removed from the code: deactivated, restorable/,
    );
    assert.match(md, /🗑️ delete\*\* Grant `onboarding-ana`: Removed from the code: revoked/);
    assert.doesNotMatch(md, /__provider|resourceName/, "internals hidden");

    saveFixture("pr-with-drift", await previewJson(stack));
    // The same plan without --refresh, for the in-process tests of what such a preview can show.
    saveFixture(
      "pr-without-refresh",
      (await stack.run(["preview", "--json", "--stack", stack.stack])).stdout,
    );

    // The scheduled check (accsyn-drift): drift exits 2 and names the fields, writing nothing.
    const untouched = backendSnapshot(stack);
    const check = await runPlan(stack, [], {}, DRIFT_BIN);
    assert.equal(check.code, 2, check.stderr);
    assert.deepEqual(backendSnapshot(stack), untouched, "accsyn-drift wrote nothing to the backend");
    assert.match(check.stdout, /`paths\.linux`/);
    assert.doesNotMatch(check.stdout, /#### Access review/, "a drift check reports drift only");
    assert.match(
      check.stdout,
      /#### Access granted outside the code[\s\S]*\| employee@example\.com \| Folder show \| `\/` \| read \|/,
    );
    assert.doesNotMatch(md, /employee@example\.com/, "the preview itself cannot see it");
    await stack.up();
    const after = await runPlan(stack, ["--check-drift"]);
    assert.equal(after.code, 2, "up leaves access it does not declare");
    assert.match(after.stdout, /No changes planned\*\*, but the shares hold access that no Grant declares/);
    await engine.py(`s = Session(); out(s.revoke("User", "employee@example.com", "Folder", "${ids.show}"))`);
    const clean = await runPlan(stack, ["--check-drift", "--fail-on", "change"]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /No changes/);
  });
});

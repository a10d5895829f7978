import * as assert from "node:assert/strict";
import { type Decl, VOLUME, useEngine } from "./harness";
import { previewJson, runPlan, saveFixture } from "./plan-harness";

const LIMIT = 65_536;

/** 100 folders, each granted to one of 25 vendors: a first apply whose full review is far over the limit. */
function bigWorkspace(): Decl[] {
  const decls: Decl[] = [VOLUME];
  for (let i = 0; i < 100; i++) {
    decls.push({
      type: "Folder",
      name: `shot-${i}`,
      args: {
        name: `Shot ${i}`,
        code: `e2e_shot_${i}`,
        volume: "@vol",
        path: `shows/big/shots/${i}`,
        description: `Plates and renders of shot ${i}`,
      },
    });
    decls.push({
      type: "Grant",
      name: `shot-${i}-vendor`,
      args: {
        user: `vendor${i % 25}@vendors.example`,
        share: `@shot-${i}`,
        rules: [
          { path: "/", read: true },
          { path: "renders", write: true },
        ],
        notify: false,
        invite: true,
      },
    });
  }
  return decls;
}

describe("engine: accsyn-plan on plans that are large or replace things", function () {
  this.timeout(600_000);
  const engine = useEngine();

  it("a plan over GitHub's comment limit keeps the verdict, risks and access review, folding whole blocks", async () => {
    const stack = await engine.stack("plan-big", bigWorkspace());
    saveFixture("large-create", await previewJson(stack));
    const res = await runPlan(stack, []);
    assert.equal(res.code, 0, res.stderr);
    const md = res.stdout;
    assert.ok(md.length < LIMIT, `${md.length} characters`);
    assert.match(md, /\*\*201 resources change\*\*/);
    assert.match(md, /^201 to create$/m);
    assert.doesNotMatch(md, /without `--refresh`/, "a new stack has nothing to refresh");
    assert.match(md, /100 Folders created: each restores a deactivated Folder/);
    for (let v = 0; v < 25; v++)
      assert.ok(md.includes(`**vendor${v}@vendors.example** · **new to this stack**`), `vendor${v}`);
    assert.equal(
      (md.match(/🟢 gained/g) ?? []).length,
      200,
      "every path of every grant in the access review",
    );
    assert.match(md, /_…and \d+ resources more, left out to stay under GitHub's comment limit/);
    assert.ok(md.trimEnd().endsWith("</details>"));
    for (const line of md.split("\n").filter((l) => l.startsWith("|"))) assert.ok(line.endsWith("|"), line);
  });

  it("a replacement names the grants re-created with it; a share deleted or deactivated by hand is drift", async () => {
    // A folder's volume identifies it: moving it to another volume replaces it.
    const review = (volume: string): Decl => ({
      type: "Folder",
      name: "review",
      // No code: a fixed one would stay taken by the old folder, and the preview refuses that.
      args: { name: "Review", volume, path: "shows/REVIEW", deletionPolicy: "delete" },
    });
    const base: Decl[] = [
      VOLUME,
      {
        type: "Volume",
        name: "archive",
        args: {
          name: "E2E Archive",
          code: "e2e_archive",
          paths: { linux: "/mnt/archive" },
          server: "hq-server",
        },
      },
      { type: "Folder", name: "vendor-in", args: { name: "In", code: "e2e_in", volume: "@vol", path: "in" } },
      {
        type: "Grant",
        name: "vendor-upload",
        args: {
          user: "uploads@vendor.example",
          share: "@vendor-in",
          rules: [{ path: "/", write: true }],
          notify: false,
          invite: true,
        },
      },
      {
        type: "Collection",
        name: "coll",
        args: { name: "Coll", code: "e2e_coll", files: ["volume=e2e_projects/a.pdf"] },
        dependsOn: ["vol"],
      },
    ];
    const producer: Decl = {
      type: "Grant",
      name: "review-producer",
      args: {
        user: "producer@client.example",
        share: "@review",
        rules: [{ path: "/", read: true }],
        notify: false,
        invite: true,
      },
    };
    const stack = await engine.stack("plan-replace", [...base, review("@vol"), producer]);
    await stack.up();
    const ids = await stack.ids();
    await engine.py(
      `s = Session(); s.delete_one("Collection", "${ids.coll}"); ` +
        `s.deactivate_one("Folder", "${ids["vendor-in"]}"); out(True)`,
    );
    await stack.declare([...base, review("@archive"), producer]);
    const json = await previewJson(stack);
    saveFixture("replace-and-gone", json);
    const res = await runPlan(stack, ["--fail-on", "replace"]);
    assert.equal(res.code, 2, "--fail-on replace trips");
    assert.match(res.stderr, /replace in the plan/);
    const md = res.stdout;
    assert.match(
      md,
      /♻️ replace\*\* Folder `review`: `volume` changed, which identifies it\. The old one \(id \w+\) is deleted permanently: its id and its ACLs are gone \(deletionPolicy `delete`\) first; a new one is created with a new id; 1 resource\(s\) referring to it are replaced too \(review-producer\)/,
    );
    assert.match(md, /⚪ re-granted \| Folder review \(\w+\) \| `\/` \| read → read \| `review-producer`/);
    assert.match(md, /- Collection `coll`: gone from the live workspace/);
    assert.match(md, /- Folder `vendor-in`: the live entity differs in something the state does not record/);
    assert.match(
      md,
      /\| `volume` \| `"\w+"` \(Volume `vol`\) \| `"\w+"` \(Volume `archive`\) \| replaces \|/,
    );
  });

  it("an adoption names the entity taken over and what it changes on it (the provider's preview note)", async () => {
    const stack = await engine.stack("plan-adopt", [VOLUME]);
    await stack.up();
    const { vol } = await stack.ids();
    const byHand = (await engine.py(
      `s = Session(); out(s.create("Folder", {"name": "Made by hand", "code": "e2e_show", "parent": "${vol}", "path": "shows/show"})["id"])`,
    )) as string;
    await stack.declare([
      VOLUME,
      {
        type: "Folder",
        name: "show",
        args: { name: "Show", code: "e2e_show", volume: "@vol", path: "shows/show", adopt: true },
      },
    ]);
    const json = await previewJson(stack);
    saveFixture("adopt", json);
    const res = await runPlan(stack, []);
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stdout,
      new RegExp(
        `🧲 adopt\\*\\* Folder \`show\`: Adopts an existing Folder; the provider says: .*takes over the existing Folder \\(id ${byHand}\\).*name: "Made by hand" → "Show"`,
      ),
    );
  });
});

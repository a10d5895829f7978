import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { COMMENT_LIMIT, parsePreview, renderMarkdown, reportOf, tripped } from "pulumi-accsyn/plan/index";
import { REPO_ROOT } from "../../helpers/pulumi";

// Real previews, saved by tests/engine/plan-*.test.ts against accsyn-local (ACCSYN_PLAN_FIXTURES=write).
const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures", "plan");
const BIN = path.join(REPO_ROOT, "provider", "dist", "plan", "cli.js");
const text = (name: string) => readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");
const report = (name: string) => reportOf(parsePreview(text(name), name));

function bin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("provider: accsyn-plan on saved real previews", () => {
  it("tells drift from the code's own changes, field by field", () => {
    const r = report("pr-with-drift");
    assert.equal(r.refreshed, true);
    const vol = r.plan.resources.find((x) => x.name === "vol");
    const paths = vol?.fields.find((f) => f.field === "paths");
    assert.equal(paths?.drift, true);
    assert.equal(paths?.inCode, false);
    const show = r.plan.resources.find((x) => x.name === "show")?.fields.find((f) => f.field === "name");
    assert.deepEqual(
      [show?.before, show?.after, show?.drift, show?.inCode],
      ["Show", "Show (2026)", false, true],
    );
    assert.deepEqual(r.drift.map((d) => d.resource).sort(), ["review", "vol"]);
  });

  it("reviews access per user: widened, gained with an invitation, lost", () => {
    const { access } = report("pr-with-drift");
    const seen = access.changes.map((c) => `${c.user} ${c.verdict} ${c.share} ${c.path}`);
    assert.deepEqual(seen, [
      "ana@freelance.example lost Collection onboarding (e2e_onboarding) /",
      "director@client.example gained Folder review (e2e_review) /",
      "uploads@vendor.example widened Folder vendor-in (e2e_vendor_in) /",
    ]);
    assert.deepEqual(
      access.invited.map((i) => i.user),
      ["director@client.example"],
    );
  });

  it("hides internals and never prints the stack's secrets", () => {
    const md = renderMarkdown(report("pr-with-drift"));
    const raw = text("pr-with-drift");
    assert.match(raw, /"resourceName"/);
    assert.doesNotMatch(md, /__provider|resourceName|serialized provider|apiKey/);
  });

  it("says what a preview without --refresh cannot show", () => {
    const r = report("pr-without-refresh");
    assert.equal(r.refreshed, false);
    const md = renderMarkdown(r);
    assert.match(md, /ran without `--refresh`/);
    // The hand-made changes still plan updates (the provider diffs live), but no field is named.
    assert.match(
      md,
      /Volume `vol`: the live workspace differs from the code; run the preview with --refresh/,
    );
    assert.doesNotMatch(md, /`paths\.linux`/);
  });

  it("keeps a plan far over GitHub's limit under it, whole blocks only, sections 1-3 complete", () => {
    const r = report("large-create");
    const full = renderMarkdown(r, Number.MAX_SAFE_INTEGER);
    assert.ok(full.length > COMMENT_LIMIT, `the uncut review is ${full.length} characters`);
    const md = renderMarkdown(r);
    assert.ok(md.length <= COMMENT_LIMIT, `${md.length}`);
    const head = (s: string) => s.slice(0, s.indexOf("<details>"));
    assert.equal(head(md), head(full), "verdict, risks and access review are kept whole");
    assert.match(md, /_…and \d+ resources more, left out/);
    for (const line of md.split("\n").filter((l) => l.startsWith("|"))) assert.ok(line.endsWith("|"), line);
    // A tighter limit (e.g. another forge's) folds the access review too, by whole users.
    const small = renderMarkdown(r, 12_000);
    assert.ok(small.length <= 12_000, `${small.length}`);
    assert.match(small, /_…and \d+ users more, left out/);
  });

  it("a replacement: what happens to the old id and which grants follow; entities gone or deactivated by hand", () => {
    const r = report("replace-and-gone");
    const folder = r.risks.find((k) => k.resources.includes("review"));
    assert.equal(folder?.kind, "replace");
    assert.match(
      folder?.reason ?? "",
      /`volume` changed.*deleted permanently.*replaced too \(review-producer\)/,
    );
    const regrant = r.access.changes.find((c) => c.resource === "review-producer");
    assert.equal(regrant?.verdict, "re-granted");
    const drift = Object.fromEntries(r.drift.map((d) => [d.resource, d.note ?? ""]));
    assert.match(drift.coll, /gone from the live workspace/);
    assert.match(drift["vendor-in"], /deactivated by hand/);
    assert.equal(r.plan.resources.find((x) => x.name === "coll")?.op, "create");
  });

  it("an adoption carries the provider's note on the entity taken over and what changes on it", () => {
    const r = report("adopt");
    const adopt = r.risks.find((k) => k.kind === "adopt");
    assert.deepEqual(adopt?.resources, ["show"]);
    assert.match(
      adopt?.reason ?? "",
      /takes over the existing Folder \(id \w+\) and updates it in place: name: "Made by hand" → "Show"/,
    );
    assert.match(renderMarkdown(r), /^> accsyn Folder 'show': adopt: takes over/m);
  });

  it("--fail-on gates trip on what the plan holds", () => {
    const pr = report("pr-with-drift");
    assert.deepEqual(tripped(pr, ["delete", "replace", "access-widen", "drift"]), [
      "delete",
      "access-widen",
      "drift",
    ]);
    const big = report("large-create");
    assert.deepEqual(tripped(big, ["delete", "drift", "access-widen"]), ["access-widen"]);
  });

  it("the bin: Markdown or JSON from a saved preview, exit 2 on a gate, 1 with a clear error on bad input", async () => {
    const from = path.join(FIXTURES, "pr-with-drift.json");
    const md = await bin(["--from", from]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^### accsyn plan · stack `plan-pr-\d+`/);
    const json = await bin(["--from", from, "--json"]);
    const data = JSON.parse(json.stdout) as { counts: Record<string, number>; drift: unknown[] };
    assert.deepEqual(data.counts, { create: 1, update: 4, replace: 0, delete: 2, same: 2 });
    assert.doesNotMatch(json.stdout, /__provider|resourceName/);
    const gate = await bin(["--from", from, "--fail-on", "drift,replace"]);
    assert.equal(gate.code, 2);
    assert.match(gate.stderr, /drift in the plan/);
    const wrong = await bin(["--from", from, "--fail-on", "deletes"]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /unknown gate\(s\) deletes; use delete, replace/);
    const notJson = await bin(["--from", path.join(REPO_ROOT, "package.json"), "--fail-on", "drift"]);
    assert.equal(notJson.code, 1);
    assert.match(
      notJson.stderr,
      /is not the output of `pulumi preview --json`: steps: Expected array|is not the output/,
    );
  });
});

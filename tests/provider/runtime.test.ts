import * as assert from "node:assert/strict";
import * as fc from "fast-check";
import { diffFields, sameValue } from "pulumi-accsyn/runtime/diff";
import { check } from "pulumi-accsyn/runtime/lifecycle";
import { UNKNOWN } from "pulumi-accsyn/runtime/unknown";
import { folderSpec } from "pulumi-accsyn/runtime/specs/folder";
import { grantSpec } from "pulumi-accsyn/runtime/specs/grant";
import type { AnySpec } from "pulumi-accsyn/runtime/spec";
const folder = folderSpec as unknown as AnySpec;
const grant = grantSpec as unknown as AnySpec;

describe("runtime (in-process): the shared diff helper", () => {
  const managed = ["name", "path", "metadata"];
  const replaceOn = ["path"];

  it("a field the program does not set is never a change", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (liveName, oldName) => {
        const d = diffFields(managed, replaceOn, { name: oldName }, {}, { name: liveName });
        assert.deepEqual(d, { changed: [], replaces: [] });
      }),
    );
  });

  it("an in-place field compares with the live value; an identity field with the last applied one", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (want, live) => {
        const d = diffFields(
          managed,
          replaceOn,
          { name: want, path: "a" },
          { name: want, path: "a" },
          { name: live, path: "b" },
        );
        assert.deepEqual(d.changed, want === live ? [] : ["name"], "path drift alone never replaces");
        assert.deepEqual(d.replaces, []);
      }),
    );
    assert.deepEqual(diffFields(managed, replaceOn, { path: "a" }, { path: "b" }, { path: "a" }), {
      changed: ["path"],
      replaces: ["path"],
    });
  });

  it("treats empty strings, lists and objects like absent values, and ignores key order", () => {
    assert.ok(sameValue("", undefined));
    assert.ok(sameValue({}, null));
    assert.ok(sameValue([], undefined));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        assert.ok(sameValue(o, reversed));
      }),
    );
  });
});

describe("runtime (in-process): check", () => {
  it("accepts a folder whose volume is not known yet during preview, and still checks the rest", async () => {
    const ok = await check(folder, {}, { name: "Plates", volume: UNKNOWN, path: "shows/x" });
    assert.equal(ok.failures, undefined);
    const bad = await check(folder, {}, { name: "Plates", volume: UNKNOWN, path: "/abs" });
    assert.equal(bad.failures?.[0]?.property, "path");
  });

  it("names the field, the problem and the fix", async () => {
    const res = await check(folder, {}, { name: "", volume: "v", path: "a/../b", colour: "red" });
    const byField = Object.fromEntries((res.failures ?? []).map((f) => [f.property, f.reason]));
    assert.match(byField.name ?? "", /accsyn Folder: field 'name': must not be empty\. Fix:/);
    assert.match(byField.path ?? "", /must not contain '\.\.'\. Fix: .*without '\.\.'/);
    assert.match(byField["(inputs)"] ?? "", /colour/);
  });

  it("fills defaults the provider relies on (grant rule path '/', notify true)", async () => {
    const res = await check(
      grant,
      {},
      { user: "a@b.c", share: "s", shareType: "Folder", rules: [{ read: true }] },
    );
    assert.deepEqual(res.inputs?.rules, [{ path: "/", read: true, write: false }]);
    assert.equal(res.inputs?.notify, true);
  });
});

import * as assert from "node:assert/strict";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import fc from "fast-check";
import { configureSettings } from "pulumi-accsyn/runtime/settings";
import {
  type InvalidInput,
  KIND_NAMES,
  type KindName,
  type Props,
  SEEDED,
  invalidInputs,
  validInputs,
} from "../helpers/invalid-inputs";
import { hostProvider } from "../helpers/host-provider";
import { type TestServer, startTestServer } from "../helpers/server";

// Property: every kind's check refuses a valid declaration with one field broken (1,000 per kind),
// naming that field and a fix, before any API call; and passes the valid declarations themselves
// (so over-eager validation fails too). A failure prints fast-check's seed and the shrunk case;
// FC_SEED=<n> replays another seed.
const SEED = Number(process.env.FC_SEED ?? 1313);
const INVALID_RUNS = 1000;
const VALID_RUNS = 150;

/** The labels each kind's generator must have produced in its runs (so none silently vanishes). */
const MUST_SEE: Record<KindName, string[]> = {
  Volume: ["paths without the serving OS's path", "the provider's marker key in metadata", "blank name"],
  Folder: [
    "absolute path",
    "segment of dots",
    "control or invisible character",
    "longer than 4096 characters",
    "the volume root",
    "name without a letter or digit, and no code",
  ],
  Home: ["neither a user id nor an e-mail", "value outside the enum"],
  Collection: ["file: absolute path", "file: segment of dots", "file not in accsyn notation", "empty list"],
  VolumeServer: ["empty string", "value outside the enum"],
  Grant: [
    "rule with neither read nor write",
    "rule path: absolute path",
    "rule path: segment of dots",
    "the same rule path twice",
    "neither a user id nor an e-mail",
  ],
};
const EVERY_KIND = ["wrong JSON type", "unknown or misspelt field", "missing required field"];

/** What the SDK hands the provider's check: the Args plus what the resource class adds. */
function hostInputs(kind: KindName, args: Props, resourceName: string): Props {
  const stack = ["Volume", "Folder", "Home", "Collection"].includes(kind) ? { stack: "props/test" } : {};
  return { ...args, resourceName, ...stack };
}

function configureRequest(config: Record<string, string>): dynamic.ConfigureRequest {
  return { config: { get: (key: string) => config[key] } } as unknown as dynamic.ConfigureRequest;
}

/** The failures of a check that must fail; throws (with the case) when it passed. */
function failuresOf(res: dynamic.CheckResult, c: InvalidInput): dynamic.CheckFailure[] {
  const failures = res.failures ?? [];
  assert.ok(failures.length > 0, `accepted: ${c.label} (field '${c.field}'): ${JSON.stringify(c.args)}`);
  return failures;
}

describe("provider (in-process, accsyn-local over HTTP): generated invalid inputs fail check", function () {
  this.timeout(120_000);
  let server: TestServer;
  let config: Record<string, string>;
  const savedTtl = process.env.ACCSYN_CACHE_TTL_MS;

  /**
   * Configures the kind's provider as the host does. Uncached, list reads are never served from
   * memory, so a check that went past validation to the live checks shows in the counters: "0 API
   * calls" then means they were never reached. The valid runs read through the cache, as the host
   * does (uncached, each of their checks costs ~150 ms).
   */
  async function configured(kind: KindName, cached: boolean): Promise<dynamic.ResourceProvider> {
    if (cached && savedTtl === undefined) delete process.env.ACCSYN_CACHE_TTL_MS;
    else process.env.ACCSYN_CACHE_TTL_MS = cached ? savedTtl : "0";
    const shim = hostProvider(kind);
    await shim.configure?.(configureRequest(config));
    return shim;
  }

  before(async () => {
    server = await startTestServer();
    const admin = server.credentials("admin");
    config = {
      "accsyn:endpoint": server.url,
      "accsyn:workspace": "demo",
      "accsyn:apiUser": admin.code,
      "accsyn:apiKey": admin.apiKey,
    };
    // The volume the valid declarations refer to, made the way `up` makes it.
    const volume = hostProvider("Volume");
    await volume.configure?.(configureRequest(config));
    const inputs = {
      name: "Props",
      code: SEEDED.volume,
      paths: { linux: "/mnt/props" },
      resourceName: "vol",
    };
    const checked = await volume.check?.({}, inputs);
    assert.equal(checked?.failures, undefined, JSON.stringify(checked?.failures));
    await volume.create(checked?.inputs ?? {});
  });
  after(async () => {
    if (savedTtl === undefined) delete process.env.ACCSYN_CACHE_TTL_MS;
    else process.env.ACCSYN_CACHE_TTL_MS = savedTtl;
    configureSettings(() => undefined);
    await server?.close();
  });

  for (const kind of KIND_NAMES) {
    it(`${kind}: ${INVALID_RUNS} invalid inputs are refused, each naming the broken field and a fix, with 0 API calls`, async () => {
      const shim = await configured(kind, false);
      await server.resetCounters();
      const seen = new Set<string>();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(invalidInputs(kind, { unknowns: true }), async (c) => {
          const name = `bad-${n++}`;
          const res = await shim.check?.({}, hostInputs(kind, c.args, name));
          assert.ok(res !== undefined, "the shim has a check");
          assert.equal(res.inputs, undefined, "a failed check returns no inputs");
          for (const f of failuresOf(res, c)) {
            // Every failure is about the one broken field (the rest of the declaration is valid).
            assert.ok(
              f.reason.startsWith(`accsyn ${kind} '${name}': `),
              `names the kind and resource: ${f.reason}`,
            );
            assert.ok(
              f.reason.includes(`field '${c.field}'`),
              `${c.label}: names field '${c.field}': ${f.reason}`,
            );
            assert.match(f.reason, /\. Fix: \S/, `${c.label}: says how to fix it: ${f.reason}`);
            // The property is the field, or the object that holds it (an unknown key's object).
            const top = f.property === "(inputs)" ? "" : f.property;
            assert.ok(
              c.field === top || c.field.startsWith(top === "" ? "" : `${top}.`),
              `${c.label}: property '${f.property}' holds field '${c.field}'`,
            );
          }
          seen.add(c.label);
        }),
        { numRuns: INVALID_RUNS, seed: SEED },
      );
      const counters = await server.counters();
      assert.equal(counters.total, 0, `no API call: ${JSON.stringify(counters.byUri)}`);
      for (const label of [...EVERY_KIND, ...MUST_SEE[kind]])
        assert.ok(seen.has(label), `the runs broke '${label}' (saw: ${[...seen].join(", ")})`);
    });

    it(`${kind}: the valid inputs the breakages start from pass check`, async () => {
      const shim = await configured(kind, true);
      await fc.assert(
        fc.asyncProperty(validInputs(kind), async (args) => {
          // One resource name for every run: the runs declare the same resource again, never a
          // second Grant or assignment claiming what a first one claimed.
          const res = await shim.check?.({}, hostInputs(kind, args, "valid"));
          assert.equal(res?.failures, undefined, `${JSON.stringify(args)}: ${JSON.stringify(res?.failures)}`);
        }),
        { numRuns: VALID_RUNS, seed: SEED },
      );
    });
  }
});

describe("provider (in-process): validation gaps the generated inputs found (regressions)", () => {
  // Each was accepted by check (so preview passed) and refused by accsyn at `up`, or refused
  // without naming the field; kept as named examples.
  const cases: [label: string, kind: KindName, args: Props, field: string][] = [
    ["a misspelt field is named", "Folder", { name: "F", volume: "v", path: "a", volumee: "v" }, "volumee"],
    [
      "an unknown key in a volume's paths is named",
      "Volume",
      { name: "V", code: "v", paths: { linux: "/x", linx: "/y" } },
      "paths.linx",
    ],
    ["a folder path absolute behind a space", "Folder", { name: "F", volume: "v", path: " /etc" }, "path"],
    [
      "a folder path with a segment of three dots",
      "Folder",
      { name: "F", volume: "v", path: "a/.../b" },
      "path",
    ],
    ["a folder path with a zero-width space", "Folder", { name: "F", volume: "v", path: "a\u200bb" }, "path"],
    ["a folder at the volume root", "Folder", { name: "F", volume: "v", path: "." }, "path"],
    [
      "a folder path over 4096 characters",
      "Folder",
      { name: "F", volume: "v", path: "a".repeat(4097) },
      "path",
    ],
    ["a folder name accsyn derives no code from", "Folder", { name: "---", volume: "v", path: "a" }, "name"],
    ["a blank name", "Collection", { name: "  ", code: "c", files: ["volume=v/a"] }, "name"],
    [
      "a collection file with a segment of dots",
      "Collection",
      { name: "C", code: "c", files: ["volume=v/a/.. /b"] },
      "files.0",
    ],
    [
      "a collection file with a control character",
      "Collection",
      { name: "C", code: "c", files: ["volume=v/a\u0007b"] },
      "files.0",
    ],
    [
      "an invited grantee that is no e-mail",
      "Grant",
      {
        user: "jane doe@example.com",
        share: "s",
        shareType: "Folder",
        rules: [{ read: true }],
        invite: true,
      },
      "user",
    ],
    ["a home for something that is no user", "Home", { user: "jane" }, "user"],
  ];

  for (const [label, kind, args, field] of cases) {
    it(`refuses ${label}, naming field '${field}'`, async () => {
      const res = await hostProvider(kind).check?.({}, hostInputs(kind, args, "r"));
      const reasons = (res?.failures ?? []).map((f) => f.reason);
      assert.ok(reasons.length > 0, "refused");
      for (const r of reasons)
        assert.match(r, new RegExp(`field '${field.replace(/\./g, "\\.")}'.*\\. Fix: `));
    });
  }

  it("a misspelt field gets the field it most likely means", async () => {
    const res = await hostProvider("Grant").check?.(
      {},
      {
        user: "a@b.c",
        share: "s",
        shareType: "Folder",
        rules: [{ read: true }],
        notfy: false,
        resourceName: "g",
      },
    );
    assert.match(res?.failures?.[0]?.reason ?? "", /field 'notfy': .*Fix: did you mean 'notify'\?/);
  });
});

import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import * as accsyn from "pulumi-accsyn";
import { folderKind, grantKind } from "pulumi-accsyn";
import { httpErrorFor } from "pulumi-accsyn/client";
import { renderReference } from "pulumi-accsyn/docs/reference";
import { providerText } from "pulumi-accsyn/resources/provider";
import { KINDS, kindNamed } from "pulumi-accsyn/kinds/registry";
import { type ResourceKind, check as checkKind, configure, create, remove } from "pulumi-accsyn/runtime";
import {
  CREDENTIAL_SETTINGS,
  ConflictError,
  CredentialsError,
  ReferenceNotFoundError,
  ServiceError,
} from "pulumi-accsyn/runtime/errors";
import { configureSettings } from "pulumi-accsyn/runtime/settings";
import { translate } from "pulumi-accsyn/runtime/translate";
import { workspaceApi } from "pulumi-accsyn/runtime/workspace-api";
import { type TestServer, startTestServer } from "../helpers/server";
import { loadProvider } from "../helpers/host-provider";
import { REPO_ROOT } from "../helpers/pulumi";
import { diffFields, sameValue } from "pulumi-accsyn/runtime/diff";
import { check } from "pulumi-accsyn/runtime/lifecycle";
import { UNKNOWN } from "pulumi-accsyn/runtime/unknown";
const folder = folderKind;
const grant = grantKind;

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
    const res = await check(
      folder,
      {},
      { name: "", volume: "v", path: "a/../b", colour: "red", resourceName: "plates" },
    );
    const byField = Object.fromEntries((res.failures ?? []).map((f) => [f.property, f.reason]));
    assert.match(byField.name ?? "", /^accsyn Folder 'plates': field 'name': must not be empty\. Fix:/);
    assert.match(byField.path ?? "", /must not contain '\.\.'\. Fix: .*without '\.\.'/);
    assert.match(byField["(inputs)"] ?? "", /colour/);
  });

  it("unpacks what the class registers in one prop into the inputs the state has always kept", async () => {
    const args = { user: "a@b.c", share: "0123456789abcdef01234567", rules: [{ read: true }], notify: false };
    const packed = await check(
      grant,
      {},
      { ...args, __accsyn: { name: "vendor", refs: { share: "Folder" } } },
    );
    const separate = await check(
      grant,
      {},
      { ...args, shareType: "Folder", __resourceRefs: ["share"], resourceName: "vendor" },
    );
    assert.equal(packed.failures, undefined);
    assert.deepEqual(packed.inputs, separate.inputs);
    assert.equal(packed.inputs?.shareType, "Folder");
    assert.ok(!("__accsyn" in (packed.inputs ?? {})));
    const stacked = await check(
      folder,
      {},
      {
        name: "F",
        volume: "0123456789abcdef01234567",
        path: "f",
        __accsyn: { name: "show", stack: "proj/dev", refs: { volume: "Volume" } },
      },
    );
    assert.deepEqual(
      [stacked.inputs?.resourceName, stacked.inputs?.stack, stacked.inputs?.__resourceRefs],
      ["show", "proj/dev", ["volume"]],
    );
    // errors name the resource from the packed name
    const bad = await check(folder, {}, { name: "", volume: "v", path: "f", __accsyn: { name: "plates" } });
    assert.match(bad.failures?.[0]?.reason ?? "", /^accsyn Folder 'plates': field 'name'/);
  });

  it("refuses a packed prop the class did not write, naming it and the fix", async () => {
    for (const value of ["show", { name: 1 }, { name: "show", colour: "red" }]) {
      const res = await check(folder, {}, { name: "F", volume: "v", path: "f", __accsyn: value });
      assert.equal(res.failures?.length, 1, JSON.stringify(value));
      assert.equal(res.failures?.[0]?.property, "__accsyn");
      assert.match(
        res.failures?.[0]?.reason ?? "",
        /field '__accsyn': is internal .*Fix: Remove '__accsyn' from the resource's arguments/,
      );
    }
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

describe("runtime (in-process): the registry of kinds", () => {
  it("every registered kind is exported by the package with its resource class", () => {
    const names = KINDS.map((k) => k.name);
    assert.deepEqual(names, ["Volume", "Folder", "Home", "Collection", "VolumeServer", "Grant"]);
    for (const name of names) {
      const cls = (accsyn as Record<string, unknown>)[name];
      assert.equal(typeof cls, "function", `pulumi-accsyn exports ${name}`);
    }
  });

  it("derives the diff's field lists from the field metadata", () => {
    const folderKind = kindNamed("Folder");
    assert.deepEqual(folderKind?.replaceOn, ["volume"]);
    assert.ok(folderKind?.managed.includes("name") && !folderKind.managed.includes("adopt"));
    assert.deepEqual(kindNamed("Grant")?.steering, ["invite", "adopt", "deletionPolicy", "resourceName"]);
    assert.equal(kindNamed("Nope"), undefined);
  });

  it("docs/reference.md is what the registry says", () => {
    const file = fs.readFileSync(path.resolve(__dirname, "../../../docs/reference.md"), "utf8");
    assert.equal(file, renderReference(), "docs/reference.md is stale: run `npm run docs`");
  });
});

describe("runtime (in-process): errors at the lifecycle boundary", () => {
  it("a client error names the operation, the resource, the id, what accsyn said and a fix", () => {
    const refused = httpErrorFor(
      "PUT volume/edit failed (HTTP 400): Unknown or read-only attribute 'server'",
      {
        operation: "volume/edit",
        method: "PUT",
        entityType: "Volume",
        entityId: "5f0000000000000000000001",
        status: 400,
        serverMessage: "Unknown or read-only attribute 'server'",
        retryable: false,
      },
    );
    const e = translate(refused, "update", "Volume", {
      resourceName: "projects",
      id: "5f0000000000000000000001",
    });
    assert.ok(e instanceof ServiceError);
    assert.equal(
      e.message,
      "accsyn Volume 'projects' (id 5f0000000000000000000001): update failed: accsyn refused PUT volume/edit on " +
        "Volume 5f0000000000000000000001 (HTTP 400). accsyn said: \"Unknown or read-only attribute 'server'\". " +
        "Fix: Correct the value accsyn names in the resource's declaration; if it is valid, report this with the message",
    );
  });

  it("the provider's own errors get the operation and resource added, typed (no string tests)", () => {
    const missing = new ReferenceNotFoundError("Folder", "volume", "Volume", "projcts");
    const e = translate(missing, "create", "Folder", { resourceName: "nebula" });
    assert.ok(e instanceof ReferenceNotFoundError);
    assert.match(
      e.message,
      /^accsyn Folder 'nebula': create failed: field 'volume': no Volume with id or code 'projcts' exists in the workspace\. Fix: /,
    );
  });

  it("a bug is not dressed up as an expected failure", () => {
    const bug = new TypeError("x is undefined");
    assert.equal(translate(bug, "diff", "Folder", {}), bug);
  });

  it("missing credentials name the stack config, the exact command and the environment variables", () => {
    const e = new CredentialsError(CREDENTIAL_SETTINGS.filter((s) => s.config === "apiKey"));
    assert.match(e.message, /missing credentials: accsyn:apiKey/);
    assert.match(e.message, /pulumi config set --secret accsyn:apiKey <api key>/);
    assert.match(e.message, /ACCSYN_API_KEY/);
    assert.doesNotMatch(e.message, /accsyn:apiUser/);
  });

  it("two Grants on one user and share fail the check, naming both", async () => {
    const decl = { user: "a@b.c", share: "dup-share", shareType: "Folder", rules: [{ read: true }] };
    assert.equal((await check(grant, {}, { ...decl, resourceName: "first" })).failures, undefined);
    const res = await check(grant, {}, { ...decl, resourceName: "second" });
    assert.equal(res.failures?.[0]?.property, "share");
    assert.match(
      res.failures?.[0]?.reason ?? "",
      /Grants 'first' \(user 'a@b\.c' on Folder 'dup-share'\) and 'second'/,
    );
  });
});

describe("runtime (in-process): one client per provider process", () => {
  it("configure with the same settings (once per kind, as the host does) keeps the client", () => {
    const get = (key: string) =>
      ({
        "accsyn:workspace": "demo",
        "accsyn:apiUser": "admin@example.com",
        "accsyn:apiKey": "k",
        "accsyn:endpoint": "http://127.0.0.1:9",
      })[key];
    configureSettings(get);
    const first = workspaceApi();
    for (let i = 0; i < 6; i++) configureSettings(get);
    assert.equal(workspaceApi(), first);
    configureSettings((key) => (key === "accsyn:apiKey" ? "other" : get(key)));
    assert.notEqual(workspaceApi(), first, "new credentials make a new client");
  });

  it("fails before any request when credentials are missing, naming what is missing", () => {
    const saved = { ...process.env };
    try {
      for (const k of [
        "ACCSYN_WORKSPACE",
        "ACCSYN_DOMAIN",
        "ACCSYN_ORG",
        "ACCSYN_API_USER",
        "ACCSYN_API_KEY",
      ])
        delete process.env[k];
      delete process.env.ACCSYN_CREDENTIALS_PATH;
      configureSettings((key) => (key === "accsyn:workspace" ? "demo" : undefined));
      assert.throws(
        () => workspaceApi(),
        (e: unknown) =>
          e instanceof CredentialsError &&
          /accsyn:apiUser, accsyn:apiKey/.test(e.message) &&
          !/accsyn:workspace/.test(e.message.split("Fix:")[0] ?? ""),
      );
    } finally {
      process.env = saved;
      configureSettings(() => undefined);
    }
  });
});

describe("runtime (in-process): the serialized shim", () => {
  it("is the text new resources' state carries (byte for byte), 154 bytes for a Folder", () => {
    // Every resource's `__provider`, in its inputs and outputs: a change here changes every
    // resource's state on its next `up` (tests/engine/shim-upgrade.test.ts shows that is a `same`).
    const text = providerText("Folder");
    assert.equal(Buffer.byteLength(text), 154);
    assert.equal(
      createHash("sha256").update(text).digest("hex"),
      "430ff050735089e2f28adaf136fb8035d85c7ba6d2aec830e5ac900b8516c3ca",
    );
  });

  it("loads as the host loads it into one provider object per kind, reaching this runtime", async () => {
    const folder = loadProvider(providerText("Folder"));
    assert.equal(folder, loadProvider(providerText("Folder")), "the runtime holds one object per kind");
    assert.notEqual(folder, loadProvider(providerText("Grant")));
    assert.deepEqual(Object.keys(folder).sort(), [
      "check",
      "configure",
      "create",
      "delete",
      "diff",
      "read",
      "update",
    ]);
    const res = await folder.check?.({}, { name: "Show", volume: "0123456789abcdef01234567", path: "/abs" });
    assert.match(JSON.stringify(res?.failures), /path/, "the shim reaches this runtime's check");
  });

  for (const [version, file, sha, bytes] of [
    [
      "first",
      "shim-v1-folder.js.txt",
      "6d78b06d32fd01e597f432cca63d66188d960969dd5866ee6e1a0c3620e08338",
      2731,
    ],
    [
      "second",
      "shim-v2-folder.js.txt",
      "5047bb26b1ba91f7d8cb165af9d64b1d8e792bc56eadc33d84ab76fc31a079de",
      2181,
    ],
  ] as const) {
    it(`the ${version} shim (${bytes.toLocaleString("en")} bytes), which existing states carry, still runs against this runtime`, async () => {
      const text = fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", file), "utf8");
      assert.equal(createHash("sha256").update(text).digest("hex"), sha);
      assert.equal(Buffer.byteLength(text), bytes);
      const old = loadProvider(text);
      assert.ok(old.check);
      const res = await old.check({}, { name: "Show", volume: "0123456789abcdef01234567", path: "/abs" });
      assert.match(JSON.stringify(res.failures), /path/, "the old shim reaches this runtime's check");
    });
  }
});

describe("runtime (in-process): how failures print", () => {
  /** What the dynamic-provider host does with a failed check/diff/read/delete before returning it. */
  function hostEcho(e: unknown): string {
    const writes: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      console.error(`${String(e)}: ${(e as Error).stack}`);
    } finally {
      process.stderr.write = write;
    }
    return writes.join("");
  }

  it("an expected failure is shown once (the engine prints its message), without a stack trace", async () => {
    configureSettings((key) => (key === "accsyn:apiKey" ? "k" : undefined));
    const failure = await remove("VolumeServer", "not-an-id", { volume: "v", server: "s" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(failure instanceof CredentialsError || failure instanceof ConflictError, String(failure));
    assert.match((failure as Error).message, /^accsyn VolumeServer \(id not-an-id\): delete failed: /);
    assert.equal(hostEcho(failure), "");
  });

  it("a bug still prints its stack", () => {
    assert.match(hostEcho(new TypeError("boom")), /TypeError: boom: TypeError: boom\n\s+at /);
  });
});

/**
 * Compile-time checks of the resource classes' Args (derived from the kinds' schemas): `tsc -b`
 * fails when they drift. Never called: constructing resources needs the engine.
 */
export function argsTypeChecks(): void {
  const v = new accsyn.Volume("v", { name: "V", code: "v", paths: { linux: "/x" }, server: "hq" });
  const f = new accsyn.Folder("f", { name: "F", volume: v, path: "a/b", metadata: { a: 1 } });
  new accsyn.Grant("g", { user: "a@b.c", share: f, rules: [{ path: "/", read: true }], notify: false });
  new accsyn.Grant("g2", {
    user: "a@b.c",
    share: "code",
    shareType: "Folder",
    rules: pulumi.output([{ read: true }]),
  });
  new accsyn.Home("h", { user: "a@b.c", volume: v.id, deletionPolicy: "retain" });
  new accsyn.Collection("c", { name: "c", code: "c", files: ["volume=x/y"] });
  new accsyn.VolumeServer("vs", { volume: v, server: "sto" });
  // @ts-expect-error a Folder is not a volume
  new accsyn.Folder("f2", { name: "F", volume: f, path: "a" });
  // @ts-expect-error homes cannot be deactivated
  new accsyn.Home("h2", { user: "a@b.c", deletionPolicy: "deactivate" });
  // @ts-expect-error rules are required
  new accsyn.Grant("g3", { user: "a@b.c", share: f });
  // @ts-expect-error resourceName is set by the class
  new accsyn.Folder("f3", { name: "F", volume: v, path: "a", resourceName: "x" });
  // @ts-expect-error unknown fields are typos
  new accsyn.Volume("v2", { name: "V", code: "v", paths: { linux: "/x" }, colour: 1 });
}

describe("runtime (in-process, accsyn-local over HTTP): one login per provider process", function () {
  this.timeout(60_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    configureSettings(() => undefined);
    await server?.close();
  });

  it("a run in which the host configures every kind, and each writes, logs in once; every write is seen", async () => {
    const admin = server.credentials("admin");
    const config: Record<string, string> = {
      "accsyn:endpoint": server.url,
      "accsyn:workspace": "demo",
      "accsyn:apiUser": admin.code,
      "accsyn:apiKey": admin.apiKey,
    };
    await server.resetCounters();
    const created: Record<string, string> = {};
    // The host configures each serialized provider (one per kind) when it first meets it,
    // interleaved with the other resources' operations.
    const up = async (kind: ResourceKind, inputs: Record<string, unknown>): Promise<string> => {
      configure((key) => config[key]);
      const checked = await checkKind(kind, {}, inputs);
      assert.equal(checked.failures, undefined, JSON.stringify(checked.failures));
      const { id } = await create(kind, checked.inputs ?? {});
      return id;
    };
    created.vol = await up("Volume", {
      name: "One",
      code: "one_login",
      paths: { linux: "/mnt/one" },
      resourceName: "v",
    });
    // Created through the same client a moment ago: the folder's lookup of its volume must see it.
    created.folder = await up("Folder", { name: "F", volume: "one_login", path: "f", resourceName: "f" });
    created.coll = await up("Collection", {
      name: "C",
      code: "one_login_c",
      files: ["volume=one_login/a.txt"],
      resourceName: "c",
    });
    created.grant = await up("Grant", {
      user: "employee@example.com",
      share: created.folder,
      shareType: "Folder",
      rules: [{ read: true }],
      notify: false,
      resourceName: "g",
    });
    const counters = await server.counters();
    assert.equal(counters.byUri["PUT api/login"], 1, JSON.stringify(counters.byUri));
  });
});

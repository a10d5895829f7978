import * as assert from "node:assert/strict";
import * as path from "node:path";
import { AccsynClient } from "pulumi-accsyn/client";
import { PulumiStack, REPO_ROOT, initAccsynStack, opsByName } from "../helpers/pulumi";
import { pySession, runPython } from "../helpers/python";
import { type TestServer, startTestServer } from "../helpers/server";

const FIXTURE = path.join(REPO_ROOT, "tests", "fixtures", "workspace");

interface Decl {
  type: "Volume" | "Folder" | "Home" | "Collection" | "VolumeServer" | "Grant";
  name: string;
  args: Record<string, unknown>;
  dependsOn?: string[];
}

/** The workspace the test walks through its life: one resource of every kind. */
type Rule = { path: string; read?: boolean; write?: boolean };
const VENDOR_RULES: Rule[] = [
  { path: "/", read: true },
  { path: "upload", write: true },
];

function workspace(
  over: { folderPath?: string; folderName?: string; rules?: Rule[]; extra?: Decl[] } = {},
): Decl[] {
  return [
    {
      type: "Volume",
      name: "vol",
      args: {
        name: "E2E Projects",
        code: "e2e_projects",
        paths: { linux: "/mnt/e2e", windows: "E:" },
        server: "hq-server",
      },
    },
    { type: "VolumeServer", name: "vol-sto", args: { volume: "@vol", server: "sto-server" } },
    {
      type: "Folder",
      name: "show",
      args: {
        name: over.folderName ?? "Show",
        code: "e2e_show",
        volume: "@vol",
        path: over.folderPath ?? "shows/show",
      },
    },
    // Destroy retains homes (accsyn cannot deactivate them), so the next up takes the home back with adopt.
    {
      type: "Home",
      name: "home",
      args: { user: "employee@example.com", description: "employee home", volume: "@vol", adopt: true },
    },
    {
      type: "Collection",
      name: "coll",
      args: {
        name: "Onboarding",
        code: "e2e_onboarding",
        files: ["volume=e2e_projects/docs/a.pdf", "folder=e2e_show/b.mov"],
      },
      dependsOn: ["show"],
    },
    {
      type: "Grant",
      name: "vendor",
      args: {
        user: "standard@example.com",
        share: "@show",
        rules: over.rules ?? VENDOR_RULES,
        notify: false,
      },
    },
    ...(over.extra ?? []),
  ];
}

describe("provider end to end: the real Pulumi engine against accsyn-local", function () {
  this.timeout(600_000);
  let server: TestServer;
  let stack: PulumiStack;
  let client: AccsynClient;
  let admin: { code: string; apiKey: string };
  let ids: Record<string, string> = {};

  const setResources = (decls: Decl[]) => stack.setConfig("e2e:resources", JSON.stringify(decls));
  const py = (script: string) => runPython(script, pySession(server, admin));

  before(async () => {
    server = await startTestServer();
    admin = server.credentials("admin");
    client = new AccsynClient({
      endpoint: server.url,
      workspace: "demo",
      user: admin.code,
      apiKey: admin.apiKey,
      cacheTtlMs: 0,
    });
    stack = new PulumiStack(FIXTURE, "e2e");
    await initAccsynStack(stack, server, admin);
  });

  after(async () => {
    await client?.close();
    await stack?.removeStack();
    await server?.close();
  });

  it("up creates one of every kind, visible to the official client", async () => {
    await setResources(workspace());
    await stack.up();
    ids = (await stack.outputs()).ids as Record<string, string>;
    const seen = (await py(
      `
s = Session()
vol = s.find_one("Volume WHERE code=e2e_projects")
out({"vol": vol["id"], "paths": vol["paths"], "folder": s.find_one("Folder WHERE code=e2e_show")["path"],
     "files": sorted(f["path"] for f in s.find("File", entityid="${"$"}{COLL}")),
     "servers": [a.get("code") for a in s.assignments("Volume", vol["id"])],
     "acl": len(s.access("Folder", s.find_one("Folder WHERE code=e2e_show")["id"]))})
`.replace("${COLL}", ids.coll),
    )) as Record<string, unknown>;
    assert.equal(seen.vol, ids.vol);
    assert.deepEqual(seen.paths, { linux: "/mnt/e2e", windows: "E:" });
    assert.equal(seen.folder, "shows/show");
    assert.deepEqual(seen.files, ["folder=e2e_show/b.mov", "volume=e2e_projects/docs/a.pdf"]);
    assert.ok(
      (seen.servers as string[]).includes("sto-server"),
      `assignments: ${JSON.stringify(seen.servers)}`,
    );
    assert.equal(seen.acl, 1, "one ACL for the user on the folder, holding both path rules");
  });

  it("a second preview reports no changes", async () => {
    const plan = await stack.preview();
    assert.deepEqual(Object.keys(plan.changeSummary), ["same"], JSON.stringify(plan.changeSummary));
  });

  it("a change made with the official client shows in a plain preview and up reverts it", async () => {
    await py(`s = Session(); s.update("Volume", "${ids.vol}", {"name": "Renamed by hand"}); out(True)`);
    const plan = await stack.preview();
    assert.equal(opsByName(plan.steps).vol, "update", JSON.stringify(opsByName(plan.steps)));
    await stack.up();
    const name = await py(`s = Session(); out(s.find_one("Volume WHERE id=${ids.vol}")["name"])`);
    assert.equal(name, "E2E Projects");
  });

  it("a rename is planned as an update, a new path as a replace", async () => {
    await setResources(workspace({ folderName: "Show (renamed)" }));
    assert.equal(opsByName((await stack.preview()).steps).show, "update");
    await setResources(workspace({ folderPath: "shows/show-v2" }));
    assert.equal(opsByName((await stack.preview()).steps).show, "replace");
    await setResources(workspace());
  });

  it("changing a grant's rules updates its one ACL in place", async () => {
    const rules: Rule[] = [
      { path: "/", read: true },
      { path: "delivery", read: true, write: true },
    ];
    await setResources(workspace({ rules }));
    assert.equal(opsByName((await stack.preview()).steps).vendor, "update");
    await stack.up();
    // The official client's access() keeps only the first rule of an ACL, so read it raw.
    const acls = (await client.access("Folder", ids.show)) as unknown as { paths: Rule[] }[];
    assert.equal(acls.length, 1, "still one ACL for the user on the folder");
    const held = acls[0]!.paths.map((r) => [r.path, r.read, r.write]).sort();
    assert.deepEqual(held, [
      ["/", true, false],
      ["delivery", true, true],
    ]);
    await setResources(workspace());
    await stack.up();
  });

  it("a replacement never restores the old location under the same code; it says how to proceed", async () => {
    const moved = workspace({ folderPath: "shows/show-v2" }).filter(
      (d) => d.name !== "vendor" && d.name !== "coll",
    );
    await setResources(moved);
    const refused = await stack.up().then(
      () => "up succeeded",
      (e: Error) => e.message,
    );
    assert.match(refused, /code 'e2e_show' belongs to the deactivated Folder 'Show' at 'shows\/show'/);
    assert.match(refused, /deletionPolicy: "delete"/);
    const live = await py(
      `s = Session(); out([f["path"] for f in s.find("Folder WHERE code=e2e_show", inactive=True)])`,
    );
    assert.deepEqual(live, ["shows/show"], "the old folder was not moved or restored under the new path");
    await setResources(workspace());
    await stack.up();
    ids = (await stack.outputs()).ids as Record<string, string>;
  });

  it("refresh after an out-of-band delete drops the resource from state, and up recreates it", async () => {
    await py(`s = Session(); s.delete_one("Collection", "${ids.coll}"); out(True)`);
    assert.equal(
      opsByName((await stack.preview()).steps).coll,
      "replace",
      "a plain preview plans to re-create it",
    );
    await stack.refresh();
    const state = JSON.parse(await stack.exportState()) as { deployment: { resources: { id?: string }[] } };
    const stateIds = state.deployment.resources.map((r) => r.id);
    assert.ok(stateIds.includes(ids.show), "the folder is still in the state");
    assert.ok(!stateIds.includes(ids.coll), "the deleted collection left the state");
    await stack.up();
    const after = (await stack.outputs()).ids as Record<string, string>;
    assert.notEqual(after.coll, ids.coll);
    ids = after;
  });

  it("a share deactivated by hand is restored by a plain up, keeping its id", async () => {
    await py(`s = Session(); s.deactivate_one("Folder", "${ids.show}"); out(True)`);
    await stack.up();
    const active = await py(`s = Session(); out([f["id"] for f in s.find("Folder WHERE code=e2e_show")])`);
    assert.deepEqual(active, [ids.show]);
    assert.equal(((await stack.outputs()).ids as Record<string, string>).show, ids.show);
  });

  it("the state holds no API key, and the provider stored per resource stays small", async () => {
    const state = await stack.exportState();
    assert.ok(!state.includes(admin.apiKey), "API key found in stack export");
    const parsed = JSON.parse(state) as { deployment: { resources: { inputs?: { __provider?: string } }[] } };
    const sizes = parsed.deployment.resources
      .map((r) => r.inputs?.__provider?.length ?? 0)
      .filter((n) => n > 0);
    const max = Math.max(...sizes);
    console.log(`      serialized provider per resource: max ${max} bytes over ${sizes.length} resources`);
    assert.ok(max <= 4096, `serialized provider is ${max} bytes`);
  });

  it("destroy deactivates (restorable), and a later up restores the same entities", async () => {
    await stack.destroy();
    const inactive = (await py(`
s = Session()
out({"vol": [v["id"] for v in s.find("Volume WHERE code=e2e_projects", inactive=True)],
     "active": [v["id"] for v in s.find("Volume WHERE code=e2e_projects")]})
`)) as { vol: string[]; active: string[] };
    assert.deepEqual(inactive.vol, [ids.vol], "the volume still exists, deactivated");
    assert.deepEqual(inactive.active, [], "and is no longer active");
    await stack.up();
    const again = (await stack.outputs()).ids as Record<string, string>;
    assert.equal(again.vol, ids.vol, "same volume id after restore");
    assert.equal(again.show, ids.show, "same folder id after restore");
  });

  it("adopt takes over a volume created beforehand with the official client, with no duplicate", async () => {
    const made = (await py(`
s = Session()
srv = s.find_one("Server WHERE code=hq-server")
v = s.create("Volume", {"name": "Legacy", "code": "legacy", "paths": {"linux": "/mnt/legacy"}, "server": srv["id"]})
out(v["id"])
`)) as string;
    const legacy: Decl = {
      type: "Volume",
      name: "legacy",
      args: {
        name: "Legacy (managed)",
        code: "legacy",
        paths: { linux: "/mnt/legacy" },
        server: "hq-server",
      },
    };
    await setResources(workspace({ extra: [legacy] }));
    const refused = await stack.up().then(
      () => undefined,
      (e: Error) => e.message,
    );
    assert.ok(
      refused && /already exists/.test(refused) && /adopt/.test(refused),
      `expected a collision: ${refused}`,
    );
    await setResources(workspace({ extra: [{ ...legacy, args: { ...legacy.args, adopt: true } }] }));
    await stack.up();
    const out = (await stack.outputs()).ids as Record<string, string>;
    assert.equal(out.legacy, made);
    const vols = (await py(
      `s = Session(); out([v["name"] for v in s.find("Volume WHERE code=legacy", inactive=True)])`,
    )) as string[];
    assert.deepEqual(vols, ["Legacy (managed)"]);
  });
});

describe("provider: invalid input fails the preview before any API call", function () {
  this.timeout(300_000);
  let server: TestServer;
  let stack: PulumiStack;

  before(async () => {
    server = await startTestServer();
    const admin = server.credentials("admin");
    stack = new PulumiStack(FIXTURE, "invalid");
    await initAccsynStack(stack, server, admin);
  });
  after(async () => {
    await stack?.removeStack();
    await server?.close();
  });

  for (const [label, decl, field] of [
    [
      "an absolute folder path",
      { type: "Folder", name: "bad", args: { name: "Bad", volume: "projects", path: "/etc/x" } },
      "path",
    ],
    [
      "a '..' in a folder path",
      { type: "Folder", name: "bad", args: { name: "Bad", volume: "projects", path: "a/../b" } },
      "path",
    ],
    [
      "an absolute collection file",
      { type: "Collection", name: "bad", args: { name: "B", code: "b", files: ["/mnt/x"] } },
      "files.0",
    ],
    [
      "a rule with neither read nor write",
      {
        type: "Grant",
        name: "bad",
        args: { user: "a@b.c", share: "x", shareType: "Folder", rules: [{ path: "/" }] },
      },
      "rules.0",
    ],
    [
      "a status accsyn does not let you set",
      {
        type: "Volume",
        name: "bad",
        args: { name: "B", code: "b", paths: { linux: "/b" }, status: "offline" },
      },
      "status",
    ],
  ] as const) {
    it(`rejects ${label}, naming the field`, async () => {
      await stack.setConfig("e2e:resources", JSON.stringify([decl]));
      await server.resetCounters();
      const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
      assert.notEqual(res.code, 0, "preview must fail");
      const text = res.stdout + res.stderr;
      assert.match(text, new RegExp(`field '${field.replace(".", "\\.")}'`), text);
      assert.match(text, /Fix:/, "the error says how to fix it");
      assert.equal((await server.counters()).total, 0, "no API call was made");
    });
  }
});

describe("provider: guard rails", function () {
  this.timeout(300_000);
  let server: TestServer;
  let stack: PulumiStack;
  let admin: { code: string; apiKey: string };

  before(async () => {
    server = await startTestServer();
    admin = server.credentials("admin");
    stack = new PulumiStack(FIXTURE, "guards");
    await initAccsynStack(stack, server, admin);
  });
  after(async () => {
    await stack?.removeStack();
    await server?.close();
  });

  const vol: Decl = {
    type: "Volume",
    name: "vol",
    args: { name: "Guards", code: "guards", paths: { linux: "/mnt/guards" }, server: "hq-server" },
  };
  const folder: Decl = {
    type: "Folder",
    name: "drop",
    args: { name: "Drop", code: "drop", volume: "@vol", path: "drop" },
  };

  it("two Grants for the same user and share fail the preview, naming both", async () => {
    const grant = (name: string): Decl => ({
      type: "Grant",
      name,
      args: {
        user: "standard@example.com",
        share: "guards",
        shareType: "Volume",
        rules: [{ path: "/", read: true }],
      },
    });
    await stack.setConfig("e2e:resources", JSON.stringify([grant("reader-a"), grant("reader-b")]));
    const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
    assert.notEqual(res.code, 0);
    assert.match(
      res.stdout + res.stderr,
      /Grants '(reader-a|reader-b)' and '(reader-a|reader-b)' both claim user/,
    );
  });

  it("destroy refuses to deactivate a share an active transfer uses, and says how to proceed", async () => {
    await stack.setConfig("e2e:resources", JSON.stringify([vol, folder]));
    await stack.up();
    const py = (script: string) => runPython(script, pySession(server, admin));
    const job = (await py(
      `s = Session(); t = s.create("Transfer", {"source": "share=drop/plates/sh010.exr", "destination": "/tmp/in", "status": "paused"}); out(t["id"])`,
    )) as string;
    const blocked = await stack.destroy().then(
      () => "destroy succeeded",
      (e: Error) => e.message,
    );
    assert.match(blocked, new RegExp(job), "the error lists the job");
    assert.match(blocked, /Abort or finish those jobs/);
    await py(`s = Session(); s.update("Transfer", "${job}", {"status": "aborted"}); out(True)`);
    await stack.destroy();
    const left = (await py(
      `s = Session(); out([f["inactive"] for f in s.find("Folder WHERE code=drop", inactive=True)])`,
    )) as boolean[];
    assert.deepEqual(left, [true], "the folder is deactivated, not deleted");
  });
});

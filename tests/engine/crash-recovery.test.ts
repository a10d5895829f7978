import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Wire } from "../emulator/wire";
import type { FaultRule } from "../helpers/server";
import { type Decl, type WorkspaceStack, useEngine } from "./harness";

// scripts/pulumi-env.js is plain CommonJS shared with the npm scripts; it is not compiled.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pulumiEnv } = require("../../../scripts/pulumi-env.js") as {
  pulumiEnv(opts?: { backendDir?: string }): NodeJS.ProcessEnv;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Volumes, a server assignment, folders, a collection and grants of two paths each (a killed grant
 * can be half done).
 */
function workspace(): Decl[] {
  const decls: Decl[] = [];
  for (let v = 0; v < 2; v++) {
    decls.push({
      type: "Volume",
      name: `v${v}`,
      args: { name: `Recovery ${v}`, code: `cr_v${v}`, paths: { linux: `/mnt/cr${v}` }, server: "hq-server" },
    });
  }
  for (let f = 0; f < 6; f++) {
    decls.push({
      type: "Folder",
      name: `f${f}`,
      args: {
        name: `Show ${f}`,
        code: `cr_f${f}`,
        volume: `@v${f % 2}`,
        path: `shows/s${f}`,
        metadata: { show: f },
      },
    });
  }
  // An assignment has no id or metadata of its own: assigning it again changes nothing.
  decls.push({ type: "VolumeServer", name: "v1-sto", args: { volume: "@v1", server: "sto-server" } });
  decls.push({
    type: "Collection",
    name: "c0",
    args: { name: "Recovery onboarding", code: "cr_c0", files: ["folder=cr_f0/a.mov"] },
    dependsOn: ["f0"],
  });
  for (let g = 0; g < 3; g++) {
    decls.push({
      type: "Grant",
      name: `g${g}`,
      args: {
        user: "standard@example.com",
        share: `@f${g}`,
        rules: [
          { path: "/", read: true },
          { path: "upload", write: true },
        ],
        notify: false,
      },
    });
  }
  return decls;
}

/** What accsyn holds: shares by code (all, inactive included) and ACLs by user, share and path. */
interface Live {
  shares: { type: string; id: string; code: string }[];
  acls: { id: string; key: string }[];
}

async function live(wire: Wire): Promise<Live> {
  const shares: Live["shares"] = [];
  for (const type of ["Volume", "Folder", "Collection"]) {
    const found = (await wire.result("GET", `${type.toLowerCase()}/find`, {
      query: "code=*",
      data: { inactive: true },
    })) as { id: string; code: string; archived?: boolean }[];
    shares.push(...found.filter((e) => e.archived !== true).map((e) => ({ type, id: e.id, code: e.code })));
  }
  const acls = (await wire.result("GET", "acl/find", { query: "acl" })) as Record<string, unknown>[];
  return {
    shares,
    acls: acls.map((a) => ({ id: String(a.id), key: JSON.stringify([a.entity, a.target, a.path]) })),
  };
}

/**
 * README step for file backends: a kill while Pulumi writes a state file can leave its `.attrs`
 * sidecar empty (gocloud's fileblob truncates it in place before the atomic rename of the file
 * itself), and every command then fails "failed to load checkpoint: EOF". The file beside it is the
 * last complete version; without the sidecar, Pulumi reads it. Returns the files removed.
 */
function removeEmptySidecars(backendDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".attrs") && fs.statSync(file).size === 0) {
        fs.rmSync(file);
        removed.push(path.relative(backendDir, file));
      }
    }
  };
  walk(path.join(backendDir, ".pulumi"));
  return removed;
}

function duplicates(keys: string[]): string[] {
  return keys.filter((k, i) => keys.indexOf(k) !== i);
}

/** The state's resources (from `stack export`): accsyn id and outputs, by resource name. */
async function stateOf(
  stack: WorkspaceStack,
): Promise<Record<string, { id: string; acls?: { id: string }[] }>> {
  const exported = JSON.parse(await stack.exportState()) as {
    deployment: { resources?: { urn: string; id?: string; outputs?: { acls?: { id: string }[] } }[] };
  };
  const out: Record<string, { id: string; acls?: { id: string }[] }> = {};
  for (const r of exported.deployment.resources ?? []) {
    if (!r.urn.includes("dynamic/accsyn:")) continue;
    out[r.urn.split("::").pop() as string] = {
      id: r.id ?? "",
      ...(r.outputs?.acls ? { acls: r.outputs.acls } : {}),
    };
  }
  return out;
}

describe("engine: recovering from a killed `pulumi up` (README Troubleshooting)", function () {
  this.timeout(300_000);
  const engine = useEngine();

  /** `pulumi up` in its own process group, SIGKILLed (the CLI and every child) once `ready` says so. */
  async function killedUp(
    stack: WorkspaceStack,
    faults: FaultRule[],
    ready: (byUri: Record<string, number>) => boolean,
  ) {
    await engine.server.setFaults(faults);
    const up = spawn(
      "pulumi",
      ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.stack],
      {
        cwd: stack.projectDir,
        env: pulumiEnv({ backendDir: stack.backendDir }),
        stdio: "ignore",
        detached: true,
      },
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!ready((await engine.server.counters()).byUri)) {
        assert.ok(Date.now() < deadline, "up reached the kill point");
        assert.equal(up.exitCode, null, "up is still running");
        await sleep(100);
      }
    } finally {
      process.kill(-(up.pid as number), "SIGKILL");
    }
    // Requests held by the injected latency still land after the kill: let them.
    await sleep(2500);
    await engine.server.setFaults([]);
  }

  const count = (byUri: Record<string, number>, uri: string): number =>
    Object.entries(byUri)
      .filter(([k]) => k.endsWith(` ${uri}`))
      .reduce((sum, [, v]) => sum + v, 0);

  /**
   * Kills `up` at one point, then follows the README procedure word for word and checks what a user
   * would: `up` completes, nothing is duplicated, what the killed run made is in the state under
   * the same id, and the next preview plans nothing.
   */
  async function killThenRecover(
    name: string,
    faults: FaultRule[],
    ready: (byUri: Record<string, number>) => boolean,
  ): Promise<{ output: string; made: Live }> {
    const decls = workspace();
    const stack = await engine.stack(name, decls);
    const wire = await Wire.login(engine.server, engine.admin);
    await killedUp(stack, faults, ready);
    // README, Troubleshooting: the file backend's empty sidecars first (rare: the kill must land
    // inside a state write), then cancel, clear the pending creates, up.
    const sidecars = removeEmptySidecars(stack.backendDir);
    if (sidecars.length > 0) console.log(`      (the kill left empty sidecars: ${sidecars.join(", ")})`);
    const made = await live(wire);
    const recorded = new Set(Object.values(await stateOf(stack)).map((r) => r.id));
    assert.ok(
      made.shares.some((s) => !recorded.has(s.id)) || made.acls.length > 0,
      "the killed run made entities its state does not record (else this scenario tests nothing)",
    );

    await stack.run(["cancel", "--yes", "--stack", stack.stack]);
    await stack.run([
      "refresh",
      "--clear-pending-creates",
      "--yes",
      "--skip-preview",
      "--stack",
      stack.stack,
    ]);
    const up = await stack.run(["up", "--yes", "--stack", stack.stack]);

    const after = await live(wire);
    assert.deepEqual(duplicates(after.shares.map((s) => `${s.type}:${s.code}`)), [], "no duplicate share");
    assert.deepEqual(duplicates(after.acls.map((a) => a.key)), [], "no duplicate ACL");
    const shareKinds = ["Volume", "Folder", "Collection"];
    assert.equal(
      after.shares.length,
      decls.filter((d) => shareKinds.includes(d.type)).length,
      "one share each",
    );
    assert.equal(after.acls.length, 6, "two ACLs per grant");
    const state = await stateOf(stack);
    for (const s of made.shares) {
      const decl = decls.find((d) => d.args.code === s.code);
      assert.ok(decl, `${s.code} is declared`);
      assert.equal(state[decl.name]?.id, s.id, `${decl.name}: the entity the killed run made, same id`);
    }
    const stateAcls = new Set(Object.values(state).flatMap((r) => (r.acls ?? []).map((a) => a.id)));
    for (const a of made.acls)
      assert.ok(stateAcls.has(a.id), `ACL ${a.id} the killed run made is in the state`);
    const { changeSummary } = await stack.preview();
    assert.deepEqual(changeSummary, { same: decls.length + 1 }, "the next preview plans nothing");
    return { output: up.stdout + up.stderr, made };
  }

  it("killed during the volume creates: the next up takes the volumes over, no duplicate", async () => {
    const { output } = await killThenRecover(
      "crash-volumes",
      [{ uri: "volume/create", action: "latency", latencyMs: 1500 }],
      (byUri) => count(byUri, "volume/create") >= 2,
    );
    assert.match(
      output,
      /accsyn Volume 'v\d': takes over the Volume \(id [0-9a-f]{24}\) that an interrupted run/,
    );
  });

  it("killed midway through the folder creates and an assignment: the next up takes the made folders over, creates the rest", async () => {
    const { output } = await killThenRecover(
      "crash-folders",
      [
        { uri: "folder/create", action: "latency", latencyMs: 1200 },
        { uri: "share/server", action: "latency", latencyMs: 1200 },
      ],
      (byUri) => count(byUri, "folder/create") >= 3 && count(byUri, "share/server") >= 1,
    );
    assert.match(
      output,
      /accsyn Folder 'f\d': takes over the Folder \(id [0-9a-f]{24}\) that an interrupted run/,
    );
  });

  it("killed during the grants: the next up keeps the ACLs made (same ids) and grants the rest", async () => {
    // Grants come after their folders, so with slow ACL creates the kill lands among the grants.
    const { made } = await killThenRecover(
      "crash-grants",
      [{ uri: "acl/create", action: "latency", latencyMs: 1200 }],
      (byUri) => count(byUri, "acl/create") >= 2,
    );
    assert.ok(made.acls.length > 0, "the killed run granted something");
  });

  it("a share made by hand, or by another stack, with a declared natural key is still refused at preview", async () => {
    const wire = await Wire.login(engine.server, engine.admin);
    const server = (
      (await wire.result("GET", "server/find", { query: "code=hq-server" })) as { id: string }[]
    )[0];
    const makeVolume = async (code: string, metadata: Record<string, unknown>): Promise<string> => {
      const made = (await wire.result("POST", "volume/create", {
        data: {
          name: "Made elsewhere",
          code,
          paths: { linux: `/mnt/${code}` },
          server: server?.id,
          metadata,
        },
      })) as { id: string } | { id: string }[];
      return (Array.isArray(made) ? made[0]?.id : made.id) as string;
    };
    const refusal = (code: string, id: string) =>
      new RegExp(
        `code '${code}' is already taken by Volume 'Made elsewhere' \\(id ${id}\\)[^\\n]*Set 'adopt: true'`,
      );
    const previewOf = async (name: "v0" | "v1"): Promise<string> => {
      const stack = await engine.stack(
        `crash-hand-${name}`,
        workspace().filter((d) => d.name === name),
      );
      const res = await stack.run(["preview", "--stack", stack.stack], { allowFailure: true });
      assert.notEqual(res.code, 0, "preview fails");
      return res.stdout + res.stderr;
    };

    const byHand = await makeVolume("cr_v0", {});
    assert.match(await previewOf("v0"), refusal("cr_v0", byHand));

    // What another stack of this project writes when it creates its own v1 (the in-process marker
    // tests make it through a real create): not this stack's.
    const theirs = await makeVolume("cr_v1", {
      "pulumi-accsyn": { resource: `accsyn-e2e/other-${process.pid}/Volume/v1` },
    });
    assert.match(await previewOf("v1"), refusal("cr_v1", theirs));
  });
});

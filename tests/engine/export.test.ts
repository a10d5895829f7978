import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Population, ROUND_TRIP, populate } from "../helpers/populate";
import { PulumiStack, REPO_ROOT, initAccsynStack } from "../helpers/pulumi";
import { type TestServer, startTestServer } from "../helpers/server";
import { accsynExport, adminEnv, pulumiOnlyEnv } from "../helpers/populate-cli";

/** Resource name → accsyn id, from the `// id` / `# id` comments of an exported program. */
function declaredIds(dir: string, format: "ts" | "yaml"): Map<string, string> {
  const text = fs.readFileSync(path.join(dir, format === "ts" ? "index.ts" : "workspace.yaml"), "utf8");
  const pattern =
    format === "ts"
      ? /^\/\/ id (\S+)\n(?:const \w+ = )?new accsyn\.\w+\("([^"]+)"/gm
      : /^ {2}"?([^\s":]+)"?:\n {4}kind: \w+\n {4}# id (\S+)$/gm;
  const pairs = [...text.matchAll(pattern)].map((m) =>
    format === "ts" ? [m[2] as string, m[1] as string] : [m[1] as string, m[2] as string],
  );
  return new Map(pairs as [string, string][]);
}

/** Resource name → id in the stack's state (accsyn resources only). */
async function stateIds(stack: PulumiStack): Promise<Map<string, string>> {
  const state = JSON.parse(await stack.exportState()) as {
    deployment: { resources?: { urn: string; id?: string; type: string }[] };
  };
  return new Map(
    (state.deployment.resources ?? [])
      .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/accsyn:"))
      .map((r) => [r.urn.split("::").pop() as string, r.id as string]),
  );
}

describe("engine: accsyn-export round trip (a workspace made by the official Python client)", function () {
  this.timeout(900_000);
  let server: TestServer;
  let made: Population;
  const dirs: string[] = [];

  before(async () => {
    server = await startTestServer();
    made = await populate(server, ROUND_TRIP);
  });
  after(async () => {
    await server?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const format of ["ts", "yaml"] as const) {
    it(`--format ${format}: up adopts all 300+ resources with no change in accsyn, the next preview plans nothing`, async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `accsyn-export-${format}-`));
      dirs.push(dir);
      const res = await accsynExport(["--out", dir, "--format", format], adminEnv(server));
      assert.equal(res.code, 0, res.stderr);
      // The project resolves pulumi-accsyn and @pulumi/pulumi as an installed one would.
      fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");

      const declared = declaredIds(dir, format);
      assert.equal(declared.size, made.total, "one resource per active entity, each with its id");
      assert.ok(made.total >= 300, `${made.total} resources`);
      for (const [code, id] of Object.entries(made.ids)) {
        assert.ok([...declared.values()].includes(id), `${code} (${id}) is declared`);
      }

      const stack = new PulumiStack(dir, `export-${format}`);
      try {
        await initAccsynStack(stack, server, server.credentials("admin"));
        await server.resetCounters();
        const t0 = Date.now();
        await stack.up();
        const t1 = Date.now();
        const { byUri } = await server.counters();
        const writes = Object.entries(byUri).filter(([k]) => !k.startsWith("GET ") && k !== "PUT api/login");
        assert.deepEqual(
          writes,
          [],
          "no create, update, grant or assignment: everything was adopted as it is",
        );

        const ids = await stateIds(stack);
        assert.equal(ids.size, made.total);
        for (const [name, id] of declared) assert.equal(ids.get(name), id, `${name} keeps its id`);

        if (format === "ts") {
          // --stack: the same program from the stack's accsyn:* config (the key a secret), no ACCSYN_*.
          const viaStack = await accsynExport(["--stack", stack.stack], pulumiOnlyEnv(stack.backendDir), dir);
          assert.equal(viaStack.code, 0, viaStack.stderr);
          assert.equal(viaStack.stdout, fs.readFileSync(path.join(dir, "index.ts"), "utf8"));
        }
        const t2 = Date.now();
        const next = await stack.preview();
        if (process.env.SHOW_TIMES) console.log(`up ${t1 - t0} ms, preview ${Date.now() - t2} ms`);
        assert.deepEqual(Object.keys(next.changeSummary), ["same"], JSON.stringify(next.changeSummary));
      } finally {
        await stack.removeStack();
      }
    });
  }
});

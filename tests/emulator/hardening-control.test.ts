import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { seedCredentials, startTestServer } from "../helpers/server";
import { freePort, kill9, spawnCli, type Cli } from "./cli";
import { assertServed, snapshot, whileAttacking } from "./hardening";
import { Wire } from "./wire";

interface Reply {
  status: number;
  message: string;
}

describe("hardening: the control plane refuses what a web page can send (CLI process)", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cli: Cli;
  let port: number;
  let w: Wire;
  const admin = seedCredentials("admin");

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-hardening-c-"));
    port = await freePort();
    cli = await spawnCli(["--port", String(port), "--data", dataDir, "--control", "--rate-limit", "off"]);
    w = await Wire.login(cli, admin);
    await w.result("POST", "volume/create", {
      data: { name: "precious", code: "precious", paths: { linux: "/precious" } },
    });
  });
  after(async () => {
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function send(
    method: "GET" | "POST" | "PUT",
    sub: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Reply> {
    const res = await request(`${cli.url}/_accsyn-local/${sub}`, { method, headers, body });
    const text = await res.body.text();
    return { status: res.statusCode, message: String((JSON.parse(text) as { message?: string }).message) };
  }

  const SEED = JSON.stringify({
    seed: { workspace: "demo", users: [{ code: "evil@example.com", role: "admin", apiKey: "evil" }] },
  });

  it("what a page can POST cross-origin without a preflight (text/plain, a form) cannot reset the database", async () => {
    const before = await snapshot(w);
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, async () => [
      await send("POST", "reset", { "content-type": "text/plain", origin: "http://evil.example" }, SEED),
      await send("POST", "reset", { "content-type": "text/plain" }, SEED),
      await send("POST", "reset", { "content-type": "application/x-www-form-urlencoded" }, "seed=x"),
      await send("POST", "reset", {}, SEED),
      await send("PUT", "faults", { "content-type": "text/plain" }, '[{"action":"unavailable"}]'),
    ]);
    const [textOrigin, text, form, none, faults] = watch.result;
    assert.equal(textOrigin.status, 403, textOrigin.message);
    assert.match(textOrigin.message, /cross-origin/);
    for (const r of [text, form, none, faults]) {
      assert.equal(r.status, 415, r.message);
      assert.match(r.message, /Content-Type: application\/json/);
    }
    assertServed("cross-origin control requests", watch, { growthMiB: 32, totalMiB: 128 });
    assert.equal(await snapshot(w), before, "the database was not reset");
    const faultsNow = await request(`${cli.url}/_accsyn-local/faults`);
    assert.deepEqual(await faultsNow.body.json(), [], "no fault rule was installed");
  });

  it("a JSON request from another origin, site or a foreign Host (DNS rebinding) is refused", async () => {
    const before = await snapshot(w);
    const json = { "content-type": "application/json" };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...json, origin: "http://evil.example" }, /cross-origin/],
      [{ ...json, origin: `http://localhost:${port + 1}` }, /cross-origin/],
      [{ ...json, origin: "null" }, /cross-origin/],
      [{ ...json, "sec-fetch-site": "cross-site" }, /cross-site/],
      [{ ...json, host: `evil.example:${port}` }, /localhost or an IP address/],
    ];
    for (const [headers, why] of cases) {
      const r = await send("POST", "reset", headers, SEED);
      assert.equal(r.status, 403, `${JSON.stringify(headers)}: ${r.message}`);
      assert.match(r.message, why);
    }
    const read = await send("GET", "counters", { host: `rebound.example:${port}` });
    assert.equal(read.status, 403, "a rebound page cannot read the counters either");
    assert.equal(await snapshot(w), before, "the database was not reset");
  });

  it("the same request from a local tool (JSON, loopback Host, own or no Origin) still works", async () => {
    const ok = await send("PUT", "faults", { "content-type": "application/json; charset=utf-8" }, "[]");
    assert.equal(ok.status, 200);
    const sameOrigin = await send(
      "PUT",
      "faults",
      { "content-type": "application/json", origin: `http://localhost:${port}`, host: `localhost:${port}` },
      "[]",
    );
    assert.equal(sameOrigin.status, 200);
    const helper = await startTestServer();
    try {
      await helper.setFaults([{ uri: "volume/find", action: "unavailable" }]);
      assert.equal((await helper.faults()).length, 1);
      await helper.reset();
      assert.deepEqual(await helper.faults(), [], "the test helper's reset still goes through");
    } finally {
      await helper.close();
    }
  });
});

import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { seedCredentials, startTestServer } from "../helpers/server";
import { freePort, kill9, spawnCli, type Cli } from "./cli";
import { Wire, authHeaders, envelope, messageOf, raw } from "./wire";

describe("hardening: the caps are options of startServer and flags of the CLI", function () {
  this.timeout(60_000);
  const admin = seedCredentials("admin");

  it("startServer({ limits }) applies its own body and URL caps", async () => {
    const server = await startTestServer({ limits: { maxBodyBytes: 4096, maxUrlBytes: 8192 } });
    try {
      const w = await Wire.login(server, admin);
      const body = JSON.stringify({
        ...envelope(admin, w.session, "volume/find", {}),
        pad: "x".repeat(5000),
      });
      const big = await raw(server, "POST", "/api/v3/event", authHeaders(admin), body);
      assert.equal(big.status, 413, big.text);
      assert.match(messageOf(big), /4 KiB limit/);
      const long = await raw(server, "GET", `/api/v3/event?${"x".repeat(9000)}`, authHeaders(admin));
      assert.equal(long.status, 414, long.text);
      assert.match(messageOf(long), /8 KiB limit/);
      const ok = await w.send("GET", "volume/find", { data: {} });
      assert.equal(ok.status, 200, "requests within the caps still pass");
    } finally {
      await server.close();
    }
  });

  describe("CLI", () => {
    let dataDir: string;
    let cli: Cli | undefined;
    before(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-hardening-o-"));
    });
    after(async () => {
      if (cli) await kill9(cli);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("--max-body 2KiB refuses a 3 KB body with a 413 naming the cap", async () => {
      const port = await freePort();
      cli = await spawnCli([
        "--port",
        String(port),
        "--data",
        dataDir,
        "--rate-limit",
        "off",
        "--max-body",
        "2KiB",
      ]);
      const w = await Wire.login(cli, admin);
      const body = JSON.stringify({
        ...envelope(admin, w.session, "volume/find", {}),
        pad: "x".repeat(3000),
      });
      const r = await raw(cli, "POST", "/api/v3/event", authHeaders(admin), body);
      assert.equal(r.status, 413, r.text);
      assert.match(messageOf(r), /2 KiB limit/);
    });

    it("an invalid size is refused at start with the usage", async () => {
      await assert.rejects(
        spawnCli(["--port", "0", "--max-inflated", "lots"]),
        /Invalid --max-inflated 'lots'/,
      );
    });
  });
});

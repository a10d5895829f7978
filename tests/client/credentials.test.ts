import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as util from "node:util";

import {
  AccsynClient,
  ApiKey,
  isAccsynUsageError,
  lookupPath,
  normalizeOrigin,
  originFromLookup,
  parseEnvFile,
  parseProxy,
  redact,
  resolveCredentials,
  resolveEndpoint,
} from "pulumi-accsyn/client";
import { startRecorder } from "./recorder";

describe("client credentials and endpoint", () => {
  it("prefers explicit options, then the env file, then the environment", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-cred-"));
    try {
      const file = path.join(dir, ".env");
      fs.writeFileSync(file, "# comment\nACCSYN_API_USER='file@x'\nACCSYN_API_KEY=\"filekey\"\n\nJUNK\n");
      const env = {
        ACCSYN_DOMAIN: "dom",
        ACCSYN_ORG: "org",
        ACCSYN_API_USER: "env@x",
        ACCSYN_API_KEY: "envkey",
        ACCSYN_CREDENTIALS_PATH: file,
      };
      const c = resolveCredentials({ env });
      assert.equal(c.workspace, "dom");
      assert.equal(c.user, "file@x");
      assert.equal(redact("filekey", c.apiKey), "[redacted]");
      const d = resolveCredentials({ env, workspace: "ws", user: "opt@x", apiKey: "optkey" });
      assert.equal(d.workspace, "ws");
      assert.equal(d.user, "opt@x");
      const e = resolveCredentials({
        env: {
          ACCSYN_WORKSPACE: "w",
          ACCSYN_ORG: "o",
          ACCSYN_API_USER: "u",
          ACCSYN_API_KEY: "k",
          ACCSYN_PROXY: "accsyn:h:1",
        },
      });
      assert.equal(e.workspace, "w");
      assert.equal(e.proxy, "accsyn:h:1");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names what is missing, never a value", () => {
    assert.throws(
      () => resolveCredentials({ env: { ACCSYN_API_KEY: "supersecret" } }),
      (err: unknown) =>
        isAccsynUsageError(err) &&
        /workspace/.test(err.message) &&
        /user/.test(err.message) &&
        !err.message.includes("supersecret"),
    );
    assert.throws(
      () => resolveCredentials({ env: { ACCSYN_CREDENTIALS_PATH: "/nonexistent/.env" } }),
      isAccsynUsageError,
    );
  });

  it("parses .env files like the official client", () => {
    assert.deepEqual(parseEnvFile(" A = 1 \n#B=2\nC='x=y'\nD=\"q\"\nE\n"), { A: "1", C: "x=y", D: "q" });
  });

  it("keeps the key out of inspect, JSON and string forms", () => {
    const k = new ApiKey("hunter2-key");
    assert.ok(!util.inspect(k).includes("hunter2"));
    assert.ok(!JSON.stringify({ k }).includes("hunter2"));
    assert.ok(!String(k).includes("hunter2"));
    assert.deepEqual(Object.keys(k), []);
    const c = new AccsynClient({
      endpoint: "http://127.0.0.1:1",
      workspace: "w",
      user: "u",
      apiKey: "hunter2-key",
      env: {},
    });
    assert.ok(!util.inspect(c, { depth: 10, showHidden: true }).includes("hunter2"));
    assert.ok(!JSON.stringify(c).includes("hunter2"));
    assert.ok(
      !redact(`x ${Buffer.from("hunter2-key").toString("base64")} y hunter2-key`, k).includes("hunter2"),
    );
  });

  it("resolves the endpoint: explicit, proxy, then workspace lookup", async () => {
    assert.equal(normalizeOrigin("http://127.0.0.1:8181/"), "http://127.0.0.1:8181");
    assert.equal(normalizeOrigin("https://x.accsyn.com"), "https://x.accsyn.com:443");
    assert.equal(parseProxy("accsyn:127.0.0.1:9000"), "http://127.0.0.1:9000");
    assert.equal(parseProxy("host:81"), "http://host:81");
    assert.equal(parseProxy("host"), "http://host:80");
    assert.throws(() => parseProxy("socks:h:1"), isAccsynUsageError);
    assert.equal(
      lookupPath("demo"),
      `/api/v3/J3PKTtDvolDMBtTy6AFGA?${encodeURIComponent('{"ident":"demo"}')}`,
    );
    assert.equal(
      originFromLookup({ result: { hostname: "demo.accsyn.com", port: 443 } }, "demo"),
      "https://demo.accsyn.com:443",
    );
    const seen: string[] = [];
    const origin = await resolveEndpoint({ masterUrl: "http://127.0.0.1:5" }, "demo", async (m, p) => {
      seen.push(m + p);
      return { result: { hostname: "h", port: 8443 } };
    });
    assert.equal(origin, "https://h:8443");
    assert.equal(
      seen[0],
      `http://127.0.0.1:5/api/v3/J3PKTtDvolDMBtTy6AFGA?${encodeURIComponent('{"ident":"demo"}')}`,
    );
    assert.equal(
      await resolveEndpoint({ endpoint: "http://a:1", proxy: "b:2" }, "w", async () => ({})),
      "http://a:1",
    );
    assert.equal(await resolveEndpoint({ proxy: "accsyn:b:2" }, "w", async () => ({})), "http://b:2");
  });

  it("performs the master lookup without credentials over HTTP", async () => {
    const rec = await startRecorder(() => ({
      status: 200,
      body: { result: { hostname: "127.0.0.1", port: 1 } },
    }));
    try {
      const c = new AccsynClient({
        masterUrl: rec.url,
        workspace: "demo",
        user: "u",
        apiKey: "lookupkey",
        env: {},
        retry: { maxRetries: 0 },
      });
      await assert.rejects(c.login());
      assert.equal(rec.requests.length, 1);
      const r = rec.requests[0];
      assert.equal(r.method, "GET");
      assert.equal(r.url, lookupPath("demo"));
      assert.equal(r.headers.authorization, undefined);
      assert.equal(c.endpoint, "https://127.0.0.1:1");
      await c.close();
    } finally {
      await rec.close();
    }
  });
});

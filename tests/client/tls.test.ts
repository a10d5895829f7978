import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

import { AccsynClient, isAccsynNetworkError, lookupPath } from "pulumi-accsyn/client";

/** A self-signed certificate for 127.0.0.1, made with openssl; undefined when openssl is missing. */
function selfSigned(): { key: string; cert: string } | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "accsyn-tls-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return {
      key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"),
      cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"),
    };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("client over https: workspace lookup on the master, then the workspace host", function () {
  this.timeout(60_000);
  const tls = selfSigned();
  let server: https.Server;
  let port = 0;
  const seen: string[] = [];

  before(async function () {
    if (!tls) this.skip();
    server = https.createServer({ key: tls?.key, cert: tls?.cert }, (req, res) => {
      seen.push(`${req.method} ${(req.url ?? "").split("?")[0]}`);
      req.resume();
      req.on("end", () => {
        res.setHeader("content-type", "application/json");
        if ((req.url ?? "").startsWith("/api/v3/J3PKTtDvolDMBtTy6AFGA")) {
          res.end(JSON.stringify({ result: { hostname: "127.0.0.1", port } }));
        } else if ((req.url ?? "").startsWith("/api/v3/api/login")) {
          res.end(
            JSON.stringify({ result: { role: "admin", id: "0123456789abcdef01234567", session_id: "s" } }),
          );
        } else {
          res.end(JSON.stringify({ result: [] }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it("resolves https://host:port from the lookup and talks TLS with a trusted CA", async () => {
    const c = new AccsynClient({
      masterUrl: `https://127.0.0.1:${port}`,
      workspace: "demo",
      user: "u@x",
      apiKey: "tls-key",
      env: {},
      tls: { ca: tls?.cert },
    });
    assert.deepEqual(await c.find("Volume"), []);
    assert.equal(c.endpoint, `https://127.0.0.1:${port}`);
    assert.deepEqual(seen, [
      `GET ${lookupPath("demo").split("?")[0]}`,
      "PUT /api/v3/api/login",
      "GET /api/v3/event",
    ]);
    await c.close();
  });

  it("refuses an untrusted certificate by default", async () => {
    const c = new AccsynClient({
      endpoint: `https://127.0.0.1:${port}`,
      workspace: "demo",
      user: "u@x",
      apiKey: "tls-key",
      env: {},
      retry: { maxRetries: 0 },
    });
    await assert.rejects(
      c.login(),
      (e: unknown) => isAccsynNetworkError(e) && !e.message.includes("tls-key"),
    );
    await c.close();
  });
});

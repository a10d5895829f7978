import * as assert from "node:assert/strict";
import * as util from "node:util";

import { DEMO_SEED, startServer } from "accsyn-local";
import {
  AccsynClient,
  AccsynLogEvent,
  isAccsynAuthError,
  isAccsynError,
  isAccsynHttpError,
  isAccsynNetworkError,
} from "pulumi-accsyn/client";
import { demoUser, Running } from "./local";
import { startRecorder } from "./recorder";

const KEY = "Sup3r-Secret-Key-7f1c";
const FORMS = [KEY, Buffer.from(KEY).toString("base64"), encodeURIComponent(KEY)];

/** Every way a secret could escape an object. */
function exposures(v: unknown): string {
  const parts = [
    util.inspect(v, { depth: 20, showHidden: true, getters: true }),
    JSON.stringify(v) ?? "",
    String(v),
  ];
  if (v instanceof Error) {
    parts.push(v.message, v.stack ?? "");
    for (const k of Reflect.ownKeys(v))
      parts.push(util.inspect((v as unknown as Record<PropertyKey, unknown>)[k], { depth: 20 }));
  }
  return parts.join("\n");
}

function assertNoKey(v: unknown, what: string): void {
  const text = exposures(v);
  for (const f of FORMS) assert.ok(!text.includes(f), `${what} leaks the key (${f})`);
}

describe("client secrets never leak", function () {
  this.timeout(60_000);
  let server: Running;
  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
  });
  after(async () => server?.stop());

  it("bad credentials: the 401 error, logs, inspect and JSON hold no key", async () => {
    const events: AccsynLogEvent[] = [];
    const c = new AccsynClient({
      endpoint: server.url,
      workspace: DEMO_SEED.workspace,
      user: demoUser("admin").code,
      apiKey: KEY,
      env: {},
      logger: (e) => events.push(e),
    });
    let caught: unknown;
    try {
      await c.find("Volume");
    } catch (e) {
      caught = e;
    }
    assert.ok(isAccsynAuthError(caught), String(caught));
    assert.equal(caught.status, 401);
    assert.equal(caught.operation, "api/login");
    assertNoKey(caught, "401 error");
    assertNoKey(events, "logger output");
    assertNoKey(c, "client");
    await c.close();
  });

  it("network errors hold no key", async () => {
    const c = new AccsynClient({
      endpoint: "http://127.0.0.1:1",
      workspace: "w",
      user: "u",
      apiKey: KEY,
      env: {},
      retry: { maxRetries: 0 },
    });
    let caught: unknown;
    try {
      await c.login();
    } catch (e) {
      caught = e;
    }
    assert.ok(isAccsynNetworkError(caught));
    assertNoKey(caught, "network error");
    assertNoKey(c, "client");
    await c.close();
  });

  it("a 500 that echoes the request headers is redacted", async () => {
    const rec = await startRecorder((r) =>
      r.url.includes("login")
        ? {
            status: 500,
            body: { message: `boom: ${String(r.headers.authorization)} ${KEY}`, exception: "trace" },
          }
        : { status: 500, body: {} },
    );
    const events: AccsynLogEvent[] = [];
    const c = new AccsynClient({
      endpoint: rec.url,
      workspace: "w",
      user: "u",
      apiKey: KEY,
      env: {},
      logger: (e) => events.push(e),
      retry: { maxRetries: 0 },
    });
    try {
      let caught: unknown;
      try {
        await c.login();
      } catch (e) {
        caught = e;
      }
      assert.ok(isAccsynHttpError(caught) && caught.status === 500);
      assert.ok(isAccsynError(caught) && caught.serverMessage?.includes("[redacted]"));
      assertNoKey(caught, "500 error");
      assertNoKey(events, "logger output");
      assertNoKey(c, "client");
    } finally {
      await c.close();
      await rec.close();
    }
  });

  it("a missing key is reported by name only, and the key from the environment stays hidden", () => {
    const c = new AccsynClient({
      endpoint: server.url,
      env: { ACCSYN_WORKSPACE: "demo", ACCSYN_API_USER: "u", ACCSYN_API_KEY: KEY },
    });
    assertNoKey(c, "client from env");
    assert.ok(!Object.values(c).some((v) => typeof v === "string" && v.includes(KEY)));
  });
});

import * as assert from "node:assert/strict";
import * as util from "node:util";

import {
  AccsynClient,
  AccsynLogEvent,
  ReadCoalescer,
  TokenBucket,
  backoffMs,
  isAccsynAuthError,
  isAccsynConflictError,
  isAccsynError,
  isAccsynHttpError,
  isAccsynNetworkError,
  isAccsynNotFoundError,
  isAccsynSchemaError,
  isAccsynTimeoutError,
  resolveRetryPolicy,
} from "pulumi-accsyn/client";
import { Answer, envelopeOf, LOGIN_OK, Recorded, startRecorder } from "./recorder";

const ID = "0123456789abcdef01234567";
const VOL = "abcdefabcdefabcdefabcdef";
const folder = (code: string): { id: string; code: string; [k: string]: unknown } => ({
  id: ID,
  code,
  name: code,
  status: "enabled",
  parent: VOL,
  path: `p/${code}`,
});

function client(url: string, extra: Record<string, unknown> = {}): AccsynClient {
  return new AccsynClient({
    endpoint: url,
    workspace: "w",
    user: "u@x",
    apiKey: "KEY-must-not-leak",
    env: {},
    retry: { minDelayMs: 5, maxDelayMs: 20 },
    ...extra,
  });
}

function uriOf(r: Recorded): string {
  return r.url.startsWith("/api/v3/api/login") ? "api/login" : String(envelopeOf(r).uri);
}

describe("client transport, errors and resilience", () => {
  it("token bucket allows the burst then paces at the rate", () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    assert.deepEqual([b.reserve(), b.reserve(), b.reserve()], [0, 0, 0]);
    assert.equal(b.reserve(), 100);
    assert.equal(b.reserve(), 200);
    now = 1000;
    assert.equal(b.reserve(), 0);
  });

  it("backoff is capped, exponential and jittered", () => {
    const p = resolveRetryPolicy({ minDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(
      backoffMs(1, p, () => 1),
      100,
    );
    assert.equal(
      backoffMs(3, p, () => 1),
      400,
    );
    assert.equal(
      backoffMs(10, p, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(3, p, () => 0),
      200,
    );
  });

  it("maps statuses to the error taxonomy with structured fields", async () => {
    const statuses: Record<string, Answer> = {
      "folder/find": { status: 404, body: { message: "no such folder", message_hr: "No such folder!" } },
      "volume/find": { status: 409, body: { message: "taken" } },
      "user/find": { status: 403, body: { message: "forbidden" } },
      "site/find": { status: 400, body: { message: "bad" } },
      "server/find": { status: 200, body: { result: [{ id: "not-hex" }] } },
      "home/find": { status: 200, body: { exception: "Traceback..." } },
    };
    const rec = await startRecorder((r) => (r.url.includes("login") ? LOGIN_OK : statuses[uriOf(r)]));
    try {
      const c = client(rec.url);
      await assert.rejects(c.find("Folder"), (e: unknown) => {
        assert.ok(isAccsynNotFoundError(e) && isAccsynHttpError(e) && isAccsynError(e));
        assert.equal(e.status, 404);
        assert.equal(e.serverMessage, "No such folder!");
        assert.equal(e.operation, "folder/find");
        assert.equal(e.entityType, "Folder");
        assert.equal(e.retryable, false);
        return true;
      });
      await assert.rejects(c.find("Volume"), isAccsynConflictError);
      await assert.rejects(c.find("User"), isAccsynAuthError);
      await assert.rejects(c.find("Site"), (e: unknown) => isAccsynHttpError(e) && e.status === 400);
      await assert.rejects(c.find("Server"), (e: unknown) => {
        assert.ok(isAccsynSchemaError(e));
        assert.equal(e.entityType, "Server");
        assert.equal(e.issues[0].path, "[0].id");
        return true;
      });
      await assert.rejects(c.find("Home"), (e: unknown) => isAccsynHttpError(e) && e.status === 500);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("retries reads on 429 (Retry-After), 502/503/504 and resets; logs attempts without headers", async () => {
    const script: Answer[] = [
      { status: 429, body: { message: "slow down" }, headers: { "retry-after": "0" } },
      { status: 503, body: { message: "unavailable" } },
      { destroy: true },
      { status: 502, raw: true, text: "<html>bad gateway</html>" },
      { status: 504, body: { message: "timeout" } },
      { status: 200, body: { result: [] } },
    ];
    let n = 0;
    const events: AccsynLogEvent[] = [];
    const rec = await startRecorder((r) => (r.url.includes("login") ? LOGIN_OK : script[n++]));
    try {
      const c = client(rec.url, { logger: (e: AccsynLogEvent) => events.push(e) });
      assert.deepEqual(await c.find("Volume"), []);
      assert.equal(rec.requests.filter((r) => uriOf(r) === "volume/find").length, 6);
      const final = events.filter((e) => e.type === "request" && e.uri === "volume/find");
      assert.equal(final.length, 1);
      assert.equal(final[0].status, 200);
      assert.equal(final[0].attempt, 6);
      assert.equal(events.filter((e) => e.type === "attempt").length, 5);
      const text = JSON.stringify(events) + util.inspect(events, { depth: 5 });
      assert.ok(!text.includes("KEY-must-not-leak"));
      assert.ok(!text.includes(Buffer.from("KEY-must-not-leak").toString("base64")));
      assert.ok(!/authorization/i.test(text));
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("gives up after maxRetries with the last server message", async () => {
    const rec = await startRecorder((r) =>
      r.url.includes("login") ? LOGIN_OK : { status: 503, body: { message: "down for maintenance" } },
    );
    try {
      const c = client(rec.url, { retry: { maxRetries: 2, minDelayMs: 1, maxDelayMs: 2 } });
      await assert.rejects(
        c.find("Volume"),
        (e: unknown) =>
          isAccsynHttpError(e) &&
          e.status === 503 &&
          e.retryable &&
          e.serverMessage === "down for maintenance",
      );
      assert.equal(rec.requests.length, 1 + 3);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("by default makes 9 attempts at a call that keeps failing, and 3 when nothing listens at the endpoint", async () => {
    const rec = await startRecorder((r) =>
      r.url.includes("login") ? LOGIN_OK : { status: 503, body: { message: "down for maintenance" } },
    );
    try {
      // the default counts, with short delays so the test stays fast
      const c = client(rec.url, { retry: { minDelayMs: 1, maxDelayMs: 2 } });
      await assert.rejects(c.find("Volume"), (e: unknown) => isAccsynHttpError(e) && e.status === 503);
      assert.equal(rec.requests.length, 1 + 9, "login, then 9 attempts");
      await c.close();
    } finally {
      await rec.close();
    }
    const attempts: string[] = [];
    const dead = client("http://127.0.0.1:1", {
      retry: { minDelayMs: 1, maxDelayMs: 2 },
      logger: (e: { type: string; code?: string }) => attempts.push(`${e.type} ${e.code ?? ""}`),
    });
    await assert.rejects(dead.find("Volume"), (e: unknown) => isAccsynNetworkError(e));
    assert.deepEqual(attempts, ["attempt ECONNREFUSED", "attempt ECONNREFUSED", "request ECONNREFUSED"]);
    await dead.close();
  });

  it("never blindly retries a create: a lost reply is reconciled by natural key", async () => {
    let created = false;
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      const e = envelopeOf(r);
      if (e.uri === "folder/create") {
        created = true;
        return { destroy: true };
      }
      if (e.uri === "folder/find") return { status: 200, body: { result: created ? [folder("abc")] : [] } };
      return { status: 200, body: { result: [] } };
    });
    try {
      const c = client(rec.url);
      const f = await c.create("Folder", { parent: VOL, path: "p/abc", name: "abc", code: "abc" });
      assert.equal(f.code, "abc");
      const uris = rec.requests.map(uriOf);
      assert.deepEqual(uris, ["api/login", "folder/create", "folder/find"]);
      assert.equal(envelopeOf(rec.requests[2]).query, 'code="abc"');
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("repeats a create that certainly did not run (503/429), and one whose lookup finds nothing", async () => {
    const script: Answer[] = [
      { status: 503, body: { message: "unavailable" } },
      { status: 429, body: { message: "throttled" }, headers: { "retry-after": "0" } },
      { destroy: true },
      { status: 200, body: { result: [folder("x")] } },
    ];
    let n = 0;
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      const e = envelopeOf(r);
      if (e.uri === "folder/create") return script[n++];
      return { status: 200, body: { result: [] } };
    });
    try {
      const c = client(rec.url);
      const f = await c.create("Folder", { parent: VOL, path: "p/x", name: "x" });
      assert.equal(f.code, "x");
      const uris = rec.requests.map(uriOf);
      assert.deepEqual(uris, [
        "api/login",
        "folder/create",
        "folder/create",
        "folder/create",
        "folder/find",
        "folder/create",
      ]);
      assert.equal(envelopeOf(rec.requests[4]).query, '(parent="abcdefabcdefabcdefabcdef") AND (path="p/x")');
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("a conflict after an ambiguous attempt is our own create: looked up, not reported", async () => {
    // the first create ran but its reply was lost, and the lookup came too early to see it
    let finds = 0;
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      const e = envelopeOf(r);
      if (e.uri === "folder/create") {
        return rec.requests.filter((x) => uriOf(x) === "folder/create").length === 1
          ? { destroy: true }
          : { status: 409, body: { message: "A share with code 'abc' already exists" } };
      }
      if (e.uri === "folder/find")
        return { status: 200, body: { result: finds++ === 0 ? [] : [folder("abc")] } };
      return { status: 200, body: { result: [] } };
    });
    try {
      const c = client(rec.url);
      const f = await c.create("Folder", { parent: VOL, path: "p/abc", name: "abc", code: "abc" });
      assert.equal(f.code, "abc");
      assert.deepEqual(rec.requests.map(uriOf), [
        "api/login",
        "folder/create",
        "folder/find",
        "folder/create",
        "folder/find",
      ]);
      assert.equal(c.stats().reconciles, 2);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("does not repeat a transfer create after an ambiguous failure", async () => {
    const rec = await startRecorder((r) => (r.url.includes("login") ? LOGIN_OK : { destroy: true }));
    try {
      const c = client(rec.url);
      await assert.rejects(
        c.create("Transfer", { source: "share=x/a", destination: "/tmp" }),
        isAccsynNetworkError,
      );
      assert.equal(rec.requests.length, 2);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("times out with AccsynTimeoutError and connection refused is a network error", async () => {
    const rec = await startRecorder((r) =>
      r.url.includes("login")
        ? LOGIN_OK
        : new Promise<Answer>((res) => setTimeout(() => res({ status: 200, body: { result: [] } }), 4000)),
    );
    try {
      const c = client(rec.url, { requestTimeoutMs: 300, retry: { maxRetries: 0 } });
      await assert.rejects(
        c.find("Volume"),
        (e: unknown) => isAccsynTimeoutError(e) && e.causeCode === "UND_ERR_HEADERS_TIMEOUT",
      );
      await c.close();
    } finally {
      await rec.close();
    }
    const dead = client("http://127.0.0.1:1", { retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 1 } });
    await assert.rejects(dead.find("Volume"), (e: unknown) => {
      assert.ok(isAccsynNetworkError(e));
      assert.equal(e.operation, "api/login");
      assert.ok(!JSON.stringify(e).includes("KEY-must-not-leak"));
      assert.ok(!util.inspect(e, { depth: 10, showHidden: true }).includes("KEY-must-not-leak"));
      return true;
    });
    await dead.close();
  });

  it("retries a read once after a timeout (timeoutRetries), not more", async () => {
    let n = 0;
    const slow = (): Promise<Answer> =>
      new Promise<Answer>((res) => setTimeout(() => res({ status: 200, body: { result: [] } }), 4000));
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      n++;
      return n === 1 || n >= 3 ? slow() : { status: 200, body: { result: [] } };
    });
    try {
      const c = client(rec.url, { requestTimeoutMs: 300 });
      assert.deepEqual(await c.find("Volume"), []);
      assert.equal(n, 2);
      await assert.rejects(c.find("Volume"), isAccsynTimeoutError);
      assert.equal(n, 4);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("a failure answered with HTTP 200 is classified from its text and never reconciled as ambiguous", async () => {
    const msgs: Record<string, string> = {
      "folder/create": "A share with code 'abc' already exists (folder TheProject)",
      "folder/delete": "Folder 0123 not found",
      "volume/create": "Invalid paths",
    };
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      const m = msgs[uriOf(r)];
      return m ? { status: 200, body: { message: m } } : { status: 200, body: { result: [folder("abc")] } };
    });
    try {
      const c = client(rec.url);
      await assert.rejects(
        c.create("Folder", { parent: VOL, path: "p/abc", name: "abc", code: "abc" }),
        isAccsynConflictError,
      );
      assert.equal(await c.delete("Folder", ID, { missingOk: true }), false);
      await assert.rejects(
        c.create("Volume", { name: "v", paths: {} }),
        (e: unknown) => isAccsynHttpError(e) && e.status === 400,
      );
      assert.deepEqual(rec.requests.map(uriOf), [
        "api/login",
        "folder/create",
        "folder/delete",
        "volume/create",
      ]);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("a throwing logger never breaks a request; list() hands each caller its own array", async () => {
    const rec = await startRecorder((r) =>
      r.url.includes("login") ? LOGIN_OK : { status: 200, body: { result: [folder("a"), folder("b")] } },
    );
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on("warning", onWarning);
    try {
      const c = client(rec.url, {
        logger: () => {
          throw new Error("logger broke");
        },
      });
      const a = await c.list("Folder");
      a.length = 0;
      const b = await c.list("Folder");
      assert.equal(b.length, 2);
      assert.equal(rec.requests.length, 2);
      await new Promise((r) => setImmediate(r));
      assert.ok(warnings.some((w) => w.includes("logger broke")));
      await c.close();
    } finally {
      process.off("warning", onWarning);
      await rec.close();
    }
  });

  it("coalescer shares concurrent and fresh reads, invalidates on write, ttl 0 disables", async () => {
    let now = 0;
    const co = new ReadCoalescer({ ttlMs: 100, now: () => now });
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    const [a, b] = await Promise.all([co.get("Folder", "k", load), co.get("Folder", "k", load)]);
    assert.equal(a, 1);
    assert.equal(b, 1);
    assert.equal(await co.get("Folder", "k", load), 1);
    now = 150;
    assert.equal(await co.get("Folder", "k", load), 2);
    co.invalidate("Folder");
    assert.equal(await co.get("Folder", "k", load), 3);
    assert.equal(await co.get("Volume", "k", load), 4);
    const off = new ReadCoalescer({ ttlMs: 0 });
    await Promise.all([off.get("F", "k", load), off.get("F", "k", load)]);
    assert.equal(loads, 6);
    const failing = new ReadCoalescer({ ttlMs: 1000 });
    await assert.rejects(failing.get("F", "k", async () => Promise.reject(new Error("x"))));
    assert.equal(await failing.get("F", "k", async () => 7), 7);
  });

  it("coalescer: doubts keep the held list for peeks, make a whole-list read load again, and clear with it", async () => {
    const co = new ReadCoalescer({ ttlMs: 60_000 });
    let loads = 0;
    const load = async (): Promise<number> => ++loads;
    assert.equal(await co.get("User", "k", load), 1);
    co.suspect("User", ["A@X.example", "0123"], "active");
    co.suspect("Home", []);
    assert.deepEqual(
      [...co.suspected("User")],
      [
        ["a@x.example", "active"],
        ["0123", "active"],
      ],
    );
    assert.equal(co.suspected("Home").size, 0);
    assert.equal(await co.peek("User", "k"), 1);
    assert.equal(await co.get("User", "k", load), 2);
    assert.equal(co.suspected("User").size, 0);
    assert.equal(await co.get("User", "k", load), 2);
    co.suspect("User", ["b"]);
    co.invalidate("User");
    assert.equal(co.suspected("User").size, 0);
  });

  it("type guards recognise errors from another copy of the module", () => {
    const path = require.resolve("pulumi-accsyn/client/errors");
    const saved = require.cache[path];
    delete require.cache[path];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require(path) as typeof import("pulumi-accsyn/client/errors");
    if (saved) require.cache[path] = saved;
    const e = new other.AccsynNotFoundError("gone", {
      operation: "folder/find",
      status: 404,
      retryable: false,
    });
    assert.ok(isAccsynError(e) && isAccsynHttpError(e) && isAccsynNotFoundError(e));
    assert.ok(!isAccsynConflictError(e) && !isAccsynTimeoutError(e));
    const t = new other.AccsynTimeoutError("slow", { operation: "x", retryable: true });
    assert.ok(isAccsynTimeoutError(t) && !isAccsynHttpError(t) && !isAccsynNetworkError(t));
    assert.ok(!isAccsynError(new Error("plain")));
  });

  it("pages list reads with limit/skip when pageSize is set", async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ ...folder(`p${i}`), id: `${"0".repeat(23)}${i}` }));
    const rec = await startRecorder((r) => {
      if (r.url.includes("login")) return LOGIN_OK;
      const d = envelopeOf(r).data as { limit?: number; skip?: number };
      const skip = d.skip ?? 0;
      return { status: 200, body: { result: all.slice(skip, skip + (d.limit ?? all.length)) } };
    });
    try {
      const c = client(rec.url, { pageSize: 3 });
      const got = await c.list("Folder");
      assert.deepEqual(
        got.map((f) => f.code),
        all.map((f) => f.code),
      );
      const pages = rec.requests.slice(1).map((r) => envelopeOf(r).data);
      assert.deepEqual(pages, [
        { inactive: true, limit: 3 },
        { inactive: true, limit: 3, skip: 3 },
        { inactive: true, limit: 3, skip: 6 },
      ]);
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("AS_DEV=true points at 127.0.0.1:8181 over plain HTTP, like the official client", async () => {
    const c = new AccsynClient({
      workspace: "w",
      user: "u",
      apiKey: "k",
      env: { AS_DEV: "true" },
      retry: { maxRetries: 0 },
    });
    await c.login().catch(() => undefined);
    assert.equal(c.endpoint, "http://127.0.0.1:8181");
    await c.close();
  });
});

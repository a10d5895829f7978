import * as assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { request } from "undici";
import { DEMO_SEED, startServer, type RunningServer } from "accsyn-local";
import { evaluate, lookup, parseQuery } from "accsyn-local/query";
import { RateLimiter, parseRateLimit } from "accsyn-local/ratelimit";

// In-process smoke tests of accsyn-local's own pieces (the conformance suite drives the wire).
describe("accsyn-local core: query language", () => {
  const doc = {
    code: "projects",
    name: "My Projects",
    size: 42,
    default: true,
    tags: ["a", "b"],
    job: "0123456789abcdef01234567",
    paths: { linux: "/projects" },
  };
  const q = (expr: string): boolean => evaluate(parseQuery(expr), (a) => [lookup(doc, a)]);

  it("compares case-insensitively, with wildcards, numbers, lists and booleans", () => {
    assert.ok(q("code=PROJECTS"));
    assert.ok(q("code = proj*"));
    assert.ok(q("code != other AND code <> other"));
    assert.ok(q("size > 9 and size <= 42"));
    assert.ok(q("code in (x, projects)") && q("code not in x,y"));
    assert.ok(q("name contains 'my proj'") && q('name not contains "nope"'));
    assert.ok(q("name matches ^my\\s") && q("code not matches ^x"));
    assert.ok(
      q("default=true") && q("tags=b") && q("paths.linux=/projects") && q("job.id=0123456789abcdef01234567"),
    );
    assert.ok(q("(code=x OR code=projects) AND size=42"));
    assert.ok(!q("code=x or code=y and size=42"));
    assert.ok(q("missing != x") && !q("missing = x"));
  });

  it("names the position of a malformed query", () => {
    assert.throws(() => parseQuery("code="), /position 5.*expected a value/);
    assert.throws(() => parseQuery("(code=x"), /expected '\)'/);
    assert.throws(() => parseQuery("code ~ x"), /position 5.*expected an operator/);
    assert.throws(() => parseQuery("code=x y"), /expected AND, OR or end of query/);
    assert.equal(parseQuery("   "), undefined);
  });
});

describe("accsyn-local core: rate limiter", () => {
  it("allows the burst, then throttles with Retry-After, then refills", () => {
    const rl = new RateLimiter({ perSecond: 2, burst: 3 });
    for (let i = 0; i < 3; i++) rl.take("ip", 1000);
    assert.throws(
      () => rl.take("ip", 1000),
      (e: { status?: number; retryAfter?: number }) => e.status === 429 && e.retryAfter === 1,
    );
    rl.take("ip", 1600);
    assert.deepEqual(parseRateLimit("30/60"), { perSecond: 30, burst: 60 });
    assert.equal(parseRateLimit("off"), false);
  });
});

describe("accsyn-local core: server round trip", () => {
  let server: RunningServer;
  const admin = DEMO_SEED.users[0];
  const auth = `basic ${Buffer.from(admin.code).toString("base64")}:${Buffer.from(admin.apiKey ?? "").toString("base64")}`;
  const headers = { authorization: auth, "x-accsyn-workspace": DEMO_SEED.workspace };

  before(async () => {
    server = await startServer({ control: true });
  });
  after(async () => server?.stop());

  async function call(
    method: "GET" | "POST" | "PUT" | "DELETE",
    event: object,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const json = JSON.stringify(event);
    const get = method === "GET" || method === "DELETE";
    const res = await request(`${server.url}/api/v3/event${get ? `?${encodeURIComponent(json)}` : ""}`, {
      method,
      headers,
      body: get ? undefined : json,
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
  }

  it("looks up, logs in, creates with gz_data, finds, and answers unknown operations with JSON 404", async () => {
    const lookupRes = await request(
      `${server.url}/api/v3/J3PKTtDvolDMBtTy6AFGA?${encodeURIComponent(JSON.stringify({ ident: "demo" }))}`,
    );
    assert.deepEqual(await lookupRes.body.json(), { result: { hostname: "127.0.0.1", port: server.port } });
    const login = await request(`${server.url}/api/v3/api/login`, { method: "PUT", headers, body: "{}" });
    assert.equal(((await login.body.json()) as { result: { role: string } }).result.role, "admin");
    const data = { name: "Gz", code: "gz", paths: { linux: "/gz" }, metadata: { blob: "x".repeat(1000) } };
    const gz = gzipSync(Buffer.from(JSON.stringify(data))).toString("base64");
    const created = await call("POST", { uri: "volume/create", gz_data: gz });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const found = await call("GET", { uri: "Volume/find", data: {}, query: "code=GZ" });
    assert.equal((found.body.result as { status: string }[])[0].status, "offline", "no server → offline");
    const unknown = await call("GET", { uri: "volume/frobnicate", data: {} });
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.message), /Unknown operation/);
    const counters = await request(`${server.url}/_accsyn-local/counters`);
    const c = (await counters.body.json()) as { byUri: Record<string, number> };
    assert.equal(c.byUri["POST volume/create"], 1);
    assert.equal(c.byUri["PUT api/login"], 1);
  });
});

import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { createGzip, gzipSync } from "node:zlib";
import { request } from "undici";
import { seedCredentials } from "../helpers/server";
import { freePort, kill9, startCli, type Cli } from "./cli";
import { assertServed, rawHttp, rssMiB, snapshot, upload, whileAttacking, type Watch } from "./hardening";
import { Wire, authHeaders, envelope, messageOf, raw } from "./wire";

const MiB = 1024 * 1024;
/** The server process (near 60 MiB at start) may grow by at most this much during any one attack... */
const RSS_GROWTH_CAP_MIB = 160;
/** ...and never past this. */
const RSS_CAP_MIB = 320;

/** gzip of `bytes` of `[{},{},...` (never closed: nothing should read that far). */
function gzipBomb(bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const gz = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gz.on("data", (b: Buffer) => parts.push(b));
    gz.on("end", () => resolve(Buffer.concat(parts).toString("base64")));
    gz.on("error", reject);
    const chunk = Buffer.from("{},".repeat(MiB / 3));
    let written = 0;
    const pump = (): void => {
      while (written < bytes) {
        written += chunk.length;
        if (!gz.write(chunk)) return void gz.once("drain", pump);
      }
      gz.end();
    };
    pump();
  });
}

describe("hardening: oversized, compressed and deeply nested requests (CLI process, RSS measured)", function () {
  this.timeout(180_000);
  let dataDir: string;
  let cli: Cli;
  let port: number;
  let w: Wire;
  let before0: string;
  let bomb: string;
  const admin = seedCredentials("admin");

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "accsyn-local-hardening-"));
    port = await freePort();
    cli = await startCli(port, dataDir);
    w = await Wire.login(cli, admin);
    before0 = await snapshot(w);
    bomb = await gzipBomb(480 * MiB);
  });
  after(async () => {
    if (cli) await kill9(cli);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The checks every attack must pass: the server lived, answered others promptly, stayed small, wrote nothing. */
  async function survived(name: string, watch: Watch<unknown>): Promise<void> {
    assert.equal(cli.child.exitCode, null, "the server process is still running");
    assertServed(name, watch, { growthMiB: RSS_GROWTH_CAP_MIB, totalMiB: RSS_CAP_MIB });
    assert.ok(rssMiB(cli.child.pid as number) < RSS_CAP_MIB, "and it is under the cap afterwards");
    assert.equal(await snapshot(w), before0, "no volume or user changed");
  }

  function event(uri: string, extra: Record<string, unknown>): string {
    return JSON.stringify({ ...envelope(admin, w.session, uri, {}), ...extra });
  }

  it(`a ${"gz_data"} bomb (~0.5 MB expanding to 480 MiB) without credentials is a 401 before anything is inflated`, async () => {
    const body = event("volume/create", { data: undefined, gz_data: bomb });
    assert.ok(body.length < 1 * MiB, `the bomb is small on the wire (${body.length} bytes)`);
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, () =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          raw(cli, "POST", "/api/v3/event", { "x-accsyn-workspace": "demo" }, body),
        ),
      ),
    );
    for (const r of watch.result) {
      assert.equal(r.status, 401, r.text);
      assert.match(messageOf(r), /Authorization/);
    }
    await survived("8 unauthenticated gz bombs", watch);
  });

  it("the same bomb with valid credentials is a 413 once 8 MiB are inflated", async () => {
    const body = event("volume/create", { data: undefined, gz_data: bomb });
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, () =>
      Promise.all(
        Array.from({ length: 3 }, () => raw(cli, "POST", "/api/v3/event", authHeaders(admin), body)),
      ),
    );
    for (const r of watch.result) {
      assert.equal(r.status, 413, r.text);
      assert.match(messageOf(r), /gz_data.*8 MiB/);
    }
    await survived("3 authenticated gz bombs", watch);
  });

  it("a 65 MiB body gets a JSON 413 (not a connection reset), declared or chunked", async () => {
    const big = Buffer.alloc(65 * MiB, " ");
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, async () => {
      const declared = await request(`${cli.url}/api/v3/event`, {
        method: "POST",
        headers: authHeaders(admin),
        body: big,
      });
      const declaredText = await declared.body.text();
      async function* chunks(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 65; i++) yield big.subarray(i * MiB, (i + 1) * MiB);
      }
      const chunked = await request(`${cli.url}/api/v3/event`, {
        method: "PUT",
        headers: authHeaders(admin),
        body: Readable.from(chunks()),
      });
      const chunkedText = await chunked.body.text();
      return [
        { status: declared.statusCode, text: declaredText },
        { status: chunked.statusCode, text: chunkedText },
      ];
    });
    for (const r of watch.result) {
      assert.equal(r.status, 413, r.text);
      assert.match(
        String((JSON.parse(r.text) as { message: string }).message),
        /body exceeds the 8 MiB limit/,
      );
    }
    await survived("65 MiB bodies", watch);
  });

  it("16 parallel 30 MiB URLs each get a JSON 414 after at most ~1 MiB", async () => {
    const head = `GET /api/v3/event?${encodeURIComponent('{"uri":"volume/find","data":"')}`;
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, () =>
      Promise.all(Array.from({ length: 16 }, () => rawHttp(port, head, 30 * MiB))),
    );
    for (const r of watch.result) {
      assert.equal(r.status, 414, r.text.slice(0, 300));
      assert.match(String((r.json as { message?: string }).message), /URL exceeds the 1 MiB limit/);
    }
    await survived("16 × 30 MiB URLs", watch);
  });

  it("1.1 MiB of headers is a JSON 431", async () => {
    const headers = Array.from({ length: 1100 }, (_, i) => `x-h${i}: ${"h".repeat(1024)}\r\n`).join("");
    const r = await rawHttp(port, `GET /api/v3/event HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}`, 0);
    assert.equal(r.status, 431, r.text.slice(0, 300));
    assert.match(String((r.json as { message?: string }).message), /request line and headers exceed/);
  });

  it("a URL just over 1 MiB, fully received, is the same JSON 414", async () => {
    const q = encodeURIComponent(event("volume/find", { data: { pad: "x".repeat(MiB) } }));
    const r = await raw(cli, "GET", `/api/v3/event?${q}`, authHeaders(admin));
    assert.equal(r.status, 414, r.text);
    assert.match(messageOf(r), /URL exceeds the 1 MiB limit/);
    assert.equal(await snapshot(w), before0);
  });

  it("deep nesting in the body, the query string or gz_data is a 400, not a 500", async () => {
    const deep = (n: number): string => "[".repeat(n) + "]".repeat(n);
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, async () => {
      const inBody = await raw(
        cli,
        "POST",
        "/api/v3/event",
        authHeaders(admin),
        `{"uri":"volume/create","data":{"name":"deep","metadata":${deep(500_000)}}}`,
      );
      const inQuery = await raw(
        cli,
        "GET",
        `/api/v3/event?${encodeURIComponent(`{"uri":"volume/find","data":${deep(100_000)}}`)}`,
        authHeaders(admin),
      );
      const gz = await new Promise<string>((resolve, reject) => {
        const z = createGzip();
        const parts: Buffer[] = [];
        z.on("data", (b: Buffer) => parts.push(b));
        z.on("end", () => resolve(Buffer.concat(parts).toString("base64")));
        z.on("error", reject);
        z.end(`{"name":"deep","metadata":${deep(1_000_000)}}`);
      });
      const inGz = await raw(
        cli,
        "POST",
        "/api/v3/event",
        authHeaders(admin),
        event("volume/create", { data: undefined, gz_data: gz }),
      );
      return [inBody, inQuery, inGz];
    });
    for (const r of watch.result) {
      assert.equal(r.status, 400, r.text.slice(0, 300));
      assert.match(messageOf(r), /nests deeper than 64 levels/);
    }
    await survived("deep JSON", watch);
  });

  it("a body of 2.5 million tiny objects is a 413 before JSON.parse builds them", async () => {
    const body = `{"uri":"volume/create","data":{"name":"many","metadata":[${"{},".repeat(2_500_000)}{}]}}`;
    assert.ok(body.length < 8 * MiB, "within the byte cap: only the value cap stops it");
    const watch = await whileAttacking(cli, admin, cli.child.pid as number, () =>
      raw(cli, "POST", "/api/v3/event", authHeaders(admin), body),
    );
    assert.equal(watch.result.status, 413, watch.result.text);
    assert.match(messageOf(watch.result), /more than 500000 values/);
    await survived("2.5 M values", watch);
  });

  it("four uploads holding 8.38 MB each fill the 32 MiB in flight: a fifth gets 429 + Retry-After, small writes still pass, then room again", async () => {
    const head = (length: number): string =>
      `POST /api/v3/event HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      Object.entries(authHeaders(admin))
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("") +
      `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    // 4 × 8 385 000 bytes leave 14 KiB of the 32 MiB; the first 64 KiB of each request are not counted.
    const held = Array.from({ length: 4 }, () => upload(port, head(8_385_000), 8_384_999));
    try {
      const watch = await whileAttacking(cli, admin, cli.child.pid as number, async () => {
        await Promise.all(held.map((u) => u.written));
        // Give the server a moment to read what the kernel already holds for it.
        await new Promise((r) => setTimeout(r, 500));
        const fifth = await rawHttp(port, head(8_000_000), 8_000_000);
        // Small writes are not locked out by the large ones holding the budget.
        const small = await w.send("POST", "volume/create", { data: { name: "s".repeat(40_000) } });
        return { fifth, small };
      });
      const { fifth, small } = watch.result;
      assert.equal(small.status, 400, `a 40 KB write meanwhile is read and judged: ${small.text}`);
      assert.equal(fifth.status, 429, fifth.text.slice(0, 300));
      assert.match(fifth.text, /Retry-After: 1/i);
      assert.match(
        String((fifth.json as { message?: string }).message),
        /32 MiB of request payloads in flight/,
      );
      await survived("4 held uploads + 1", watch);
    } finally {
      for (const u of held) u.destroy();
    }
    // The held bytes are given back when those connections close: a full-size body is read again.
    const body = JSON.stringify({
      ...envelope(admin, w.session, "volume/create", {}),
      data: { name: "x".repeat(7_800_000) },
    });
    let again = await raw(cli, "POST", "/api/v3/event", authHeaders(admin), body);
    for (let i = 0; i < 20 && again.status === 429; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await raw(cli, "POST", "/api/v3/event", authHeaders(admin), body);
    }
    assert.equal(again.status, 400, `read and refused by the volume rules: ${again.text.slice(0, 200)}`);
    assert.equal(await snapshot(w), before0);
  });

  it("a large real request still passes: a collection of 20 000 files created through gz_data", async () => {
    const files = Array.from({ length: 20_000 }, (_, i) => `volume=hardening/shot_${i}/plate.${i}.exr`);
    await w.result("POST", "volume/create", {
      data: { name: "hardening", code: "hardening", paths: { linux: "/h" } },
    });
    const gz = gzipSync(JSON.stringify({ name: "many files", files })).toString("base64");
    const created = await w.send("POST", "collection/create", { gz_data: gz });
    assert.equal(created.status, 200, created.text.slice(0, 300));
    const id = String((created.json as { result: { id: string }[] }).result[0].id);
    const found = await w.result("GET", "file/find", { data: { parent: id, limit: 30_000 } });
    assert.equal((found as unknown[]).length, 20_000, "every file arrived");
    before0 = await snapshot(w);
  });
});

import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { Wire, messageOf, type Method } from "./wire";

// Bad input to the item 6 endpoints (raw wire, as a client other than the official
// one could send it): a clear 400 naming the problem, and nothing written (the
// audit log, which records every change, does not grow).
describe("item 6 endpoints refuse bad input and write nothing (issue 10)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let w: Wire;

  before(async () => {
    server = await startTestServer();
    w = await Wire.login(server, server.credentials("admin"));
    const servers = (await w.result("GET", "server/find", { query: "code=hq-server" })) as { id: string }[];
    await w.result("POST", "volume/create", {
      data: { name: "Storage", code: "storage", paths: { linux: "/storage" }, server: servers[0].id },
    });
  });
  after(async () => server?.close());

  const logSize = async (): Promise<number> =>
    ((await w.result("GET", "log/find", { data: { pagination: { limit: 1000 } } })) as unknown[]).length;

  it("each malformed request is a 400 naming what is wrong", async () => {
    const before = await logSize();
    const cases: [Method, string, Record<string, unknown>, RegExp][] = [
      [
        "PUT",
        "setting",
        { data: { entitytype: "workspace", name: "x", value: 5 } },
        /'value' must be a string/,
      ],
      ["PUT", "setting", { data: { entitytype: "workspace", name: "../etc", value: "v" } }, /'name' must be/],
      [
        "PUT",
        "setting",
        { data: { entitytype: "workspace", name: "x", value: "v".repeat(300_000) } },
        /at most/,
      ],
      ["PUT", "setting", { data: { entitytype: "volume", name: "x", value: "v" } }, /needs the entity 'id'/],
      [
        "PUT",
        "setting",
        { data: { entitytype: "workspace", name: "x", value: "v", extra: 1 } },
        /Unknown attribute 'extra'/,
      ],
      ["GET", "log/find", { data: { sort: "password" } }, /'sort' must be one of/],
      ["GET", "log/find", { data: { pagination: { limit: -1 } } }, /pagination.limit/],
      ["GET", "log/find", { data: { sort_reverse: "yes" } }, /'sort_reverse' must be a boolean/],
      ["POST", "delivery/create", { data: { name: "" } }, /'name' must be a non-empty string/],
      [
        "POST",
        "delivery/create",
        { data: { name: "d", public: true } },
        /Unknown or read-only attribute 'public'/,
      ],
      ["PUT", "job/recipient/add", { data: { recipient: "a@b.c" } }, /No delivery/],
      ["POST", "workspace/file", { data: { op: "ls", path: "x" } }, /sent with GET/],
      ["GET", "workspace/file", { data: { op: "ls", path: ["volume=x/a", 3] } }, /a path or a list of paths/],
      [
        "POST",
        "transfer/create",
        { data: { source: "volume=x/a", destination: "/tmp/a", queue: 3 } },
        /'queue' must be a string/,
      ],
    ];
    for (const [method, uri, parts, want] of cases) {
      const r = await w.send(method, uri, parts);
      assert.ok(
        r.status === 400 || r.status === 404,
        `${method} ${uri} ${JSON.stringify(parts).slice(0, 80)}: ${r.status}`,
      );
      assert.match(messageOf(r), want, `${method} ${uri}`);
    }
    assert.equal(await logSize(), before, "no refused request left a log entry (nothing was written)");
  });

  it("a delivery's recipients are checked before anything is written", async () => {
    const d = (await w.result("POST", "delivery/create", { data: { name: "checked" } })) as { id: string }[];
    const id = d[0].id;
    const before = await logSize();
    for (const data of [
      {},
      { recipient: "" },
      { recipient: "x".repeat(400) },
      { recipient: "a@b.c", extra: true },
    ]) {
      const r = await w.send("PUT", "job/recipient/add", { id, data });
      assert.equal(r.status, 400, `${JSON.stringify(data).slice(0, 60)}: ${r.text}`);
    }
    const bad = await w.send("PUT", "job/recipient/add", {
      id,
      data: { recipient: "not an e-mail", invite: true },
    });
    assert.equal(bad.status, 404, bad.text);
    assert.deepEqual(await w.result("GET", "job/recipients", { id }), []);
    assert.equal(await logSize(), before);
  });
});

import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { seedServers, type SeedServerRef } from "./common";
import { Wire, authHeaders, envelope, messageOf, raw, type WireReply, type WireUser } from "./wire";

// An emulator that accepts what the real service would not lets broken clients
// pass (STYLE.md, moto). Each request here breaks one rule of accsyn-wire.md §2–4.
describe("strict wire: malformed requests are refused (wire §2–4)", function () {
  this.timeout(60_000);
  let server: TestServer;
  let hq: SeedServerRef;
  let admin: WireUser;
  let w: Wire;

  before(async () => {
    server = await startTestServer();
    hq = (await seedServers(server))[0];
    admin = server.credentials("admin");
    w = await Wire.login(server, admin);
  });
  after(async () => server?.close());

  function refused(r: WireReply, what: string, status?: number): void {
    if (status !== undefined) assert.equal(r.status, status, `${what}: ${r.status} ${r.text}`);
    else assert.ok(r.status >= 400 && r.status < 500, `${what} — wanted 4xx, got ${r.status} ${r.text}`);
    assert.ok(messageOf(r).length > 0, `${what}: JSON message: ${r.text}`);
  }

  const findEvent = (): string => JSON.stringify(envelope(admin, w.session, "volume/find", { data: {} }));

  it("RFC 7617 Basic auth (base64 of user:key) is not accsyn auth → 401", async () => {
    const rfc = `Basic ${Buffer.from(`${admin.code}:${admin.apiKey}`).toString("base64")}`;
    const h = { ...authHeaders(admin), authorization: rfc };
    refused(await raw(server, "PUT", "/api/v3/api/login", h, "{}"), "RFC Basic login", 401);
    refused(
      await raw(server, "GET", `/api/v3/event?${encodeURIComponent(findEvent())}`, h),
      "RFC Basic event",
      401,
    );
  });

  it("no Authorization header → 401", async () => {
    const h = authHeaders(admin);
    delete (h as Record<string, string | undefined>).authorization;
    refused(await raw(server, "GET", `/api/v3/event?${encodeURIComponent(findEvent())}`, h), "no auth", 401);
  });

  it("a workspace header naming another workspace is refused", async () => {
    const h = { ...authHeaders(admin), "x-accsyn-workspace": "someone-else" };
    refused(await raw(server, "PUT", "/api/v3/api/login", h, "{}"), "login to another workspace");
  });

  it("GET with key=value instead of the raw event → 400", async () => {
    const r = await raw(
      server,
      "GET",
      `/api/v3/event?event=${encodeURIComponent(findEvent())}`,
      authHeaders(admin),
    );
    refused(r, "GET ?event=...", 400);
  });

  it("GET with no query string (event in a body) → 400", async () => {
    refused(await raw(server, "GET", "/api/v3/event", authHeaders(admin)), "GET without the event", 400);
  });

  it("POST with the event in the query string and an empty body → 400", async () => {
    const ev = JSON.stringify(
      envelope(admin, w.session, "volume/create", {
        data: { name: "Q", code: "qs", paths: { linux: "/qs" }, server: hq.id },
      }),
    );
    refused(
      await raw(server, "POST", `/api/v3/event?${encodeURIComponent(ev)}`, authHeaders(admin), ""),
      "POST",
      400,
    );
  });

  it("an event without uri → 400", async () => {
    const ev = envelope(admin, w.session, "volume/find", { data: {} });
    delete ev.uri;
    const r = await raw(
      server,
      "GET",
      `/api/v3/event?${encodeURIComponent(JSON.stringify(ev))}`,
      authHeaders(admin),
    );
    refused(r, "no uri", 400);
  });

  it("a method that does not belong to the operation is refused (wire §4 table)", async () => {
    refused(await w.send("POST", "volume/find", { data: {} }), "POST volume/find");
    refused(
      await w.send("GET", "volume/create", {
        data: { name: "G", code: "getcreate", paths: { linux: "/g" }, server: hq.id },
      }),
      "GET volume/create",
    );
    refused(await w.send("PUT", "volume/delete", { id: hq.id }), "PUT volume/delete");
  });

  it("an id that is not 24 lower-case hex → 400", async () => {
    refused(await w.send("PUT", "volume/edit", { id: "not-an-id", data: { name: "x" } }), "bad id", 400);
    refused(
      await w.send("PUT", "volume/edit", { id: "0123456789ABCDEF01234567", data: { name: "x" } }),
      "upper hex",
    );
  });

  it("create data of the wrong type (a list for a volume) → 400", async () => {
    refused(await w.send("POST", "volume/create", { data: [{ name: "L" }] }), "list data", 400);
  });
});

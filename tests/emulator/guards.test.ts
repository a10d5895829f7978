import * as assert from "node:assert/strict";
import { startTestServer, type TestServer } from "../helpers/server";
import { Wire, messageOf, type EventParts, type Method, type WireReply } from "./wire";

// Issue 10's backend hardening: bad paths, look-alike e-mails and codes, oversized
// fields, probing ids, and escalation from a read-only ACL. Each bad request is a
// clear 4xx, writes nothing, and another client is answered within a second meanwhile.

type Json = Record<string, unknown>;

describe("guards: the backend refuses what would mislead or slow it (issue 10 hardening)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let admin: Wire;
  let emp: Wire;
  let std: Wire;
  let vol: Json;
  let hidden: Json;
  let readonlyFolder: Json;
  let adminJob: Json;

  const first = (v: unknown): Json => (Array.isArray(v) ? (v[0] as Json) : (v as Json));

  before(async () => {
    server = await startTestServer();
    admin = await Wire.login(server, server.credentials("admin"));
    emp = await Wire.login(server, server.credentials("employee"));
    std = await Wire.login(server, server.credentials("standard"));
    const servers = (await admin.result("GET", "server/find", { data: {} })) as Json[];
    const sites = (await admin.result("GET", "site/find", { data: {} })) as Json[];
    const hq = sites.find((s) => s.main === true);
    const srv = servers.find((s) => s.site === hq?.id);
    vol = first(
      await admin.result("POST", "volume/create", {
        data: { name: "Guards", code: "guards", paths: { linux: "/guards" }, server: srv?.id },
      }),
    );
    hidden = first(
      await admin.result("POST", "folder/create", {
        data: { parent: vol.id, path: "hidden", name: "Hidden" },
      }),
    );
    readonlyFolder = first(
      await admin.result("POST", "folder/create", {
        data: { parent: vol.id, path: "ro", name: "Read only" },
      }),
    );
    for (const who of ["employee", "standard"] as const)
      await admin.result("POST", "acl/create", {
        data: {
          entity: `user:${server.credentials(who).code}`,
          target: `share:${String(readonlyFolder.id)}`,
          read: true,
          write: false,
        },
      });
    adminJob = first(
      await admin.result("POST", "transfer/create", {
        data: { source: "volume=guards/a.txt", destination: "/tmp/a", status: "paused" },
      }),
    );
  });
  after(async () => server?.close());

  /** What a find returns now, to show a refused request wrote nothing. */
  async function snapshot(): Promise<string> {
    const parts: unknown[] = [];
    for (const uri of ["share/find", "user/find", "acl/find", "transfer/find"])
      parts.push(
        await admin.result("GET", uri, { data: { inactive: true, archived: true, finished: true } }),
      );
    return JSON.stringify(parts);
  }

  /** Sends the bad request while another client asks for volumes; asserts a 4xx, an unchanged store, a prompt bystander. */
  async function refused(
    w: Wire,
    method: Method,
    uri: string,
    parts: EventParts,
    what: string,
    mention?: RegExp,
  ): Promise<WireReply> {
    const before = await snapshot();
    const t0 = Date.now();
    const [r, bystander] = await Promise.all([
      w.send(method, uri, parts),
      admin.send("GET", "volume/find", { data: {} }).then((x) => ({ x, ms: Date.now() - t0 })),
    ]);
    assert.ok(r.status >= 400 && r.status < 500, `${what}: wanted 4xx, got ${r.status} ${r.text}`);
    if (mention) assert.match(messageOf(r), mention, `${what}: ${messageOf(r)}`);
    assert.equal(bystander.x.status, 200);
    assert.ok(bystander.ms < 1000, `${what}: another client waited ${bystander.ms} ms`);
    assert.equal(await snapshot(), before, `${what} wrote nothing`);
    return r;
  }

  it("paths with NUL or control bytes, `.. ` segments or full-width dots are refused", async () => {
    const bad = ["a\u0000b", "a/.. /b", "a/\uff0e\uff0e/b", "a/ ../b", "x\nmore"];
    for (const p of bad) {
      await refused(
        admin,
        "POST",
        "folder/create",
        { data: { parent: vol.id, path: p } },
        `folder path ${JSON.stringify(p)}`,
      );
      await refused(
        admin,
        "POST",
        "acl/create",
        { data: { entity: "user:employee@example.com", target: `share:${String(hidden.id)}`, path: p } },
        `ACL path ${JSON.stringify(p)}`,
      );
      await refused(
        admin,
        "POST",
        "transfer/create",
        { data: { source: `volume=guards/${p}`, destination: "/tmp/x" } },
        `transfer source ${JSON.stringify(p)}`,
      );
    }
    await refused(
      admin,
      "POST",
      "transfer/create",
      { data: { source: "volume=guards/a.txt", destination: "/tmp/\u0000evil" } },
      "a local destination with a NUL byte",
      /control or invisible/,
    );
  });

  it("e-mails and codes with zero-width or control characters are refused", async () => {
    for (const email of ["employee\u200b@example.com", "new\u200d@example.com", "bidi\u202e@example.com"]) {
      await refused(
        admin,
        "POST",
        "user/create",
        { data: { code: email } },
        `user/create ${JSON.stringify(email)}`,
      );
      await refused(
        admin,
        "POST",
        "acl/create",
        { data: { entity: `user:${email}`, target: `share:${String(hidden.id)}` } },
        `grant inviting ${JSON.stringify(email)}`,
      );
    }
    for (const code of ["gu\u200bards", "x\u0000y", "a\ufeffb"])
      await refused(
        admin,
        "POST",
        "folder/create",
        { data: { parent: vol.id, path: "c", code } },
        `share code ${JSON.stringify(code)}`,
      );
  });

  it("field sizes are capped: a long name or description is a clear 400, and finds stay fast", async () => {
    await refused(
      admin,
      "POST",
      "folder/create",
      { data: { parent: vol.id, path: "n", name: "n".repeat(100_000) } },
      "a 100 000-character name",
      /'name' is at most 1024 characters/,
    );
    await refused(
      admin,
      "PUT",
      "folder/edit",
      { id: String(hidden.id), data: { description: "d".repeat(5000) } },
      "a 5000-character description",
      /'description' is at most/,
    );
    await refused(
      admin,
      "PUT",
      "volume/edit",
      { id: String(vol.id), data: { metadata: { blob: "m".repeat(300_000) } } },
      "300 KB of metadata",
      /'metadata' is at most/,
    );
    const t0 = Date.now();
    await admin.result("GET", "share/find", { data: {} });
    assert.ok(Date.now() - t0 < 1000, "share/find stays fast");
  });

  it("volume/servers shows an employee only the servers of volumes granted to them", async () => {
    const r = await refused(
      emp,
      "GET",
      "volume/servers",
      { id: String(vol.id) },
      "servers of an ungranted volume",
    );
    const made = await emp.send("GET", "volume/servers", { id: "0123456789abcdef01234567" });
    assert.equal(r.status, made.status, "an ungranted volume answers like a made-up id");
    assert.equal(
      messageOf(r).replace(String(vol.id), "ID"),
      messageOf(made).replace("0123456789abcdef01234567", "ID"),
    );
    const granted = first(
      await admin.result("POST", "acl/create", {
        data: { entity: "user:employee@example.com", target: `share:${String(vol.id)}`, read: true },
      }),
    );
    assert.equal(((await emp.result("GET", "volume/servers", { id: String(vol.id) })) as Json[]).length, 1);
    await admin.result("DELETE", "acl/delete", { id: String(granted.id) });
  });

  it("an existing id the caller may not see answers exactly like a made-up one (no 403/404 oracle)", async () => {
    const made = "0123456789abcdef01234567";
    const probes: [Wire, Method, string, (id: string) => EventParts][] = [
      [emp, "PUT", "folder/edit", (id) => ({ id, data: { name: "x" } })],
      [emp, "DELETE", "folder/delete", (id) => ({ id })],
      [emp, "DELETE", "folder/deactivate", (id) => ({ id })],
      [std, "PUT", "transfer/edit", (id) => ({ id, data: { status: "aborted" } })],
      [emp, "DELETE", "transfer/delete", (id) => ({ id })],
      [std, "PUT", "user/edit", (id) => ({ id, data: { name: "x" } })],
    ];
    const users = (await admin.result("GET", "user/find", { data: {} })) as Json[];
    const adminUser = users.find((u) => u.role === "admin");
    const existing: Record<string, string> = {
      folder: String(hidden.id),
      transfer: String(adminJob.id),
      user: String(adminUser?.id),
    };
    for (const [w, method, uri, parts] of probes) {
      const id = existing[uri.split("/")[0]];
      const real = await refused(w, method, uri, parts(id), `${uri} of an existing id`);
      const fake = await w.send(method, uri, parts(made));
      assert.equal(real.status, fake.status, `${uri}: same status for an existing and a made-up id`);
      assert.equal(
        messageOf(real).replace(id, "ID"),
        messageOf(fake).replace(made, "ID"),
        `${uri}: same message`,
      );
    }
  });

  it("a volume or share code the caller may not see is refused like one that does not exist", async () => {
    const pairs: [Wire, Method, string, (x: string) => EventParts, string, string][] = [
      [
        emp,
        "POST",
        "folder/create",
        (x) => ({ data: { parent: x, path: "probe" } }),
        String(vol.id),
        "0123456789abcdef01234567",
      ],
      [emp, "POST", "folder/create", (x) => ({ data: { parent: x, path: "probe" } }), "guards", "noguards"],
      [
        std,
        "POST",
        "transfer/create",
        (x) => ({ data: { source: `folder=${x}/a.txt`, destination: "/tmp/p" } }),
        String(hidden.code),
        "nosuchfolder",
      ],
    ];
    for (const [w, method, uri, parts, real, fake] of pairs) {
      const r = await refused(w, method, uri, parts(real), `${uri} naming an invisible '${real}'`);
      const f = await w.send(method, uri, parts(fake));
      assert.equal(r.status, f.status, `${uri}: same status for '${real}' and '${fake}'`);
      assert.equal(
        messageOf(r).split(real).join("X"),
        messageOf(f).split(fake).join("X"),
        `${uri}: same message`,
      );
    }
  });

  it("a read-only ACL gives no management: no path change, delete, deactivate or grant", async () => {
    const id = String(readonlyFolder.id);
    for (const w of [emp, std]) {
      await refused(
        w,
        "PUT",
        "folder/edit",
        { id, data: { path: "elsewhere" } },
        "moving a read-only folder",
        /may not/,
      );
      await refused(w, "DELETE", "folder/delete", { id }, "deleting a read-only folder", /may not/);
      await refused(w, "DELETE", "folder/deactivate", { id }, "deactivating a read-only folder", /may not/);
      await refused(
        w,
        "POST",
        "acl/create",
        { data: { entity: `user:${w.user.code}`, target: `share:${id}`, read: true, write: true } },
        "granting oneself write",
        /may not/,
      );
      await refused(
        w,
        "POST",
        "acl/create",
        { data: { entity: "user:outsider@elsewhere.com", target: `share:${id}`, read: true } },
        "inviting an outsider",
        /may not/,
      );
    }
  });
});

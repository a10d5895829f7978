import * as assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";

import {
  AccsynClient,
  ApiKey,
  GZ_THRESHOLD,
  buildEnvelope,
  decodeEvent,
  decodeReply,
  encodeEvent,
  envelopeData,
  formatCreated,
  authorization,
  q,
} from "pulumi-accsyn/client";
import { envelopeOf, LOGIN_OK, startRecorder } from "./recorder";

describe("client wire", () => {
  it("formats created as UTC YYYY-MM-DDTHH:MM:SS", () => {
    assert.equal(formatCreated(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678))), "2026-01-02T03:04:05");
  });

  it("builds the envelope with every field", () => {
    const env = buildEnvelope(
      { method: "GET", uri: "volume/find", data: {}, query: 'code="x"' },
      { workspace: "demo", session: "s", user: "u@x", hostname: "h", now: new Date(0), eid: "e" },
    );
    assert.deepEqual(env, {
      audience: "api",
      workspace: "demo",
      eid: "e",
      session: "s",
      uri: "volume/find",
      ident: "u@x",
      created: "1970-01-01T00:00:00",
      hostname: "h",
      data: {},
      query: 'code="x"',
    });
    const fresh = buildEnvelope({ method: "GET", uri: "x" }, { workspace: "w", session: "s", user: "u" });
    assert.match(fresh.eid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(fresh.data, null);
  });

  it("gzips data above 100 KiB into gz_data", () => {
    const big = { blob: "x".repeat(GZ_THRESHOLD + 10) };
    const env = buildEnvelope(
      { method: "POST", uri: "file/add", data: big },
      { workspace: "w", session: "s", user: "u" },
    );
    assert.equal(env.data, undefined);
    assert.ok(env.gz_data);
    assert.deepEqual(JSON.parse(gunzipSync(Buffer.from(env.gz_data, "base64")).toString()), big);
    assert.deepEqual(envelopeData(env), big);
    const small = buildEnvelope(
      { method: "POST", uri: "x", data: { a: 1 } },
      { workspace: "w", session: "s", user: "u" },
    );
    assert.equal(small.gz_data, undefined);
  });

  it("encodes GET/DELETE as the entire percent-encoded query string, PUT/POST as body", () => {
    const env = buildEnvelope(
      { method: "GET", uri: "a/find", data: { s: "ä &=?#" } },
      { workspace: "w", session: "s", user: "u" },
    );
    const get = encodeEvent("GET", env);
    assert.equal(get.body, undefined);
    assert.ok(get.path.startsWith("/api/v3/event?%7B%22audience%22"));
    assert.ok(!get.path.slice(get.path.indexOf("?") + 1).includes("="));
    assert.deepEqual(decodeEvent(get.path, undefined), env);
    const del = encodeEvent("DELETE", env);
    assert.deepEqual(JSON.parse(decodeURIComponent(del.path.split("?")[1])), env);
    const post = encodeEvent("POST", env);
    assert.equal(post.path, "/api/v3/event");
    assert.deepEqual(JSON.parse(post.body ?? ""), env);
  });

  it("builds the non-RFC basic authorization", () => {
    assert.equal(
      authorization("a@b.c", new ApiKey("k3y")),
      `basic ${Buffer.from("a@b.c").toString("base64")}:${Buffer.from("k3y").toString("base64")}`,
    );
  });

  it("decides from the body first", () => {
    assert.deepEqual(decodeReply(200, '{"result":[1]}'), { ok: true, result: [1] });
    assert.deepEqual(decodeReply(200, '{"result":null}'), { ok: true, result: null });
    const m = decodeReply(200, '{"message":"no","message_hr":"Nope"}');
    assert.equal(m.ok, false);
    assert.equal(!m.ok && m.message, "Nope");
    const ex = decodeReply(500, '{"exception":"Traceback"}');
    assert.equal(!ex.ok && ex.kind, "exception");
    assert.equal(decodeReply(502, "<html>bad gateway</html>").ok, false);
    assert.equal(decodeReply(500, '{"result":1}').ok, false);
    assert.equal(decodeReply(200, "{}").ok, false);
  });

  it("sends login lazily once, then events with the right headers and envelope", async () => {
    const rec = await startRecorder();
    try {
      const c = new AccsynClient({
        endpoint: rec.url,
        workspace: "demo",
        user: "admin@x",
        apiKey: "SECRET-KEY-1",
        env: {},
      });
      assert.equal(rec.requests.length, 0);
      await Promise.all([
        c.find("Volume", q.eq("code", "projects")),
        c.find("Folder", undefined, { inactive: true }),
      ]);
      assert.equal(rec.requests.length, 3);
      const login = rec.requests[0];
      assert.equal(login.method, "PUT");
      assert.equal(login.url, "/api/v3/api/login");
      assert.equal(login.body, "{}");
      assert.equal(login.headers["content-type"], "application/json");
      const auth = `basic ${Buffer.from("admin@x").toString("base64")}:${Buffer.from("SECRET-KEY-1").toString("base64")}`;
      for (const r of rec.requests) {
        assert.equal(r.headers.authorization, auth);
        assert.equal(r.headers["x-accsyn-workspace"], "demo");
        assert.match(String(r.headers["x-accsyn-device"]), /^pulumi-accsyn\/\d+\.\d+\.\d+/);
      }
      const evs = rec.requests.slice(1).map(envelopeOf);
      const vol = evs.find((e) => e.uri === "volume/find");
      assert.ok(vol);
      assert.equal(vol.query, 'code="projects"');
      assert.equal(vol.session, "sess-1");
      assert.equal(vol.ident, "admin@x");
      assert.equal(vol.audience, "api");
      assert.equal(vol.workspace, "demo");
      assert.match(String(vol.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      const folder = evs.find((e) => e.uri === "folder/find");
      assert.deepEqual(folder?.data, { inactive: true });
      for (const r of rec.requests.slice(1)) {
        assert.equal(r.method, "GET");
        assert.equal(r.headers["content-type"], undefined);
      }
      await c.close();
    } finally {
      await rec.close();
    }
  });

  it("uses the documented uri, method, id and data for each operation", async () => {
    const id = "0123456789abcdef01234567";
    const other = "abcdefabcdefabcdefabcdef";
    const acl = { id: other, entity: `user:${id}`, target: `share:${other}`, read: true, write: false };
    const rec = await startRecorder((r) => {
      if (r.url.startsWith("/api/v3/api/login")) return LOGIN_OK;
      const e = envelopeOf(r);
      switch (e.uri) {
        case "folder/create":
          return {
            status: 200,
            body: { result: [{ id, code: "x", name: "X", status: "enabled", parent: other, path: "p" }] },
          };
        case "acl/create":
          return { status: 200, body: { result: [acl] } };
        case "acl/find":
          return { status: 200, body: { result: [acl] } };
        case "entitytypes":
          return { status: 200, body: { result: ["volume", "folder"] } };
        case "task/create":
          return { status: 200, body: { result: { success: true } } };
        default:
          return { status: 200, body: { result: true } };
      }
    });
    try {
      const c = new AccsynClient({ endpoint: rec.url, workspace: "w", user: "u", apiKey: "k", env: {} });
      await c.create("Folder", { parent: other, path: "p", name: "X" });
      await c.deactivate("Folder", id);
      await c.activate("Folder", "TheCode");
      await c.activate("Folder", id);
      await c.delete("Folder", id, { force: true });
      await c.assignServer(other, id);
      await c.deassignServer(other, id);
      await c.grant(id, "Folder", other, { read: true, path: "in" });
      await c.revoke(id, "Folder", other);
      await c.removeFiles(other, ["12d89033-2a8c-4029-992b-3a02b4ecc2cd"]);
      await c.createTasks(other, ["/a/b"], { allowDuplicates: false });
      await c.updateTasks(other, [{ id: "12d89033-2a8c-4029-992b-3a02b4ecc2cd", status: "onhold" }]);
      assert.deepEqual(await c.entityTypes(), ["volume", "folder"]);
      await c.attributes("Folder", { create: true });
      const seen: Record<string, unknown>[] = rec.requests
        .slice(1)
        .map((r) => ({ m: r.method, ...envelopeOf(r) }));
      const pick = (uri: string, n = 0): Record<string, unknown> => seen.filter((s) => s.uri === uri)[n];
      assert.equal(pick("folder/create").m, "POST");
      assert.deepEqual(pick("folder/create").data, { parent: other, path: "p", name: "X" });
      assert.equal(pick("folder/deactivate").m, "DELETE");
      assert.deepEqual(pick("folder/deactivate").data, {});
      assert.equal(pick("folder/activate").m, "POST");
      assert.equal(pick("folder/activate").query, "thecode");
      assert.equal(pick("folder/activate").id, undefined);
      assert.equal(pick("folder/activate", 1).id, id);
      assert.deepEqual(pick("folder/delete").data, { force: true });
      assert.equal(pick("folder/delete").m, "DELETE");
      assert.equal(pick("share/server").m, "PUT");
      assert.deepEqual(pick("share/server").data, { client: id });
      assert.equal(pick("share/server").id, other);
      assert.equal(pick("volume/server").m, "DELETE");
      assert.deepEqual(pick("acl/create").data, {
        entity: `user:${id}`,
        target: `share:${other}`,
        invite: true,
        read: true,
        write: false,
        notify: false,
        message: "",
        path: "in",
      });
      assert.equal(pick("acl/find").query, `acl WHERE target=share:${other} AND entity=user:${id}`);
      assert.equal(pick("acl/delete").id, other);
      assert.equal(pick("acl/delete").m, "DELETE");
      assert.deepEqual(pick("collection/file/remove").data, {
        files: ["12d89033-2a8c-4029-992b-3a02b4ecc2cd"],
      });
      assert.deepEqual(pick("task/create").data, { tasks: ["/a/b"], allow_duplicates: false });
      assert.equal(pick("task/create").id, other);
      assert.equal(pick("task/edit").m, "PUT");
      assert.ok(Array.isArray(pick("task/edit").data));
      assert.deepEqual(pick("attributes").data, { entitytype: "folder", create: true, update: false });
      await c.close();
    } finally {
      await rec.close();
    }
  });
});

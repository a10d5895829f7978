import * as assert from "node:assert/strict";
import { KINDS, type Field, type FieldType, type KindFields } from "accsyn-local/backend/fields/index";
import { startTestServer, type TestServer } from "../helpers/server";
import { Wire, messageOf, type EventParts, type Method, type WireReply } from "./wire";

// One field descriptor per kind drives both the `attributes` reply and request
// validation. Everything here is derived from the descriptors and asserted over
// HTTP against the real server, so a handler that validates by its own list, or
// an `attributes` row that says "writable" for a key the handler refuses, fails.

type Json = Record<string, unknown>;

/** A value of a JSON type the field does not accept: the reply shows whether the key got to the type check. */
function wrongValue(f: Field): unknown {
  const ok = new Set<FieldType>([f.type, ...(f.accepts ?? [])]);
  const candidates: [FieldType[], unknown][] = [
    [["int", "float"], 12345],
    [["string", "objectid", "uuid", "datetime"], "not-a-value"],
    [["bool"], true],
    [["list"], [1]],
    [["dict"], { x: 1 }],
  ];
  for (const [types, v] of candidates) if (!types.some((t) => ok.has(t))) return v;
  throw new Error(`no wrong value for ${f.name}`);
}

/** A value of the field's own type, semantically meaningless. */
function rightValue(f: Field): unknown {
  switch (f.type) {
    case "int":
    case "float":
      return 1;
    case "bool":
      return true;
    case "list":
      return [];
    case "dict":
      return {};
    default:
      return "x";
  }
}

const READ_ONLY = /Unknown or read-only attribute '([^']+)'/;

function refusedAsReadOnly(r: WireReply, key: string, what: string): void {
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
  const m = READ_ONLY.exec(messageOf(r));
  assert.ok(m && m[1] === key, `${what}: refused as read-only '${key}': ${messageOf(r)}`);
}

function typeChecked(r: WireReply, key: string, what: string): void {
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
  const msg = messageOf(r);
  assert.ok(!READ_ONLY.test(msg), `${what}: '${key}' is writable, yet refused as read-only: ${msg}`);
  assert.ok(msg.includes(`'${key}' must be`), `${what}: the type of '${key}' is checked: ${msg}`);
}

describe("field descriptors: attributes and validation agree for every kind", function () {
  this.timeout(120_000);
  let server: TestServer;
  let w: Wire;
  const ids: Record<string, string> = {};
  const found: Record<string, Json> = {};

  const result = async (method: Method, uri: string, parts: EventParts = {}): Promise<unknown> =>
    w.result(method, uri, parts);
  const first = (v: unknown): Json => (Array.isArray(v) ? (v[0] as Json) : (v as Json));

  before(async () => {
    server = await startTestServer();
    w = await Wire.login(server, server.credentials("admin"));
    const sites = (await result("GET", "site/find")) as Json[];
    const hq = sites.find((s) => s.main === true);
    const servers = (await result("GET", "server/find")) as Json[];
    const srv = servers.find((s) => s.site === hq?.id);
    assert.ok(srv, "a seed server at the main site");
    const vol = first(
      await result("POST", "volume/create", {
        data: { name: "Fields", code: "fields", paths: { linux: "/fields", windows: "F:" }, server: srv.id },
      }),
    );
    const folder = first(
      await result("POST", "folder/create", { data: { parent: vol.id, path: "p/f", name: "Fields folder" } }),
    );
    const home = first(await result("POST", "home/create", { data: { user: "employee@example.com" } }));
    const coll = first(
      await result("POST", "collection/create", {
        data: { name: "Fields coll", files: ["volume=fields/a.txt"] },
      }),
    );
    const file = first(await result("GET", "file/find", { data: { parent: coll.id } }));
    const acl = first(
      await result("POST", "acl/create", {
        data: { entity: "user:standard@example.com", target: `share:${String(folder.id)}` },
      }),
    );
    const user = first(await result("GET", "user/find", { query: "code=standard@example.com" }));
    const job = first(
      await result("POST", "transfer/create", {
        data: { source: "volume=fields/a.txt", destination: "/tmp/in" },
      }),
    );
    const task = first(await result("GET", "task/find", { data: { parent: job.id } }));
    const delivery = first(await result("POST", "delivery/create", { data: { name: "Fields delivery" } }));
    const queue = first(await result("GET", "queue/find"));
    const app = first(await result("GET", "app/find"));
    Object.assign(found, {
      volume: vol,
      folder,
      home,
      collection: coll,
      share: folder,
      file,
      acl,
      user,
      transfer: job,
      task,
      site: hq,
      server: srv,
      delivery,
      queue,
      app,
    });
    for (const [k, v] of Object.entries(found)) ids[k] = String(v.id);
  });
  after(async () => server?.close());

  /** The create request for `kind` with `data` (files and tasks are created on their collection and job). */
  function create(kind: string, data: unknown): Promise<WireReply> {
    if (kind === "file") return w.send("POST", "file/create", { data, id: ids.collection });
    if (kind === "task") return w.send("POST", "task/create", { data, id: ids.transfer });
    return w.send("POST", `${kind}/create`, { data });
  }

  /** The edit request for `kind` changing `data` on the entity made in before(). */
  function edit(kind: string, data: Json): Promise<WireReply> {
    if (kind === "task") return w.send("PUT", "task/edit", { data: [data], id: ids.transfer });
    return w.send("PUT", `${kind}/edit`, { data, id: ids[kind] });
  }

  const creatable = (d: KindFields): Field[] => d.fields.filter((f) => f.create && !f.within);

  it("the attributes reply is the descriptor, with create and update filters", async () => {
    for (const d of KINDS) {
      const rows = (await result("GET", "attributes", { data: { entitytype: d.kind } })) as Json[];
      const want = d.fields.map((f) => ({
        name: f.name,
        type: f.type,
        create: !!f.create,
        update: !!f.update,
        required: !!f.required,
      }));
      const got = rows.map(({ name, type, create, update, required }) => ({
        name,
        type,
        create,
        update,
        required,
      }));
      assert.deepEqual(got, want, `attributes of ${d.kind}`);
      const c = (await result("GET", "attributes", { data: { entitytype: d.kind, create: true } })) as Json[];
      assert.deepEqual(
        c.map((r) => r.name),
        d.fields.filter((f) => f.create).map((f) => f.name),
        `create attributes of ${d.kind}`,
      );
      const u = (await result("GET", "attributes", { data: { entitytype: d.kind, update: true } })) as Json[];
      assert.deepEqual(
        u.map((r) => r.name),
        d.fields.filter((f) => f.update).map((f) => f.name),
        `update attributes of ${d.kind}`,
      );
    }
  });

  it("create accepts (and type-checks) exactly the attributes marked create; others are refused", async () => {
    for (const d of KINDS) {
      if (creatable(d).length === 0) {
        const r = await create(d.kind, { name: "x" });
        assert.ok(r.status >= 400 && r.status < 500, `${d.kind}/create is refused: ${r.status} ${r.text}`);
        continue;
      }
      for (const f of d.fields) {
        const what = `${d.kind}/create with '${f.name}'`;
        if (f.within) {
          const r = await create(d.kind, { [f.within]: [{ [f.name]: wrongValue(f) }] });
          if (f.create) typeChecked(r, f.name, `${what} inside ${f.within}`);
          else refusedAsReadOnly(r, f.name, `${what} inside ${f.within}`);
          continue;
        }
        const r = await create(d.kind, { [f.name]: wrongValue(f) });
        if (f.create) typeChecked(r, f.name, what);
        else refusedAsReadOnly(r, f.name, what);
      }
    }
  });

  it("inside a task of task/create, only the fields marked within tasks are accepted", async () => {
    const task = KINDS.find((d) => d.kind === "task");
    assert.ok(task);
    for (const f of task.fields.filter((x) => !x.within)) {
      const r = await create("task", {
        tasks: [{ source: "a", destination: "/b", [f.name]: rightValue(f) }],
      });
      refusedAsReadOnly(r, f.name, `task/create with '${f.name}' inside a task`);
    }
  });

  it("create requires exactly the attributes marked required", async () => {
    for (const d of KINDS) {
      const required = creatable(d).filter((f) => f.required);
      const only: Json = Object.fromEntries(required.map((f) => [f.name, rightValue(f)]));
      if (creatable(d).length > 0) {
        const r = await create(d.kind, only);
        assert.ok(
          !/is required/.test(messageOf(r)),
          `${d.kind}/create with only the required attributes does not miss one: ${r.status} ${r.text}`,
        );
      }
      for (const f of required) {
        const body = { ...only };
        delete body[f.name];
        const r = await create(d.kind, body);
        assert.equal(r.status, 400, `${d.kind}/create without '${f.name}': ${r.text}`);
        assert.ok(
          messageOf(r).includes(`'${f.name}' is required`),
          `${d.kind}/create without '${f.name}' names it: ${messageOf(r)}`,
        );
      }
    }
  });

  it("edit accepts (and type-checks) exactly the attributes marked update; others are refused", async () => {
    for (const d of KINDS) {
      const writable = d.fields.filter((f) => f.update);
      if (writable.length === 0) {
        const r = await edit(d.kind, { name: "x" });
        assert.ok(r.status >= 400 && r.status < 500, `${d.kind}/edit is refused: ${r.status} ${r.text}`);
        continue;
      }
      for (const f of d.fields) {
        const what = `${d.kind}/edit of '${f.name}'`;
        const r = await edit(d.kind, { [f.name]: wrongValue(f) });
        if (f.update || f.selector) typeChecked(r, f.name, what);
        else refusedAsReadOnly(r, f.name, what);
      }
    }
  });

  it("every attribute marked update has a rule applying it (a well-typed edit never answers 500)", async () => {
    for (const d of KINDS) {
      for (const f of d.fields.filter((x) => x.update)) {
        const r = await edit(d.kind, { [f.name]: rightValue(f) });
        assert.ok(
          r.status < 500,
          `${d.kind}/edit of '${f.name}' (${JSON.stringify(rightValue(f))}): ${r.status} ${r.text}`,
        );
      }
    }
  });

  it("admin-only attributes are refused to other roles as read-only", async () => {
    const emp = await Wire.login(server, server.credentials("employee"));
    const me = first(await emp.result("GET", "user/find", { query: "code=employee@example.com" }));
    for (const d of KINDS) {
      for (const f of d.fields.filter((x) => x.update && x.adminOnly)) {
        const r = await emp.send("PUT", `${d.kind}/edit`, {
          data: { [f.name]: rightValue(f) },
          id: String(me.id),
        });
        refusedAsReadOnly(r, f.name, `employee edits own ${d.kind} '${f.name}'`);
      }
    }
  });

  it("every attribute a find returns is listed by attributes", async () => {
    // `share` (any kind) lists only what every kind has; each kind's own descriptor is checked instead.
    for (const d of KINDS.filter((x) => x.kind !== "share")) {
      const names = new Set(d.fields.map((f) => f.name));
      const unlisted = Object.keys(found[d.kind]).filter((k) => !names.has(k));
      assert.deepEqual(unlisted, [], `${d.kind} attributes missing from its descriptor`);
    }
  });
});

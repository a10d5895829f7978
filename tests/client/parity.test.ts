import * as assert from "node:assert/strict";

import { AccsynClient, q } from "pulumi-accsyn/client";
import { runPython } from "../helpers/python";
import { envelopeOf, LOGIN_OK, Recorded, Recorder, startRecorder } from "./recorder";

const ID = "0123456789abcdef01234567";

/** Records what the official client and ours send for the same calls, and compares them. */
describe("client wire parity with the official Python client (recorded)", function () {
  this.timeout(300_000);
  let rec: Recorder;

  before(async () => {
    rec = await startRecorder((r) => {
      if (r.url.startsWith("/api/v3/J3PKTtDvolDMBtTy6AFGA")) {
        return { status: 200, body: { result: { hostname: "127.0.0.1", port: rec.port } } };
      }
      if (r.url.startsWith("/api/v3/api/login")) return LOGIN_OK;
      const e = envelopeOf(r);
      if (String(e.uri).toLowerCase().endsWith("/find")) return { status: 200, body: { result: [] } };
      return { status: 200, body: { result: [{ id: ID }] } };
    });
  });
  after(async () => rec?.close());

  async function record(fn: () => Promise<unknown>): Promise<Recorded[]> {
    const start = rec.requests.length;
    await fn();
    return rec.requests.slice(start);
  }

  it("sends the same endpoints, headers, methods and envelope fields", async () => {
    const py = await record(() =>
      runPython(
        `
s = Session()
s.find("Volume WHERE code=projects", inactive=True)
s.get_entity("Folder", "${ID}")
s.update("Folder", "${ID}", {"name": "x"})
s.deactivate_one("Folder", "${ID}")
s.delete_one("Folder", "${ID}")
out(True)
`,
        {
          ACCSYN_PROXY: `accsyn:127.0.0.1:${rec.port}`,
          ACCSYN_WORKSPACE: "demo",
          ACCSYN_API_USER: "admin@example.com",
          ACCSYN_API_KEY: "parity-key",
        },
      ),
    );
    const c = new AccsynClient({
      proxy: `accsyn:127.0.0.1:${rec.port}`,
      workspace: "demo",
      user: "admin@example.com",
      apiKey: "parity-key",
      env: {},
    });
    const ts = await record(async () => {
      await c.find("Volume", q.eq("code", "projects"), { inactive: true });
      await c.getEntity("Folder", ID).catch(() => undefined);
      await c.update("Folder", ID, { name: "x" }).catch(() => undefined);
      await c.deactivate("Folder", ID);
      await c.delete("Folder", ID);
    });
    await c.close();

    // the official client looks the workspace up even behind a proxy; ours skips it
    const pyCalls = py.filter((r) => !r.url.startsWith("/api/v3/J3PKTtDvolDMBtTy6AFGA"));
    assert.equal(pyCalls.length, ts.length);
    for (let i = 0; i < ts.length; i++) {
      const a = pyCalls[i];
      const b = ts[i];
      assert.equal(b.method, a.method, `call ${i}`);
      assert.equal(b.url.split("?")[0], a.url.split("?")[0], `path of call ${i}`);
      assert.equal(b.headers.authorization, a.headers.authorization, `authorization of call ${i}`);
      assert.equal(b.headers["x-accsyn-workspace"], a.headers["x-accsyn-workspace"]);
      if (i === 0) continue; // login
      const ea = envelopeOf(a);
      const eb = envelopeOf(b);
      assert.deepEqual(Object.keys(eb).sort(), Object.keys(ea).sort(), `envelope keys of ${String(ea.uri)}`);
      for (const k of ["audience", "workspace", "uri", "ident", "session", "id", "data"]) {
        assert.deepEqual(eb[k], ea[k], `${k} of ${String(ea.uri)}`);
      }
      assert.match(String(eb.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.match(String(ea.created), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      assert.ok(
        Math.abs(Date.parse(`${String(eb.created)}Z`) - Date.parse(`${String(ea.created)}Z`)) < 120_000,
        "both UTC",
      );
      // GET/DELETE: the whole event is the raw query string in both
      if (a.method === "GET" || a.method === "DELETE") {
        assert.ok(!a.url.split("?")[1].includes("="));
        assert.ok(!b.url.split("?")[1].includes("="));
      }
    }
    // queries differ only in quoting and case (the official client lower-cases, we quote)
    assert.equal(envelopeOf(pyCalls[1]).query, "code=projects");
    assert.equal(envelopeOf(ts[1]).query, 'code="projects"');
  });
});

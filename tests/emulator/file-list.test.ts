import * as assert from "node:assert/strict";
import { startServer } from "accsyn-local";
import { seedCredentials } from "../helpers/server";
import { type Json, list } from "./common";
import { Wire, messageOf } from "./wire";

type Running = Awaited<ReturnType<typeof startServer>>;

/**
 * `file/find` without a collection (README Decision 17): the files of every collection the caller
 * sees, each naming its collection in `parent`, in one request; files of inactive collections only
 * with `inactive`; paged like every find; and refused, as before, by a server started with
 * `fileFindNeedsParent` (a service that lists files only per collection).
 */
describe("accsyn-local: file/find without a collection lists every collection's files", function () {
  this.timeout(60_000);
  let server: Running;
  let strict: Running;
  let admin: Wire;
  let open: Json;
  let closed: Json;

  before(async () => {
    [server, strict] = await Promise.all([
      startServer({ rateLimit: false }),
      startServer({ rateLimit: false, fileFindNeedsParent: true }),
    ]);
    admin = await Wire.login(server, seedCredentials("admin"));
    const hq = list(await admin.result("GET", "server/find", { data: {} }))[0];
    await admin.result("POST", "volume/create", {
      data: { name: "Files", code: "files", paths: { linux: "/files" }, server: hq.id },
    });
    const collection = async (code: string, files: string[]): Promise<Json> =>
      list(await admin.result("POST", "collection/create", { data: { name: code, code, files } }))[0];
    open = await collection("open", ["volume=files/a.pdf", "volume=files/b.pdf"]);
    closed = await collection("closed", ["volume=files/c.pdf"]);
    await admin.result("DELETE", "collection/deactivate", { id: String(closed.id) });
  });
  after(async () => {
    await server?.stop();
    await strict?.stop();
  });

  const byCollection = (files: Json[]): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const f of files) (out[String(f.parent)] ??= []).push(String(f.path));
    for (const paths of Object.values(out)) paths.sort();
    return out;
  };

  it("lists the files of active collections, each naming its collection; inactive ones with inactive=true", async () => {
    const active = list(await admin.result("GET", "file/find", { data: {} }));
    assert.deepEqual(byCollection(active), {
      [String(open.id)]: ["volume=files/a.pdf", "volume=files/b.pdf"],
    });
    const all = list(await admin.result("GET", "file/find", { data: { inactive: true } }));
    assert.deepEqual(byCollection(all), {
      [String(open.id)]: ["volume=files/a.pdf", "volume=files/b.pdf"],
      [String(closed.id)]: ["volume=files/c.pdf"],
    });
    // The documented form is unchanged: one collection's files, even an inactive one's.
    const one = list(await admin.result("GET", "file/find", { data: { parent: String(closed.id) } }));
    assert.deepEqual(byCollection(one), { [String(closed.id)]: ["volume=files/c.pdf"] });
  });

  it("pages with limit and skip like every find, and shows a user only the collections they see", async () => {
    const all = list(await admin.result("GET", "file/find", { data: { inactive: true } }));
    const page = list(
      await admin.result("GET", "file/find", { data: { inactive: true, limit: 1, skip: 1 } }),
    );
    assert.deepEqual(
      page.map((f) => f.id),
      [all[1]?.id],
    );
    const standard = await Wire.login(server, seedCredentials("standard"));
    assert.deepEqual(list(await standard.result("GET", "file/find", { data: { inactive: true } })), []);
  });

  it("bad flags get a 400 naming the flag", async () => {
    for (const [data, flag] of [
      [{ limit: -1 }, "limit"],
      [{ parent: 5 }, "parent"],
      [{ attributes: "path" }, "attributes"],
    ] as const) {
      const r = await admin.send("GET", "file/find", { data });
      assert.equal(r.status, 400, `${JSON.stringify(data)}: ${r.text}`);
      assert.match(messageOf(r), new RegExp(flag), JSON.stringify(data));
    }
  });

  it("a server started with fileFindNeedsParent refuses it (400) and still answers per collection", async () => {
    const w = await Wire.login(strict, seedCredentials("admin"));
    const r = await w.send("GET", "file/find", { data: { inactive: true } });
    assert.equal(r.status, 400, r.text);
    assert.match(messageOf(r), /parent/);
    // `null` names no collection either
    assert.equal((await w.send("GET", "file/find", { data: { parent: null } })).status, 400);
    const hq = list(await w.result("GET", "server/find", { data: {} }))[0];
    await w.result("POST", "volume/create", {
      data: { name: "Files", code: "files", paths: { linux: "/files" }, server: hq.id },
    });
    const c = list(
      await w.result("POST", "collection/create", {
        data: { name: "c", code: "c", files: ["volume=files/x"] },
      }),
    )[0];
    const files = list(await w.result("GET", "file/find", { data: { parent: String(c.id) } }));
    assert.deepEqual(
      files.map((f) => f.path),
      ["volume=files/x"],
    );
  });
});

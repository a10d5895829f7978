import * as assert from "node:assert/strict";
import { request } from "undici";
import { startTestServer, type TestServer } from "../helpers/server";
import { PY_MKVOL, assertError, assertOk, attempt, list, obj, py, seedServers, type Json } from "./common";

// Issue 10 item 6, deliveries: the steps of the official suite's tests/test_delivery.py
// and test_find_entitytypes.py that need no file transfer, through the official client.
describe("deliveries and recipients (issue 10 item 6, official client)", function () {
  this.timeout(90_000);
  let server: TestServer;
  let std: string;

  before(async () => {
    server = await startTestServer();
    std = server.credentials("standard").code;
    const hq = (await seedServers(server))[0];
    await py(server, "admin", PY_MKVOL + `mkvol(s, "storage", ARGS["server"], default=True)\nout(1)`, {
      server: hq.id,
    });
  });
  after(async () => server?.close());

  async function newDelivery(name: string): Promise<Json> {
    return obj(await py(server, "admin", `out(s.create("Delivery", {"name": ARGS["name"]}))`, { name }));
  }

  it("attributes WHERE entitytype=delivery list code, name and public, never data or config, for every role", async () => {
    for (const role of ["admin", "employee", "standard"] as const) {
      const rows = list(await py(server, role, `out(s.find("attributes WHERE entitytype=delivery"))`), role);
      const names = rows.map((r) => String(r.name));
      for (const n of ["code", "name", "public", "status", "user"])
        assert.ok(names.includes(n), `${role}: ${n}`);
      for (const n of ["data", "config", "tasks"]) assert.ok(!names.includes(n), `${role}: no ${n}`);
    }
  });

  it("an admin creates a delivery (init, not public); employees without the volume and standard users cannot", async () => {
    const d = await newDelivery("Project references temp");
    assert.equal(d.name, "Project references temp");
    assert.equal(d.status, "init");
    assert.equal(d.public, false);
    for (const k of ["data", "config", "tasks"]) assert.ok(!(k in d), `no ${k} in ${JSON.stringify(d)}`);
    const got = obj(await py(server, "admin", `out(s.get_entity("Delivery", ARGS["id"]))`, { id: d.id }));
    assert.equal(got.id, d.id);
    for (const role of ["employee", "standard"] as const) {
      const r = attempt(await py(server, role, `out(attempt(lambda: s.create("Delivery", {"name": "x"})))`));
      assertError(r, `${role} creates a delivery`, role);
      const seen = await py(server, role, `out(s.get_entity("Delivery", ARGS["id"]))`, { id: d.id });
      assert.equal(seen, null, `${role} does not see the admin's delivery`);
    }
  });

  it("an employee granted the default volume creates one and manages only their own", async () => {
    const vol = obj(await py(server, "admin", `out(s.find_one("Volume WHERE default=true"))`));
    const emp = server.credentials("employee").code;
    await py(server, "admin", `out(s.grant("User", ARGS["emp"], "Volume", ARGS["vol"]))`, {
      emp,
      vol: vol.id,
    });
    const mine = obj(await py(server, "employee", `out(s.create("Delivery", {"name": "Refs (EMP)"}))`));
    assert.equal(mine.status, "init");
    const admins = await newDelivery("Admin only");
    const r = obj(
      await py(
        server,
        "employee",
        `out({"own": attempt(lambda: s.grant("User", ARGS["std"], "Delivery", ARGS["mine"])),
      "other": attempt(lambda: s.grant("User", ARGS["std"], "Delivery", ARGS["admins"]))})`,
        { std, mine: mine.id, admins: admins.id },
      ),
    );
    assert.equal(assertOk(attempt(r.own), "employee adds a recipient to their delivery"), true);
    assertError(attempt(r.other), "employee adds a recipient to the admin's delivery", "no delivery");
  });

  it("recipients: grant answers True while pending, access lists them by e-mail, revoke removes them", async () => {
    const d = await newDelivery("Recipients");
    const r = obj(
      await py(
        server,
        "admin",
        `
u = s.find_one("User WHERE code='%s'" % ARGS["std"])
s.delete_one("User", u["id"])
no_invite = attempt(lambda: s.grant("User", "nobody@example.com", "Delivery", ARGS["id"], {"invite": False}))
granted = s.grant("User", ARGS["std"], "Delivery", ARGS["id"])
again = s.grant("User", ARGS["std"], "Delivery", ARGS["id"])
listed = s.access("Delivery", ARGS["id"])
back = s.find_one("User WHERE code='%s'" % ARGS["std"])
revoked = s.revoke("User", ARGS["std"], "Delivery", ARGS["id"])
after = s.access("Delivery", ARGS["id"])
revoked_again = s.revoke("User", ARGS["std"], "Delivery", ARGS["id"])
out({"no_invite": no_invite, "granted": granted, "again": again, "listed": listed, "back": back,
     "revoked": revoked, "after": after, "revoked_again": revoked_again})
`,
        { std, id: d.id },
      ),
    );
    assertError(attempt(r.no_invite), "grant to an unknown e-mail without invite", "invite");
    assert.equal(r.granted, true, "test_delivery order 6: grant on a pending delivery is True");
    assert.equal(r.again, true, "a second grant is idempotent");
    const listed = list(r.listed, "recipients");
    assert.equal(listed.length, 1);
    assert.equal(listed[0].user_hr, std, "recipients[0]['user_hr'] is the e-mail");
    assert.equal(listed[0].actioned, false);
    assert.equal(obj(r.back).code, std, "the deactivated user came back with the grant");
    assert.equal(r.revoked, true);
    assert.deepEqual(r.after, []);
    assert.equal(r.revoked_again, false, "the client answers False when the user is no recipient");
  });

  it("submit needs recipients and a finished upload (test_delivery orders 20-22); then it is waiting and its recipients see it", async () => {
    const d = await newDelivery("Submit");
    const r = obj(
      await py(
        server,
        "admin",
        `
bare = attempt(lambda: s.update("Delivery", ARGS["id"], {"status": "pending"}))
s.grant("User", ARGS["std"], "Delivery", ARGS["id"])
empty = attempt(lambda: s.update("Delivery", ARGS["id"], {"status": "pending"}))
up = s.create("Transfer", {"parent": ARGS["id"], "source": "/tmp/data/jonssonligan.jpg"})
unfinished = attempt(lambda: s.update("Delivery", ARGS["id"], {"status": "pending"}))
out({"bare": bare, "empty": empty, "up": up, "unfinished": unfinished,
     "status": s.get_entity("Delivery", ARGS["id"])["status"]})
`,
        { std, id: d.id },
      ),
    );
    assertError(attempt(r.bare), "submit without recipients", "recipient");
    assertError(attempt(r.empty), "submit without uploads", "no files", "upload them");
    assertError(attempt(r.unfinished), "submit before the upload is done", "not finished", "offline");
    assert.equal(r.status, "init", "a refused submit changes nothing");
    const up = obj(r.up);
    assert.equal(up.parent, d.id, "the upload is a child job of the delivery");
    assert.equal(up.destination_path, `volume=storage/deliveries/${String(d.id)}/`);
    const uploads = obj(
      await py(
        server,
        "employee",
        `out({"other": attempt(lambda: s.create("Transfer", {"parent": ARGS["id"], "source": "/tmp/x.jpg"}))})`,
        { id: d.id },
      ),
    );
    assertError(attempt(uploads.other), "an employee uploads to the admin's delivery", "no delivery");
    assert.equal(
      await py(server, "standard", `out(s.get_entity("Delivery", ARGS["id"]))`, { id: d.id }),
      null,
    );
    const adv = await request(`${server.controlUrl}/jobs/${String(up.id)}/advance`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "done" }),
    });
    assert.equal(adv.statusCode, 200, await adv.body.text());
    const sub = obj(
      await py(server, "admin", `out(s.update("Delivery", ARGS["id"], {"status": "pending"}))`, { id: d.id }),
    );
    assert.equal(sub.status, "waiting", "test_submit_temp_delivery: on the move, then waiting");
    const seen = obj(await py(server, "standard", `out(s.get_entity("Delivery", ARGS["id"]))`, { id: d.id }));
    assert.equal(seen.id, d.id, "a recipient sees a submitted delivery");
  });

  it("abort and delete are for the admin (or the creator) only; aborted is finished, deleted is archived", async () => {
    const d = await newDelivery("Abort");
    for (const role of ["employee", "standard"] as const) {
      const x = obj(
        await py(
          server,
          role,
          `out({"abort": attempt(lambda: s.update("Delivery", ARGS["id"], {"status": "aborted"})),
      "delete": attempt(lambda: s.delete_one("Delivery", ARGS["id"])),
      "grant": attempt(lambda: s.grant("User", ARGS["std"], "Delivery", ARGS["id"]))})`,
          { std, id: d.id },
        ),
      );
      for (const k of ["abort", "delete", "grant"]) assertError(attempt(x[k]), `${role} ${k}`);
    }
    const done = obj(
      await py(
        server,
        "admin",
        `
a = s.update("Delivery", ARGS["id"], {"status": "aborted"})
listed = [x["id"] for x in s.find("Delivery")]
finished = [x["id"] for x in s.find("Delivery", finished=True)]
deleted = s.delete_one("Delivery", ARGS["id"])
out({"a": a, "listed": listed, "finished": finished, "deleted": deleted,
     "get": s.get_entity("Delivery", ARGS["id"]), "archived": [x["id"] for x in s.find("Delivery", archived=True)]})
`,
        { id: d.id },
      ),
    );
    assert.equal(obj(done.a).status, "aborted", "test_delivery order 29");
    assert.ok(!(done.listed as string[]).includes(String(d.id)), "an aborted delivery is finished");
    assert.ok((done.finished as string[]).includes(String(d.id)));
    assert.equal(done.deleted, true, "test_delivery order 99: delete_one is True");
    assert.equal(obj(done.get).archived, true, "get_entity sees it 'regardless if archived' (its docstring)");
    assert.ok((done.archived as string[]).includes(String(d.id)), "kept for audit (archived)");
  });
});

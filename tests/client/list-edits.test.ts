import * as assert from "node:assert/strict";

import { startServer } from "accsyn-local";
import { AccsynClient, Folder, Volume } from "pulumi-accsyn/client";
import { clientFor, counters, resetCounters, Running } from "./local";

/**
 * Writes whose effect the client knows edit the lists it holds instead of dropping them, and writes
 * whose effect it does not know still show at the next lookup. Lists are kept for a minute, so a
 * fresh answer without a read (counted by accsyn-local) can only come from an edit.
 */
describe("client list edits: known effects edit the held lists, unknown ones re-read", function () {
  this.timeout(60_000);
  let server: Running;
  let c: AccsynClient;
  let vol: Volume;
  let folder: Folder;
  let hq: string;
  let sto: string;

  /** GET calls per uri since the last reset. */
  async function reads(): Promise<Record<string, number>> {
    const byUri = (await counters(server)).byUri;
    return Object.fromEntries(Object.entries(byUri).filter(([k]) => k.startsWith("GET ")));
  }

  before(async () => {
    server = await startServer({ control: true, rateLimit: false });
    c = clientFor(server, "admin", { cacheTtlMs: 60_000 });
    const servers = await c.list("Server", {});
    hq = servers.find((s) => s.code === "hq-server")?.id ?? "";
    sto = servers.find((s) => s.code === "sto-server")?.id ?? "";
    vol = await c.create("Volume", { name: "Edits", code: "edits", paths: { linux: "/edits" }, server: hq });
    folder = await c.create("Folder", { parent: vol.id, path: "f", name: "F", code: "edits_f" });
  });
  after(async () => {
    await c?.close();
    await server?.stop();
  });

  it("a grant that may invite a known active user re-reads no user list", async () => {
    const standard = await c.lookupByCode("User", "standard@example.com");
    assert.ok(standard);
    await resetCounters(server);
    await c.grant(standard.id, "Folder", folder.id, { path: "a", read: true, invite: true });
    await c.grant("standard@example.com", "Folder", folder.id, { path: "b", read: true, invite: true });
    assert.equal((await c.lookupByCode("User", "standard@example.com"))?.id, standard.id);
    assert.deepEqual(await reads(), {});
  });

  it("a grant that invites an unknown e-mail makes the new user visible to the next lookup", async () => {
    assert.equal(await c.lookupByCode("User", "new.person@example.com"), undefined);
    const acl = await c.grant("new.person@example.com", "Folder", folder.id, { read: true, invite: true });
    const invited = await c.lookupByCode("User", "new.person@example.com");
    assert.equal(acl.entity, `user:${invited?.id}`);
  });

  it("a grant that brings a deactivated user back shows them active again", async () => {
    const u = await c.lookupByCode("User", "new.person@example.com");
    assert.ok(u);
    await c.deactivate("User", u.id);
    assert.equal((await c.lookupById("User", u.id))?.inactive, true);
    await c.grant(u.id, "Folder", folder.id, { path: "c", read: true, invite: true });
    assert.notEqual((await c.lookupById("User", u.id))?.inactive, true);
  });

  it("an invitation re-reads only the invited user: every other user and every home is answered from the held lists", async () => {
    const standard = await c.lookupByCode("User", "standard@example.com");
    assert.ok(standard);
    await c.list("Home");
    await resetCounters(server);
    const acl = await c.grant("fresh.face@example.com", "Folder", folder.id, { path: "x", read: true });
    // a second grant to them: known active from the first, so it can bring no one back (no home in doubt)
    await c.grant("fresh.face@example.com", "Folder", folder.id, { path: "x2", read: true });
    // no read before the grants (the held list shows no such user) and none after them for anyone else
    assert.equal((await c.lookupByCode("User", "standard@example.com"))?.id, standard.id);
    assert.equal((await c.lookupById("User", standard.id))?.code, "standard@example.com");
    await c.list("Home");
    assert.deepEqual(await reads(), {});
    // the invited user, by e-mail and by the id the ACL names, is read again: once
    const invited = await c.lookupByCode("User", "fresh.face@example.com");
    assert.equal(acl.entity, `user:${invited?.id}`);
    assert.equal(invited?.inactive, false);
    assert.equal((await c.lookupById("User", invited.id))?.code, "fresh.face@example.com");
    assert.deepEqual(await reads(), { "GET user/find": 1 });
  });

  it("a reference to a user a grant just invited is answered from the grant, and agrees with the service", async () => {
    await c.lookupByCode("User", "standard@example.com");
    await resetCounters(server);
    const acl = await c.grant("Ref.Face@example.com", "Folder", folder.id, { path: "ref", read: true });
    const byEmail = await c.findUserRef("ref.face@example.com");
    const byId = await c.findUserRef(acl.entity.replace(/^user:/, ""));
    // what a grant check needs (id, e-mail, active) without reading the user list again
    assert.deepEqual(await reads(), {});
    assert.deepEqual(byId, byEmail);
    // the service's own entry, read once, is the same user
    const live = await c.lookupByCode("User", "ref.face@example.com");
    assert.ok(live);
    assert.deepEqual(byEmail, { id: live.id, code: live.code, inactive: live.inactive === true });
    assert.deepEqual(await reads(), { "GET user/find": 1 });
    // no doubt left: references to anyone are answered from the list just read
    assert.deepEqual(await c.findUserRef("standard@example.com"), {
      id: (await c.lookupByCode("User", "standard@example.com"))?.id,
      code: "standard@example.com",
      inactive: false,
    });
    assert.equal(await c.findUserRef("nobody.here@example.com"), undefined);
    assert.deepEqual(await reads(), { "GET user/find": 1 });
  });

  it("after an invitation, a whole user list is read again; a grant to the invited user then invites no one", async () => {
    await c.grant("second.face@example.com", "Folder", folder.id, { path: "y", read: true });
    await resetCounters(server);
    const codes = (await c.list("User")).map((u) => u.code);
    assert.ok(codes.includes("second.face@example.com"));
    // known active now: the next grant leaves no doubt, so nothing is read again
    await c.grant("second.face@example.com", "Folder", folder.id, { path: "z", read: true });
    assert.ok(await c.lookupByCode("User", "second.face@example.com"));
    await c.list("Home");
    assert.deepEqual(await reads(), { "GET user/find": 1 });
  });

  it("a revival leaves the user's homes in doubt: the home list is read again and shows the home back", async () => {
    const u = await c.lookupByCode("User", "revived@example.com");
    const user = u ?? (await c.create("User", { code: "revived@example.com", role: "employee" }));
    const home = await c.create("Home", { user: user.id });
    await c.deactivate("User", user.id);
    assert.equal((await c.lookupById("Home", home.id))?.inactive, true);
    assert.equal((await c.lookupByCode("User", "revived@example.com"))?.inactive, true);
    await resetCounters(server);
    // by e-mail: the held list shows the user deactivated, so the grant may bring them back
    await c.grant("revived@example.com", "Folder", folder.id, { path: "r", read: true });
    assert.notEqual((await c.lookupById("Home", home.id))?.inactive, true);
    assert.equal((await c.lookupById("User", user.id))?.inactive, false);
    assert.deepEqual(await reads(), { "GET home/find": 1, "GET user/find": 1 });
  });

  it("assigning and de-assigning a site server edit the held volume list; no share list is read again", async () => {
    const siteServers = async (): Promise<unknown> =>
      (await c.lookupById("Volume", vol.id))?.siteservers as unknown;
    await c.list("Folder");
    await c.list("Home");
    assert.deepEqual(await siteServers(), []);
    await resetCounters(server);
    await c.assignServer(vol.id, sto);
    assert.deepEqual(await siteServers(), [sto]);
    await c.list("Folder");
    await c.list("Home");
    await c.deassignServer(vol.id, sto);
    assert.deepEqual(await siteServers(), []);
    await c.list("Folder");
    await c.list("Home");
    assert.deepEqual(await reads(), {});
    // What the service says agrees with the edited list: the main server alone.
    assert.deepEqual(
      (await c.assignments(vol.id)).map((a) => a.id),
      [hq],
    );
  });

  it("a deactivated folder is marked inactive in the held lists, its ACLs leave the active ones' list, without a read", async () => {
    const f = await c.create("Folder", { parent: vol.id, path: "d", name: "D", code: "edits_d" });
    await c.grant("standard@example.com", "Folder", f.id, { read: true, invite: false });
    await c.list("Folder", {});
    await c.list("Folder");
    assert.ok((await c.listAcls()).some((a) => a.target === `share:${f.id}`));
    await resetCounters(server);
    await c.deactivate("Folder", f.id);
    assert.equal((await c.lookupById("Folder", f.id))?.inactive, true);
    assert.equal(
      (await c.list("Folder", {})).find((x) => x.id === f.id),
      undefined,
    );
    assert.equal(
      (await c.listAcls()).find((a) => a.target === `share:${f.id}`),
      undefined,
    );
    assert.deepEqual(await reads(), {});
    // what the service says agrees with the edited ACL list
    assert.equal(
      (await c.find("Acl")).find((a) => a.target === `share:${f.id}`),
      undefined,
    );
  });

  it("de-assigning the main server re-reads: the volume's path and its shares' status change too", async () => {
    const other = await c.create("Volume", {
      name: "Main",
      code: "edits_main",
      paths: { linux: "/m" },
      server: hq,
    });
    assert.equal((await c.lookupById("Volume", other.id))?.status, "enabled");
    await c.deassignServer(other.id, hq);
    const now = await c.lookupById("Volume", other.id);
    assert.equal(now?.server, null);
    assert.equal(now?.status, "offline");
  });
});

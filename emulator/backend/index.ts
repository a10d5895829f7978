/**
 * The backend model: owns the store, applies seeds, authenticates callers. Layers,
 * each importing only from those below it (checked by tests/emulator/layers.test.ts):
 *   core/      read-only lookups, access decisions, views, validation helpers
 *   fields/    one field descriptor per kind (validation + `attributes`)
 *   entities/  each kind's rules, writing only its own documents
 *   cascades/  operations that change several kinds together
 */
import { timingSafeEqual } from "node:crypto";
import { AuthError } from "../errors";
import type { SeedFile } from "../seed";
import type { Store } from "../store";
import { newId, nowStamp } from "../util";
import type { ClientDoc, SiteDoc, UserDoc, WorkspaceDoc } from "./core/model";
import { newApp } from "./entities/apps";
import { seedQueues } from "./entities/queues";
import { newUser } from "./entities/users";

export { makeCtx, type Ctx } from "./core/context";
export { advanceJob } from "./entities/transfers";
export { splitLegacyAcls } from "./entities/acls";
export { isFileListWithoutParent } from "./entities/collections";

export function applySeed(store: Store, seed: SeedFile): void {
  store.tx(() => {
    store.wipe();
    const now = nowStamp();
    const ws: WorkspaceDoc = { id: newId(), code: seed.workspace, name: seed.workspace, created: now };
    store.put("workspace", ws);
    const siteSeeds = seed.sites?.length ? seed.sites : [{ code: "hq", name: "Headquarters" }];
    const mainCode = siteSeeds.some((s) => s.code === "hq") ? "hq" : siteSeeds[0].code;
    const sites = new Map<string, SiteDoc>();
    for (const s of siteSeeds) {
      const doc: SiteDoc = {
        id: newId(),
        code: s.code,
        name: s.name ?? s.code,
        main: s.code === mainCode,
        created: now,
        creator: "system",
        modified: now,
        modifier: "system",
      };
      sites.set(s.code, doc);
      store.put("site", doc);
    }
    const users = seed.users.map((u) => newUser(undefined, u.code, u.role, u.name, u.apiKey));
    for (const u of users) store.put("user", u);
    const owner = users.find((u) => u.role === "admin") ?? users[0];
    for (const s of seed.servers ?? []) {
      const c: ClientDoc = {
        id: newId(),
        code: s.code,
        hostname: s.hostname ?? s.code,
        os: s.os ?? "linux",
        site: sites.get(s.site)?.id ?? "",
        type: 1,
        status: "online",
        user: owner.id,
        roles: s.roles ?? ["storage"],
        created: now,
        creator: "system",
        modified: now,
        modifier: "system",
      };
      store.put("client", c);
    }
    for (const a of seed.apps ?? []) {
      const user = users.find((u) => u.code === a.user.toLowerCase());
      if (user) store.put("client", newApp(user, a, now));
    }
    seedQueues(store, now);
    store.setMeta("seeded", now);
  });
}

export function workspaceOf(store: Store): WorkspaceDoc {
  const ws = store.list<WorkspaceDoc>("workspace")[0];
  if (!ws) throw new Error("The database holds no workspace (not seeded)");
  return ws;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The user whose e-mail and API key these are, or a 401. */
export function authenticate(store: Store, email: string, key: string): UserDoc {
  const e = email.trim().toLowerCase();
  const u = store.list<UserDoc>("user").find((x) => x.code === e);
  if (!u || !safeEqual(u._apiKey, key))
    throw new AuthError("Invalid API credentials (user or API key is wrong)");
  if (u.inactive || u.status === "disabled")
    throw new AuthError(`User '${u.code}' is deactivated or disabled`);
  return u;
}

import * as assert from "node:assert/strict";
import { Wire } from "../emulator/wire";
import type { FaultRule } from "../helpers/server";
import { type Decl, VOLUME, useEngine } from "./harness";

/** Resources in the faulty run (`ACCSYN_FAULT_N` overrides it; the figure is 200). */
const N = Number(process.env.ACCSYN_FAULT_N ?? 40);

/**
 * A fifth of all API calls fail, in the four ways a network and a busy service fail: throttled,
 * unavailable, connection reset before the event ran, or the reply lost after it was committed.
 * First match wins, so each probability is of the calls the rules above it let through.
 */
const FAULTS: FaultRule[] = [
  { uri: "*", action: "throttle", probability: 0.05, retryAfter: 0 },
  { uri: "*", action: "unavailable", probability: 0.05 / 0.95 },
  { uri: "*", action: "reset", probability: 0.05 / 0.9 },
  { uri: "*", action: "lost-reply", probability: 0.05 / 0.85 },
];

/** A volume, then folders, collections and grants in a mix, `n` resources in all. */
function mixed(n: number): Decl[] {
  const out: Decl[] = [VOLUME];
  for (let i = 0; out.length < n; i++) {
    const code = `f${i}`;
    out.push({
      type: "Folder",
      name: code,
      args: { name: `Folder ${i}`, code, volume: "@vol", path: `shows/${code}` },
    });
    if (out.length < n && i % 3 === 0)
      out.push({
        type: "Grant",
        name: `g${i}`,
        args: {
          user: "standard@example.com",
          share: `@${code}`,
          rules: [{ path: "/", read: true }],
          notify: false,
        },
      });
    if (out.length < n && i % 4 === 0)
      out.push({
        type: "Collection",
        name: `c${i}`,
        args: { name: `Collection ${i}`, code: `c${i}`, files: [`folder=${code}/a.mov`] },
        dependsOn: [code],
      });
  }
  return out;
}

describe("engine: up under injected faults", function () {
  this.timeout(900_000);
  const engine = useEngine();

  it(`${N} mixed resources under 20% faults: one up, no duplicate, then a preview with no changes`, async () => {
    const decls = mixed(N);
    const stack = await engine.stack("plans-faults", decls);
    await engine.server.setFaults(FAULTS);
    const started = Date.now();
    await stack.up();
    const seconds = (Date.now() - started) / 1000;
    const { byUri, total } = await engine.server.counters();
    await engine.server.setFaults([]);
    const dupes = (await engine.py(`
s = Session()
from collections import Counter
out({t: [c for c, k in Counter(str(e.get("code")) for e in s.find(t, inactive=True)).items() if k > 1]
     for t in ["Volume", "Folder", "Collection"]})
`)) as Record<string, string[]>;
    const wire = await Wire.login(engine.server, engine.admin);
    const acls = (await wire.result("GET", "acl/find", { query: "acl" })) as Record<string, unknown>[];
    const keys = acls.map((a) => JSON.stringify([a.entity, a.target, a.path ?? a.paths]));
    dupes.ACL = keys.filter((k, i) => keys.indexOf(k) !== i);
    console.log(
      `      ${N} resources under 20% faults: up in ${seconds.toFixed(0)} s, ${total} API calls; duplicates ${JSON.stringify(dupes)}`,
    );
    if (process.env.SHOW_PREVIEW) console.log(JSON.stringify(byUri));
    assert.deepEqual(dupes, { Volume: [], Folder: [], Collection: [], ACL: [] }, "no duplicate entity");
    assert.equal(acls.length, decls.filter((d) => d.type === "Grant").length, "one ACL per grant");
    const { changeSummary } = await stack.preview();
    assert.deepEqual(changeSummary, { same: decls.length + 1 }, "the next preview plans nothing");
  });
});

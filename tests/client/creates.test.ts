import * as assert from "node:assert/strict";
import fc from "fast-check";

import { AccsynClient, isAccsynError } from "pulumi-accsyn/client";
import { envelopeOf, LOGIN_OK, Recorder, startRecorder } from "./recorder";

const VOL = "abcdefabcdefabcdefabcdef";

/**
 * The fake workspace enforces no uniqueness, so only the client can prevent a second folder.
 *
 * What happens to one create attempt: refused before running (`throttled` 429, `unavailable` 503, `reset`
 * before it ran), run but unanswered (`lost`), or run and answered (`ok`).
 */
type Fate = "throttled" | "unavailable" | "reset" | "lost" | "ok";

describe("client creates: property — whatever happens to the attempts, never two entities", function () {
  this.timeout(120_000);
  let rec: Recorder;
  let fates: Fate[] = [];
  let folders: Record<string, unknown>[] = [];

  before(async () => {
    rec = await startRecorder((r) => {
      if (r.url.startsWith("/api/v3/api/login")) return LOGIN_OK;
      const e = envelopeOf(r);
      const data = (e.data ?? {}) as Record<string, unknown>;
      if (e.uri === "folder/find") {
        // the lookups of creates: by code, or by parent and path
        const q = String(e.query ?? "");
        return {
          status: 200,
          body: {
            result: folders.filter(
              (f) => q.includes(`"${String(f.path)}"`) || q.includes(`"${String(f.code)}"`),
            ),
          },
        };
      }
      if (e.uri !== "folder/create") return { status: 200, body: { result: [] } };
      const fate = fates.shift() ?? "ok";
      if (fate === "throttled")
        return { status: 429, body: { message: "slow down" }, headers: { "retry-after": "0" } };
      if (fate === "unavailable") return { status: 503, body: { message: "unavailable" } };
      if (fate === "reset") return { destroy: true };
      const f = {
        id: folders.length.toString(16).padStart(24, "0"),
        status: "enabled",
        parent: VOL,
        code: `c${folders.length}`,
        ...data,
      };
      folders.push(f);
      return fate === "lost" ? { destroy: true } : { status: 200, body: { result: [f] } };
    });
  });
  after(async () => rec?.close());

  it("a folder create ends with exactly one folder, returned, or a typed error and at most one", async () => {
    const c = new AccsynClient({
      endpoint: rec.url,
      workspace: "w",
      user: "u@x",
      apiKey: "k",
      env: {},
      budget: false,
      retry: { maxRetries: 5, minDelayMs: 1, maxDelayMs: 2 },
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom<Fate>("throttled", "unavailable", "reset", "lost", "ok"), {
            maxLength: 8,
          }),
          fc.boolean(),
          async (script, withCode) => {
            fates = [...script];
            folders = [];
            const data = { parent: VOL, path: "p/x", name: "X", ...(withCode ? { code: "x" } : {}) };
            let created: Record<string, unknown> | undefined;
            let failure: unknown;
            try {
              created = await c.create("Folder", data);
            } catch (e) {
              failure = e;
            }
            assert.ok(folders.length <= 1, `${folders.length} folders for ${script.join(",")}`);
            // the create runs at the first `lost` or `ok` (past the script, attempts succeed); it must be
            // returned whenever that attempt is within the 6 allowed
            const runsAt = script.findIndex((f) => f === "lost" || f === "ok");
            const attemptsNeeded = (runsAt < 0 ? script.length : runsAt) + 1;
            assert.equal(
              created !== undefined,
              attemptsNeeded <= 6,
              `outcome for ${script.join(",")}: ${String(failure)}`,
            );
            if (created !== undefined) {
              assert.equal(folders.length, 1);
              assert.equal(created.id, folders[0].id);
            } else {
              assert.ok(isAccsynError(failure), `untyped failure for ${script.join(",")}`);
            }
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      await c.close();
    }
  });
});

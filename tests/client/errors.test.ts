import * as assert from "node:assert/strict";

import {
  AccsynClient,
  classifyFailure,
  isAccsynHttpError,
  isAccsynNetworkError,
  isAccsynNotFoundError,
  isAccsynUsageError,
} from "pulumi-accsyn/client";
import { envelopeOf, LOGIN_OK, Recorder, startRecorder } from "./recorder";

const ID = "0123456789abcdef01234567";

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("client errors: what failed, on what, and what the service said, once", () => {
  let rec: Recorder;
  let c: AccsynClient;
  before(async () => {
    rec = await startRecorder((r) => {
      if (r.url.startsWith("/api/v3/api/login")) return LOGIN_OK;
      const uri = String(envelopeOf(r).uri);
      if (uri === "volume/edit")
        return { status: 400, body: { message: "bad", message_hr: "Invalid paths" } };
      if (uri === "folder/activate") return { status: 404, body: { message: "No folder with code 'gone'" } };
      if (uri === "site/find") return { status: 503, body: { message: "maintenance" } };
      if (uri === "transfer/create") return { destroy: true };
      return { status: 200, body: { result: [] } };
    });
    c = new AccsynClient({
      endpoint: rec.url,
      workspace: "w",
      user: "u@x",
      apiKey: "k",
      env: {},
      retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 2 },
    });
  });
  after(async () => {
    await c.close();
    await rec.close();
  });

  it("a refusal names operation and entity and quotes the service once", async () => {
    await assert.rejects(c.update("Volume", ID, { paths: {} }), (e: unknown) => {
      assert.ok(isAccsynHttpError(e));
      assert.equal(e.message, `accsyn refused volume/edit on Volume ${ID}: Invalid paths (HTTP 400)`);
      assert.equal(occurrences(e.message, "Invalid paths"), 1);
      assert.equal(e.serverMessage, "Invalid paths");
      assert.equal(e.outcome, "refused");
      assert.equal(e.operation, "volume/edit");
      assert.equal(e.entityType, "Volume");
      assert.equal(e.entityId, ID);
      return true;
    });
  });

  it("an entity named by code carries the code", async () => {
    await assert.rejects(c.activate("Folder", "gone"), (e: unknown) => {
      assert.ok(isAccsynNotFoundError(e));
      assert.equal(e.entityCode, "gone");
      assert.equal(e.entityId, undefined);
      assert.equal(
        e.message,
        `accsyn refused folder/activate on Folder "gone": No folder with code 'gone' (HTTP 404)`,
      );
      return true;
    });
  });

  it("unavailable is 'not run', a lost connection is 'may have run'", async () => {
    await assert.rejects(c.find("Site"), (e: unknown) => {
      assert.ok(isAccsynHttpError(e));
      assert.equal(e.outcome, "not-sent");
      assert.match(e.message, /^accsyn did not run site\/find on Site: maintenance \(HTTP 503\)$/);
      return true;
    });
    await assert.rejects(c.create("Transfer", { source: "share=x/a", destination: "/tmp" }), (e: unknown) => {
      assert.ok(isAccsynNetworkError(e));
      assert.equal(e.outcome, "ambiguous");
      assert.match(
        e.message,
        /^lost the connection to accsyn during transfer\/create on Transfer \((UND_ERR_SOCKET|ECONNRESET)\)/,
      );
      return true;
    });
  });

  it("bad input is refused before sending, naming what is wrong", async () => {
    const before = rec.requests.length;
    await assert.rejects(c.listFiles("not-an-id"), (e: unknown) => {
      assert.ok(isAccsynUsageError(e));
      assert.equal(e.operation, "file/find");
      assert.equal(e.outcome, undefined);
      return true;
    });
    assert.equal(rec.requests.length, before);
  });

  it("one classifier: status or network code → not-sent / ambiguous / refused", () => {
    const table: [number | undefined, string | undefined, string][] = [
      [429, undefined, "not-sent"],
      [503, undefined, "not-sent"],
      [500, undefined, "ambiguous"],
      [502, undefined, "ambiguous"],
      [504, undefined, "ambiguous"],
      [400, undefined, "refused"],
      [404, undefined, "refused"],
      [409, undefined, "refused"],
      [undefined, "ECONNREFUSED", "not-sent"],
      [undefined, "UND_ERR_CONNECT_TIMEOUT", "not-sent"],
      [undefined, "ECONNRESET", "ambiguous"],
      [undefined, "UND_ERR_SOCKET", "ambiguous"],
      [undefined, "UND_ERR_HEADERS_TIMEOUT", "ambiguous"],
    ];
    for (const [status, code, want] of table)
      assert.equal(classifyFailure(status, code), want, `${status} ${code}`);
  });
});

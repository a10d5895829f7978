/**
 * The one classifier of what a failed attempt means for the event it carried. The retry engine decides from it
 * whether to repeat a read, repeat a create or look the create up first; the errors carry it so that callers can
 * tell "accsyn refused" from "accsyn may or may not have done it".
 */
/**
 * - `not-sent`: the event certainly did not run (throttled, unavailable, never connected): repeating is safe.
 * - `ambiguous`: it may or may not have run (connection lost after sending, timeout, 5xx): a create must be
 *   looked up before it is repeated.
 * - `refused`: the server ran it and said no (4xx, or a `message` body): repeating changes nothing.
 */
export type FailureOutcome = "not-sent" | "ambiguous" | "refused";

/** Network codes after which nothing reached the server. */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Network codes that are timeouts (a reply that never came). */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Classifies a failure from its (classified) HTTP status, or, when there was no reply, its network code.
 * 429 and 503 are answered before the event runs (accsyn throttles and refuses at the gateway).
 */
export function classifyFailure(status: number | undefined, code?: string): FailureOutcome {
  if (status !== undefined) {
    if (status === 429 || status === 503) return "not-sent";
    return status >= 500 ? "ambiguous" : "refused";
  }
  return code !== undefined && NOT_SENT_CODES.has(code) ? "not-sent" : "ambiguous";
}

/**
 * The status that classifies a failure that arrived with a 2xx status (the real service may answer errors with
 * 200: the official client never looks at the status). A `message` means the server ran the event and refused
 * it, so it is never ambiguous: 404/409 when the text says so, else 400. An `exception` means it crashed while
 * running it (500); a body without result or not JSON is treated as a bad gateway (502).
 */
export function statusFor2xxFailure(reply: { kind: string; message: string }): number {
  if (reply.kind === "exception") return 500;
  if (reply.kind !== "message") return 502;
  const m = reply.message;
  if (/\bnot found\b|does not exist|doesn't exist|no such|unknown (entity|id)/i.test(m)) return 404;
  if (/already (exists|taken|in use)|\bduplicate\b|\bconflict|\bin use\b|\btaken\b/i.test(m)) return 409;
  return 400;
}

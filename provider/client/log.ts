/** Structured request events: what a caller may log or count. Never headers, bodies or credentials. */

/** One structured log event. */
export interface AccsynLogEvent {
  /**
   * `attempt`: a failed attempt that will be repeated; `request`: the outcome of a whole request; `reconcile`:
   * a create whose outcome was unknown was looked up by natural key (`outcome` says what was found).
   */
  type: "attempt" | "request" | "reconcile";
  /** For `reconcile`: `found` (the create had run; no second create) or `absent` (it will be repeated). */
  outcome?: "found" | "absent";
  method: string;
  /** Envelope uri (`folder/create`, `api/login`, `workspace/lookup`). */
  uri: string;
  /** HTTP status of the reply, as sent by the server. */
  status?: number;
  /** Error code of a network failure (`ECONNRESET`, `UND_ERR_SOCKET`, ...). */
  code?: string;
  /** Elapsed milliseconds since the request started. */
  ms: number;
  /** 1-based attempt number (for `request`: attempts used). */
  attempt: number;
  /** Delay before the next attempt (for `attempt` events). */
  retryInMs?: number;
}

export type AccsynLogger = (event: AccsynLogEvent) => void;

/** A logger that can never break a request: its exceptions are swallowed (and reported once on stderr). */
export function safeLogger(logger: AccsynLogger): AccsynLogger {
  let warned = false;
  return (event) => {
    try {
      logger(event);
    } catch (e) {
      if (!warned) {
        warned = true;
        process.emitWarning(`accsyn client logger threw: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
}

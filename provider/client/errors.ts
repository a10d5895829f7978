/**
 * The client's error taxonomy. Every failure the client reports is an {@link AccsynError}; the subclasses say
 * why, and the type guards let callers branch without `instanceof` across module copies.
 *
 * Each error carries the operation, the entity (type and id or code) and, when the service answered, its own
 * words (`serverMessage`), so that the caller can phrase "what accsyn said" and a fix without parsing `message`;
 * `message` states the failure once, in one line. No error ever carries request headers, the API key, or the raw
 * undici error object (whose fields could hold request options); only a sanitised `causeCode` and message.
 */
import { FailureOutcome, classifyFailure } from "./outcome";

/** Structured context shared by every client error. */
export interface AccsynErrorInit {
  /** The envelope `uri` of the operation, e.g. `folder/create`, `api/login`, `workspace/lookup`. */
  operation: string;
  /** The HTTP method used. */
  method?: string;
  /** The entity type the operation was about (e.g. `Folder`), when known. */
  entityType?: string;
  /** The 24-hex id of the targeted entity, when known. */
  entityId?: string;
  /** The code (or e-mail, for users) of the targeted entity, when it was named by code. */
  entityCode?: string;
  /** HTTP status of the reply, when there was one. */
  status?: number;
  /** The server's explanation: `message_hr ?? message ?? exception`. */
  serverMessage?: string;
  /** True when repeating the same call later may succeed (throttling, unavailability, network trouble). */
  retryable: boolean;
  /** A short machine code of the underlying cause (`ECONNRESET`, `UND_ERR_SOCKET`, ...), never the object. */
  causeCode?: string;
  /**
   * True when this reply came from a retry that followed an attempt whose outcome is unknown (connection lost
   * after sending, 502/504): e.g. a 404 from a retried delete may mean the first attempt deleted it.
   */
  afterAmbiguousAttempt?: boolean;
}

const BRAND = Symbol.for("pulumi-accsyn.client.error");

/** Base class of every error thrown by the client. */
export class AccsynError extends Error {
  override readonly name: string = "AccsynError";
  readonly operation: string;
  readonly method?: string;
  readonly entityType?: string;
  readonly entityId?: string;
  readonly entityCode?: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly retryable: boolean;
  readonly causeCode?: string;
  readonly afterAmbiguousAttempt?: boolean;

  constructor(message: string, init: AccsynErrorInit) {
    super(message);
    this.operation = init.operation;
    if (init.method !== undefined) this.method = init.method;
    if (init.entityType !== undefined) this.entityType = init.entityType;
    if (init.entityId !== undefined) this.entityId = init.entityId;
    if (init.entityCode !== undefined) this.entityCode = init.entityCode;
    if (init.status !== undefined) this.status = init.status;
    if (init.serverMessage !== undefined) this.serverMessage = init.serverMessage;
    this.retryable = init.retryable;
    if (init.causeCode !== undefined) this.causeCode = init.causeCode;
    if (init.afterAmbiguousAttempt) this.afterAmbiguousAttempt = true;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * What the failure means for the event (see {@link classifyFailure}); undefined for failures detected before
   * sending (usage) or after a successful reply (schema).
   */
  get outcome(): FailureOutcome | undefined {
    return undefined;
  }

  /** A plain, secret-free representation (used by JSON.stringify). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      operation: this.operation,
      method: this.method,
      entityType: this.entityType,
      entityId: this.entityId,
      entityCode: this.entityCode,
      outcome: this.outcome,
      status: this.status,
      serverMessage: this.serverMessage,
      retryable: this.retryable,
      causeCode: this.causeCode,
      afterAmbiguousAttempt: this.afterAmbiguousAttempt,
    };
  }
}

/** The server answered and said no (a `message`/`exception` body, or a non-JSON/non-2xx reply). */
export class AccsynHttpError extends AccsynError {
  override readonly name: string = "AccsynHttpError";
  declare private readonly brandHttpError: never;
  declare readonly status: number;
  /** Milliseconds the server asked us to wait (`Retry-After`), when it said. */
  readonly retryAfterMs?: number;
  constructor(message: string, init: AccsynErrorInit & { status: number; retryAfterMs?: number }) {
    super(message, init);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
  override get outcome(): FailureOutcome {
    return classifyFailure(this.status);
  }
}

/** HTTP 404: the entity (or operation) does not exist. */
export class AccsynNotFoundError extends AccsynHttpError {
  override readonly name: string = "AccsynNotFoundError";
  declare private readonly brandNotFoundError: never;
}

/** HTTP 409: duplicate code, share in use, and similar conflicts. */
export class AccsynConflictError extends AccsynHttpError {
  override readonly name: string = "AccsynConflictError";
  declare private readonly brandConflictError: never;
}

/** HTTP 401/403: bad credentials or a role that may not do this. */
export class AccsynAuthError extends AccsynHttpError {
  override readonly name: string = "AccsynAuthError";
  declare private readonly brandAuthError: never;
}

/** Connect, header or body timeout. */
export class AccsynTimeoutError extends AccsynError {
  override readonly name: string = "AccsynTimeoutError";
  declare private readonly brandTimeoutError: never;
  override get outcome(): FailureOutcome {
    return classifyFailure(undefined, this.causeCode);
  }
}

/** The connection failed or was dropped before a complete reply arrived. */
export class AccsynNetworkError extends AccsynError {
  override readonly name: string = "AccsynNetworkError";
  declare private readonly brandNetworkError: never;
  override get outcome(): FailureOutcome {
    return classifyFailure(undefined, this.causeCode);
  }
}

/** One issue found while validating a reply against its schema. */
export interface SchemaIssue {
  /** Dotted path inside the entity, e.g. `paths.linux` or `[3].id`. */
  path: string;
  message: string;
}

/** A reply did not have the shape the client relies on. */
export class AccsynSchemaError extends AccsynError {
  override readonly name: string = "AccsynSchemaError";
  declare private readonly brandSchemaError: never;
  readonly issues: SchemaIssue[];
  constructor(message: string, init: AccsynErrorInit & { issues: SchemaIssue[] }) {
    super(message, init);
    this.issues = init.issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** Invalid input detected before anything was sent (bad query value, missing credentials, ...). */
export class AccsynUsageError extends AccsynError {
  override readonly name: string = "AccsynUsageError";
  declare private readonly brandUsageError: never;
}

function branded(e: unknown): e is AccsynError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

const HTTP_NAMES = new Set([
  "AccsynHttpError",
  "AccsynNotFoundError",
  "AccsynConflictError",
  "AccsynAuthError",
]);

// The guards look at the brand and `name`, not `instanceof`, so that they also recognise errors thrown by another
// copy of this module (Pulumi serialises dynamic providers and may load the client twice).
export function isAccsynError(e: unknown): e is AccsynError {
  return branded(e);
}
export function isAccsynHttpError(e: unknown): e is AccsynHttpError {
  return branded(e) && typeof e.status === "number" && HTTP_NAMES.has(e.name);
}
export function isAccsynNotFoundError(e: unknown): e is AccsynNotFoundError {
  return isAccsynHttpError(e) && e.status === 404;
}
export function isAccsynConflictError(e: unknown): e is AccsynConflictError {
  return isAccsynHttpError(e) && e.status === 409;
}
export function isAccsynAuthError(e: unknown): e is AccsynAuthError {
  return isAccsynHttpError(e) && (e.status === 401 || e.status === 403);
}
export function isAccsynTimeoutError(e: unknown): e is AccsynTimeoutError {
  return branded(e) && e.name === "AccsynTimeoutError";
}
export function isAccsynNetworkError(e: unknown): e is AccsynNetworkError {
  return branded(e) && e.name === "AccsynNetworkError";
}
export function isAccsynSchemaError(e: unknown): e is AccsynSchemaError {
  return branded(e) && e.name === "AccsynSchemaError";
}
export function isAccsynUsageError(e: unknown): e is AccsynUsageError {
  return branded(e) && e.name === "AccsynUsageError";
}

/** Picks the right subclass for an HTTP failure. */
export function httpErrorFor(
  message: string,
  init: AccsynErrorInit & { status: number; retryAfterMs?: number },
): AccsynHttpError {
  switch (init.status) {
    case 404:
      return new AccsynNotFoundError(message, init);
    case 409:
      return new AccsynConflictError(message, init);
    case 401:
    case 403:
      return new AccsynAuthError(message, init);
    default:
      return new AccsynHttpError(message, init);
  }
}

/** `Folder 0123…` / `User "a@b.c"` / `Folder`: the entity an operation was about, for messages. */
export function entityLabel(init: Pick<AccsynErrorInit, "entityType" | "entityId" | "entityCode">): string {
  const ident =
    init.entityId !== undefined
      ? init.entityId
      : init.entityCode !== undefined
        ? JSON.stringify(init.entityCode)
        : undefined;
  return [init.entityType, ident].filter((x) => x !== undefined).join(" ");
}

/**
 * The one-line message of a failure on the wire: what happened to the operation, on which entity, then the
 * server's words or the network cause, each once. E.g. `accsyn refused volume/edit on Volume 0123…: Invalid
 * paths (HTTP 400)`, `no reply from accsyn to folder/create on Folder (UND_ERR_HEADERS_TIMEOUT)`.
 */
export function wireFailureMessage(
  init: Pick<
    AccsynErrorInit,
    "operation" | "entityType" | "entityId" | "entityCode" | "status" | "causeCode"
  >,
  detail: string,
): string {
  const label = entityLabel(init);
  const what = `${init.operation}${label !== "" ? ` on ${label}` : ""}`;
  if (init.status !== undefined) {
    const verb =
      classifyFailure(init.status) === "refused"
        ? "accsyn refused"
        : classifyFailure(init.status) === "not-sent"
          ? "accsyn did not run"
          : "accsyn failed while running";
    return `${verb} ${what}: ${detail}`;
  }
  const code = init.causeCode ?? "EUNKNOWN";
  if (classifyFailure(undefined, code) === "not-sent")
    return `could not reach accsyn for ${what} (${code}): ${detail}`;
  if (/TIMEOUT/.test(code)) return `no reply from accsyn to ${what} (${code}): ${detail}`;
  return `lost the connection to accsyn during ${what} (${code}): ${detail}`;
}

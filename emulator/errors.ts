/**
 * Typed errors raised by the backend model and the wire codec. They are turned
 * into wire replies (`{"message": ..., "message_hr": ...}` plus an HTTP status)
 * in exactly one place: `replyError` in wire.ts.
 */
export class EmulatorError extends Error {
  readonly status: number;
  readonly messageHr?: string;
  constructor(status: number, message: string, messageHr?: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.messageHr = messageHr;
  }
}

/** 400: malformed or invalid input. */
export class BadRequestError extends EmulatorError {
  constructor(message: string, messageHr?: string) {
    super(400, message, messageHr);
  }
}

/** 401: bad or missing credentials, unknown workspace. */
export class AuthError extends EmulatorError {
  constructor(message: string) {
    super(401, message);
  }
}

/** 403: the caller's role may not perform the operation. */
export class ForbiddenError extends EmulatorError {
  constructor(message: string) {
    super(403, message);
  }
}

/** 404: unknown entity or unknown operation. */
export class NotFoundError extends EmulatorError {
  constructor(message: string) {
    super(404, message);
  }
}

/** 409: duplicate code, share in use by active jobs, ... */
export class ConflictError extends EmulatorError {
  constructor(message: string) {
    super(409, message);
  }
}

/** 429: rate limited. */
export class ThrottledError extends EmulatorError {
  readonly retryAfter: number;
  constructor(message: string, retryAfter: number) {
    super(429, message);
    this.retryAfter = retryAfter;
  }
}

/** 503: injected unavailability. */
export class UnavailableError extends EmulatorError {
  constructor(message: string) {
    super(503, message);
  }
}

export function forbidden(role: string, operation: string, why?: string): ForbiddenError {
  return new ForbiddenError(`Role '${role}' may not perform ${operation}${why ? `: ${why}` : ""}`);
}

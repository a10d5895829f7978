/** Checks on the identifiers the client puts into envelopes, before anything is sent. */
import { isId } from "../vocabulary";
import { AccsynUsageError } from "./errors";

export function assertId(id: string, operation: string): void {
  if (!isId(id)) {
    throw new AccsynUsageError(`expected a 24-hex entity id, got ${JSON.stringify(id)}`, {
      operation,
      retryable: false,
    });
  }
}

/** A code that may be sent as a bare query (`activate` by code); anything else is refused. */
export function bareCode(code: string, operation: string): string {
  if (!/^[a-z0-9_.@+-]+$/.test(code)) {
    throw new AccsynUsageError(`invalid code ${JSON.stringify(code)}`, { operation, retryable: false });
  }
  return code;
}

/** The id in an ACL's reference to an entity (`<type>:<id>`, as in `entity` and `target`). */
export function refId(ref: string): string {
  return ref.slice(ref.indexOf(":") + 1);
}

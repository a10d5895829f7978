/**
 * Errors the resources raise themselves (the client raises its own, see provider/client/errors.ts).
 * Each names the resource kind, the field when there is one, what is wrong and how to fix it, because
 * the engine shows only the message to the person reading a failed preview.
 */
export class ResourceInputError extends Error {
  override readonly name = "ResourceInputError";
  constructor(
    readonly kind: string,
    readonly field: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`accsyn ${kind}: field '${field}': ${problem}. Fix: ${fix}`);
  }
}

/** The live workspace is in a state that the declared change cannot be applied to as is. */
export class ResourceConflictError extends Error {
  override readonly name = "ResourceConflictError";
  constructor(
    readonly kind: string,
    readonly operation: string,
    message: string,
  ) {
    super(`accsyn ${kind} ${operation}: ${message}`);
  }
}

/**
 * The failures accsyn-export expects and explains. Each says what went wrong and how to get past
 * it; the command prints the message without a stack and exits non-zero.
 */

/** A command line the exporter cannot act on (unknown option, missing value, unknown volume). */
export class ExportUsageError extends Error {
  override readonly name = "ExportUsageError";
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`accsyn-export: ${problem}; ${fix}`);
  }
}

/**
 * Reading the workspace failed: which read (`operation`, e.g. `acl/find`), what accsyn or the
 * network said, and what to check.
 */
export class ExportReadError extends Error {
  override readonly name = "ExportReadError";
  constructor(
    readonly operation: string,
    readonly said: string,
    readonly fix: string,
  ) {
    super(`accsyn-export: reading the workspace failed at ${operation}: ${said}; ${fix}`);
  }
}

/** Writing the program failed (the output directory cannot be written). */
export class ExportWriteError extends Error {
  override readonly name = "ExportWriteError";
  constructor(
    readonly target: string,
    readonly said: string,
  ) {
    super(`accsyn-export: cannot write ${target}: ${said}`);
  }
}

export function isExportError(e: unknown): e is ExportUsageError | ExportReadError | ExportWriteError {
  return e instanceof ExportUsageError || e instanceof ExportReadError || e instanceof ExportWriteError;
}

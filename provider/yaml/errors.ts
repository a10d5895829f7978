import { RunError } from "@pulumi/pulumi/errors";

/** One mistake in a workspace file, where it is and how to fix it. */
export interface WorkspaceIssue {
  /** The file as given to the loader (relative to the working directory when inside it). */
  readonly file: string;
  /** 1-based line and column of the value or key at fault. */
  readonly line: number;
  readonly column: number;
  /** The resource name (its key under `resources`), when the mistake is inside one. */
  readonly resource?: string;
  /** The resource's kind, when it names a known one. */
  readonly kind?: string;
  /** The field at fault, as a dotted path under `properties` (or `kind`, `options.protect`, ...). */
  readonly field?: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/** `file:line:column: resource 'x' (Kind): field 'f': problem. Fix: ...`, one line. */
export function formatIssue(i: WorkspaceIssue): string {
  const who =
    i.resource !== undefined ? `resource '${i.resource}'${i.kind !== undefined ? ` (${i.kind})` : ""}: ` : "";
  const field = i.field !== undefined ? `field '${i.field}': ` : "";
  const fix = i.fix.charAt(0).toUpperCase() + i.fix.slice(1);
  return `${i.file}:${i.line}:${i.column}: ${who}${field}${i.problem}. Fix: ${fix}`;
}

/**
 * Every mistake of a workspace file, reported together so one run shows them all. It is a Pulumi
 * `RunError`, so a program that lets it escape fails with this message and no stack trace.
 */
export class WorkspaceFileError extends RunError {
  readonly file: string;
  readonly issues: readonly WorkspaceIssue[];

  constructor(file: string, issues: readonly WorkspaceIssue[]) {
    const n = issues.length;
    super(
      `${file}: ${n} mistake${n === 1 ? "" : "s"} in the accsyn workspace:\n${issues.map((i) => `  ${formatIssue(i)}`).join("\n")}`,
    );
    this.name = "WorkspaceFileError";
    this.file = file;
    this.issues = issues;
  }
}

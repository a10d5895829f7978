/**
 * The failures the provider expects and explains. Each names the operation, the entity (kind,
 * resource name, id or code), what the service said when it said something, and a fix, because
 * the engine shows only the message to the person reading a failed preview or `up`. The resource
 * layer throws them with what it knows; the lifecycle boundary (lifecycle.ts) adds the operation
 * and the resource, and turns client errors into them.
 */

export type Operation = "check" | "diff" | "create" | "read" | "update" | "delete";

/** The entity a failure is about; the boundary fills what the throwing code did not know. */
export interface EntityRef {
  kind: string;
  /** The Pulumi resource name. */
  resourceName?: string;
  /** The accsyn id (for a VolumeServer, `<volumeId>/<serverId>`). */
  id?: string;
}

export interface ProviderErrorInit {
  entity: EntityRef;
  /** What is wrong, in the words of this provider. */
  problem: string;
  /** How to get past it. */
  fix: string;
  operation?: Operation;
  /** The service's own words, when it answered. */
  serviceSaid?: string;
  /** The field at fault, when there is one (check failures point at it). */
  field?: string;
}

/** The kind of a failure not tied to one kind (credentials); the boundary names the kind at hand. */
export const ANY_KIND = "provider";

/** Base of every expected failure: the message says it all, so no stack trace is shown for it. */
export abstract class ProviderError extends Error {
  readonly entity: EntityRef;
  readonly problem: string;
  readonly fix: string;
  operation?: Operation;
  readonly serviceSaid?: string;
  readonly field?: string;

  constructor(init: ProviderErrorInit) {
    super("");
    this.entity = { ...init.entity };
    this.problem = init.problem;
    this.fix = init.fix;
    if (init.operation !== undefined) this.operation = init.operation;
    if (init.serviceSaid !== undefined) this.serviceSaid = init.serviceSaid;
    if (init.field !== undefined) this.field = init.field;
    this.message = this.compose();
  }

  /** Adds what the boundary knows (operation, resource name, id) without overriding what was set. */
  withContext(operation: Operation, entity: Partial<EntityRef>): this {
    this.operation ??= operation;
    if (this.entity.kind === ANY_KIND && entity.kind !== undefined) this.entity.kind = entity.kind;
    if (this.entity.resourceName === undefined && entity.resourceName !== undefined)
      this.entity.resourceName = entity.resourceName;
    if (this.entity.id === undefined && entity.id !== undefined && entity.id !== "")
      this.entity.id = entity.id;
    this.message = this.compose();
    return this;
  }

  private compose(): string {
    const { kind, resourceName, id } = this.entity;
    const who = [`accsyn ${kind}`, resourceName !== undefined ? `'${resourceName}'` : undefined]
      .filter((s) => s !== undefined)
      .join(" ");
    const where = id !== undefined ? ` (id ${id})` : "";
    const what = this.operation !== undefined ? `${this.operation} failed: ` : "";
    const field = this.field !== undefined ? `field '${this.field}': ` : "";
    const said = this.serviceSaid !== undefined ? ` accsyn said: "${this.serviceSaid}".` : "";
    const fix = this.fix.charAt(0).toUpperCase() + this.fix.slice(1);
    return `${who}${where}: ${what}${field}${this.problem}.${said} Fix: ${fix}`;
  }
}

/** An input that cannot be applied as declared (found without asking the service). */
export class InputError extends ProviderError {
  override readonly name = "InputError";
  declare readonly field: string;
  constructor(kind: string, field: string, problem: string, fix: string) {
    super({ entity: { kind }, field, problem, fix });
  }
}

/** A reference (volume, user, server, share) names nothing in the workspace. */
export class ReferenceNotFoundError extends ProviderError {
  override readonly name = "ReferenceNotFoundError";
  constructor(
    kind: string,
    field: string,
    readonly target: string,
    readonly value: string,
    readonly suggestions: readonly string[] = [],
  ) {
    const near =
      suggestions.length > 0
        ? `did you mean ${suggestions.map((s) => `'${s}'`).join(" or ")}? Otherwise `
        : "";
    super({
      entity: { kind },
      field,
      problem: `no ${target} with id or ${target === "User" ? "e-mail" : "code"} '${value}' exists in the workspace`,
      fix: `${near}correct the reference, or create the ${target} first (pass the resource object so Pulumi orders the two)`,
    });
  }
}

/** The live workspace is in a state the declared change cannot be applied to as is. */
export class ConflictError extends ProviderError {
  override readonly name = "ConflictError";
}

/** The service refused or failed a request; `serviceSaid` holds its words. */
export class ServiceError extends ProviderError {
  override readonly name = "ServiceError";
}

/** Credentials are missing: names the stack config and the environment variables that provide them. */
export class CredentialsError extends ProviderError {
  override readonly name = "CredentialsError";
  constructor(missing: readonly CredentialSetting[], detail?: string) {
    const list = missing.length > 0 ? missing : CREDENTIAL_SETTINGS;
    super({
      entity: { kind: ANY_KIND },
      problem:
        `missing credentials: ${list.map((s) => `accsyn:${s.config}`).join(", ")}` +
        (detail !== undefined ? ` (${detail})` : ""),
      fix:
        `set them as stack config: ${list.map((s) => s.command).join("; ")}; ` +
        `or, e.g. in CI, as environment variables ${list.map((s) => s.env).join(", ")}`,
    });
  }
}

export interface CredentialSetting {
  config: "workspace" | "apiUser" | "apiKey";
  env: string;
  command: string;
}

export const CREDENTIAL_SETTINGS: readonly CredentialSetting[] = [
  {
    config: "workspace",
    env: "ACCSYN_WORKSPACE",
    command: "pulumi config set accsyn:workspace <workspace code>",
  },
  {
    config: "apiUser",
    env: "ACCSYN_API_USER",
    command: "pulumi config set accsyn:apiUser <api user e-mail>",
  },
  { config: "apiKey", env: "ACCSYN_API_KEY", command: "pulumi config set --secret accsyn:apiKey <api key>" },
];

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}

import {
  type AccsynError,
  isAccsynAuthError,
  isAccsynConflictError,
  isAccsynError,
  isAccsynNetworkError,
  isAccsynNotFoundError,
  isAccsynSchemaError,
  isAccsynTimeoutError,
} from "../client/errors";
import { ConflictError, type EntityRef, type Operation, ProviderError, ServiceError } from "./errors";

/** The request as the user can relate to it: "PUT volume/edit on Volume 5f…". */
function requestOf(e: AccsynError): string {
  const target =
    e.entityType !== undefined
      ? ` on ${e.entityType}${e.entityId !== undefined ? ` ${e.entityId}` : ""}`
      : "";
  return `${e.method !== undefined ? `${e.method} ` : ""}${e.operation}${target}`;
}

function fixFor(e: AccsynError, kind: string): { problem: string; fix: string } {
  const request = requestOf(e);
  const status = e.status !== undefined ? ` (HTTP ${e.status})` : "";
  if (isAccsynAuthError(e)) {
    return {
      problem: `accsyn refused ${request}${status}: the credentials are wrong or the API user's role may not do this`,
      fix: `check accsyn:apiUser and accsyn:apiKey (or ACCSYN_API_USER and ACCSYN_API_KEY); ${kind === "Volume" || kind === "VolumeServer" ? `a ${kind} needs the admin role` : "the user needs the employee role or above"}`,
    };
  }
  if (isAccsynNotFoundError(e)) {
    return {
      problem: `${request} found nothing${status}`,
      fix: "the entity was removed outside Pulumi: run `pulumi refresh` to drop it from the state, then run the command again",
    };
  }
  if (isAccsynConflictError(e)) {
    return {
      problem: `accsyn refused ${request}${status}: it conflicts with the live workspace`,
      fix: "resolve what accsyn names (a taken code, an entity in use), or run `pulumi refresh` and preview again",
    };
  }
  if (isAccsynTimeoutError(e) || isAccsynNetworkError(e)) {
    return {
      problem: `accsyn did not answer ${request}${e.causeCode !== undefined ? ` (${e.causeCode})` : ""}`,
      fix:
        "check accsyn:endpoint (or the workspace's address) and the network, then run the command again; " +
        "what was applied so far is recorded in the state",
    };
  }
  if (isAccsynSchemaError(e)) {
    return {
      problem: `accsyn's reply to ${request} did not have the expected shape (${e.message})`,
      fix: "report this with the message above; `pulumi refresh` shows what the workspace holds",
    };
  }
  return {
    problem: `accsyn refused ${request}${status}`,
    fix: "correct the value accsyn names in the resource's declaration; if it is valid, report this with the message",
  };
}

/**
 * Turns any failure of one lifecycle operation into the provider's own error: its errors get the
 * operation and the resource added, the client's are explained (what accsyn said, and a fix).
 * Anything else is a bug and passes through with its stack.
 */
export function translate(
  e: unknown,
  operation: Operation,
  kind: string,
  entity: { resourceName?: string | undefined; id?: string | undefined },
): unknown {
  const context: Partial<EntityRef> = { kind };
  if (entity.resourceName !== undefined) context.resourceName = entity.resourceName;
  if (entity.id !== undefined) context.id = entity.id;
  if (e instanceof ProviderError) return e.withContext(operation, context);
  if (!isAccsynError(e)) return e;
  const { problem, fix } = fixFor(e, kind);
  const init = {
    entity: { ...context, kind },
    operation,
    problem,
    fix,
    ...(e.serverMessage !== undefined ? { serviceSaid: e.serverMessage } : {}),
  };
  return isAccsynConflictError(e) ? new ConflictError(init) : new ServiceError(init);
}

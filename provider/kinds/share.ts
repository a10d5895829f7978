import { z } from "zod";
import { isAccsynConflictError, isAccsynNotFoundError } from "../client/errors";
import type { Entity, WorkspaceApi } from "../runtime/api";
import { sameValue } from "../runtime/diff";
import { ConflictError } from "../runtime/errors";
import { type DeletionPolicy, SHARE_STATUSES, type ShareType, isId, writableStatus } from "../vocabulary";
import { DEACTIVATED, type Props, field } from "./kind";

/**
 * `deletionPolicy`: the policies a kind allows, the first being its default; `why` explains a
 * policy the kind lacks (shown when a program uses it).
 */
export function deletionPolicyField<const P extends readonly [DeletionPolicy, ...DeletionPolicy[]]>(
  policies: P,
  doc: string,
  why?: string,
) {
  const allowed = `use ${policies.map((p, i) => `'${p}'${i === 0 ? " (the default)" : ""}`).join(" or ")}`;
  return field(z.enum(policies, { message: why !== undefined ? `${why}; ${allowed}` : allowed }).optional(), {
    change: "provider",
    default: policies[0],
    doc: `On destroy or replacement: ${doc}`,
  });
}

export const adoptField = field(z.boolean().optional(), {
  change: "provider",
  createOnly: true,
  default: "false",
  doc:
    "Take over an existing entity with the same natural key and bring it to the declared state. Without " +
    "it, a collision fails and names the existing entity, except with an entity this same resource created " +
    "in a run that was killed before the state recorded it (taken over on its own; README Troubleshooting). " +
    "(Pulumi's `import` option does not work for " +
    "dynamic resources, pulumi/pulumi#16175.)",
});

/** The resource's own name, kept in its inputs so errors and duplicate checks can name it. */
export const resourceNameField = field(z.string().optional(), {
  change: "internal",
  doc: "The Pulumi resource name (set by the resource class).",
});

const codeSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]*$/i,
    "must be letters, digits, '_', '-' or '.' (it is used in paths like share=<code>/...)",
  );

export const nameSchema = z
  .string()
  .min(1, "must not be empty")
  // accsyn trims names and refuses an empty one.
  .refine((s) => s === "" || s.trim() !== "", {
    message: "must not be blank (accsyn refuses a name of only spaces)",
    params: { fix: "give a display name with at least one visible character" },
  });

// What accsyn takes as a user's e-mail (its users' codes): one '@', no whitespace, no control or
// invisible character (a look-alike of another user's e-mail).
const HIDDEN = "\\u0000-\\u001f\\u007f\\u00ad\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\ufeff";
const EMAIL = new RegExp(`^[^\\s@${HIDDEN}]+@[^\\s@${HIDDEN}]+$`);

/**
 * A user reference (Grant, Home): an accsyn id or an e-mail. Anything else names no user and is
 * refused at preview without asking the service (with `invite`, `up` would fail inviting it).
 */
export const userRefSchema = z
  .string()
  .min(1, "must name a user (id or e-mail)")
  .refine((u) => u === "" || isId(u) || EMAIL.test(u), {
    message: "is neither a user id nor an e-mail address",
    params: { fix: "give the user's e-mail (name@example.com, no spaces) or their accsyn id" },
  });

/** The fields every share kind (Volume, Folder, Home, Collection) has. */
export const shareFields = {
  name: field(nameSchema.optional(), { change: "update", doc: "Display name." }),
  code: field(codeSchema.optional(), {
    change: "update",
    doc: "Unique API identifier among all shares of the workspace (used in `share=<code>/...`).",
  }),
  description: field(z.string().optional(), { change: "update", doc: "Description shown in accsyn." }),
  email: field(z.string().optional(), {
    change: "update",
    doc: "Additional e-mail addresses to deliver notifications to.",
  }),
  metadata: field(z.record(z.unknown()).optional(), {
    change: "update",
    doc: "Free-form metadata passed along with workflows.",
  }),
  queue: field(z.string().optional(), {
    change: "update",
    doc: "Queue (id or code) that new jobs involving this share go to.",
  }),
  status: field(z.enum(SHARE_STATUSES, { message: "only 'enabled' or 'disabled' can be set" }).optional(), {
    change: "update",
    doc: "`enabled` (as accsyn creates shares) or `disabled` (related transfers are put on hold).",
  }),
  adopt: adoptField,
  resourceName: resourceNameField,
};

/** A required code: for volumes and collections it is the natural key. */
export const requiredCode = (doc: string) => field(codeSchema, { change: "update", doc });
export const requiredName = (doc: string) => field(nameSchema, { change: "update", doc });

/** The share fields the diff compares with the live entity. */
const COMMON = ["name", "code", "description", "email", "metadata", "queue", "status"] as const;

export function projectCommon(live: Entity, inputs: Props): Props {
  const out: Props = live.inactive === true ? { [DEACTIVATED]: true } : {};
  for (const f of COMMON) {
    if (inputs[f] === undefined) continue;
    out[f] = f === "status" ? writableStatus(live[f]) : (live[f] ?? undefined);
  }
  return out;
}

export function commonPayload(inputs: Props): Props {
  const out: Props = {};
  for (const f of COMMON) if (inputs[f] !== undefined) out[f] = inputs[f];
  return out;
}

/** Only the fields that differ from the live entity, so an update touches nothing else. */
export function changedPayload(desired: Props, live: Entity | undefined): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(desired)) {
    const current = k === "status" ? writableStatus(live?.[k]) : live?.[k];
    if (!live || !sameValue(v, current)) out[k] = v;
  }
  return out;
}

export async function liveShare(api: WorkspaceApi, type: ShareType, id: string): Promise<Entity | undefined> {
  const e = (await api.list(type)).find((x) => x.id === id);
  // Deleted shares stay in accsyn's archive for audit; for the program they are gone.
  return e && e.archived !== true ? e : undefined;
}

/**
 * The live share, re-activated first if someone deactivated it outside Pulumi: the declared state
 * says it exists, and activating restores it in place (same id, its ACLs back online).
 */
export async function activeShareForUpdate(
  api: WorkspaceApi,
  type: ShareType,
  id: string,
): Promise<Entity | undefined> {
  const live = await liveShare(api, type, id);
  if (live?.inactive === true) await api.activate(type, id);
  return live;
}

/** Brings the common share fields to the declared values, touching only those that differ. */
export async function updateCommon(
  api: WorkspaceApi,
  type: ShareType,
  id: string,
  inputs: Props,
  extra: Props = {},
): Promise<void> {
  const desired = { ...commonPayload(inputs), ...extra };
  const patch = changedPayload(desired, await activeShareForUpdate(api, type, id));
  if (Object.keys(patch).length > 0) await api.update(type, id, patch);
}

/** The share whose code is `code` (case-insensitive), inactive ones included. */
export async function shareByCode(
  api: WorkspaceApi,
  type: ShareType,
  code: string,
): Promise<Entity | undefined> {
  const want = code.toLowerCase();
  return (await api.list(type)).find((e) => String(e.code ?? "").toLowerCase() === want);
}

/**
 * Creates a share, or takes over the one that already has its natural key: a deactivated one is
 * restored (the same id comes back, as accsyn's "restore if you recreate" promises), an active one
 * only with `adopt`, otherwise the error names it and says how to proceed.
 */
export async function createOrRestore(
  api: WorkspaceApi,
  type: ShareType,
  existing: Entity | undefined,
  adopt: boolean | undefined,
  payload: Props,
  describe: string,
): Promise<Entity> {
  if (existing && existing.inactive !== true && !adopt) {
    throw new ConflictError({
      entity: { kind: type },
      problem: `${describe} already exists as ${type} '${String(existing.name ?? existing.code)}' (id ${existing.id})`,
      fix: `set 'adopt: true' to manage it with Pulumi, or choose another ${type === "Home" ? "user" : "code"}`,
    });
  }
  if (existing) {
    if (existing.inactive === true) await api.activate(type, existing.id);
    const patch = changedPayload(payload, existing);
    return Object.keys(patch).length > 0 ? api.update(type, existing.id, patch) : existing;
  }
  return api.create(type, payload);
}

/** Applies a deletion policy; a share already gone counts as removed. */
export async function removeShare(
  api: WorkspaceApi,
  type: ShareType,
  id: string,
  policy: DeletionPolicy,
  label: string,
): Promise<void> {
  if (policy === "retain") return;
  try {
    if (policy === "delete") await api.delete(type, id);
    else await api.deactivate(type, id);
  } catch (e) {
    if (isAccsynNotFoundError(e)) return;
    if (isAccsynConflictError(e)) {
      throw new ConflictError({
        entity: { kind: type, id },
        problem: `${label} could not be ${policy}d: it is in use`,
        ...(e.serverMessage !== undefined ? { serviceSaid: e.serverMessage } : {}),
        fix:
          `abort or finish those jobs (accsyn web app, or session.update("Transfer", id, {"status": "aborted"})) ` +
          `and run the command again, or set deletionPolicy: "retain" to leave it in accsyn`,
      });
    }
    throw e;
  }
}

const FINISHED_JOB = ["done", "aborted"];

/** The share codes a job's submitted paths name (`share=drop/x`, `folder=drop/x`, ...). */
function codesIn(job: Entity): string[] {
  const paths = [job.source_path, job.destination_path, job.source, job.destination]
    .filter((p): p is string => typeof p === "string")
    .flatMap((p) => p.split(","));
  return paths
    .map((p) => /^(?:share|volume|folder|home|collection)=([^/]+)/i.exec(p.trim())?.[1]?.toLowerCase())
    .filter((c): c is string => c !== undefined);
}

/**
 * Refuses, at preview, to plan the deactivation or deletion of a share that active jobs use: accsyn
 * refuses the deactivation (after the grants on it were already revoked) and a delete aborts those
 * jobs. Lists the jobs and the ways out. A volume counts its folders' jobs too.
 */
export async function refuseIfInUse(
  api: WorkspaceApi,
  type: ShareType,
  id: string,
  policy: DeletionPolicy | undefined,
  verb: string,
): Promise<void> {
  if (policy === "retain") return;
  const share = await liveShare(api, type, id);
  if (!share) return;
  const shares = [
    share,
    ...(type === "Volume" ? (await api.list("Folder")).filter((f) => f.parent === id) : []),
  ];
  const codes = new Set(shares.map((s) => String(s.code ?? "").toLowerCase()).filter((c) => c !== ""));
  const jobs = (await api.list("Transfer")).filter(
    (j) => !FINISHED_JOB.includes(String(j.status)) && codesIn(j).some((c) => codes.has(c)),
  );
  if (jobs.length === 0) return;
  const list = jobs
    .map((j) => `${j.id} '${String(j.name ?? j.code ?? "")}' (${String(j.status)})`)
    .join(", ");
  throw new ConflictError({
    entity: { kind: type, id },
    problem:
      `${type} '${String(share.code)}' would be ${verb}${policy !== undefined ? ` (deletionPolicy '${policy}')` : ""}, ` +
      `but active jobs use it: ${list}; ` +
      (policy === "delete"
        ? "deleting it would abort them"
        : "accsyn refuses to deactivate it while they run"),
    fix:
      `abort or finish those jobs (accsyn web app, or session.update("Transfer", id, {"status": "aborted"})) and ` +
      `run the command again; or set deletionPolicy: "retain" (run \`pulumi up\` with that change first) to leave the ` +
      `${type} in accsyn; or keep the ${type} as it is`,
  });
}

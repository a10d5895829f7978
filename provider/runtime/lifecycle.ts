import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { DEACTIVATED, type Kind, type Props, RESOURCE_REFS } from "../kinds/kind";
import { diffFields, sameValue } from "./diff";
import type { WorkspaceApi } from "./api";
import { CredentialsError, InputError, type Operation, ProviderError } from "./errors";
import { quiet } from "./quiet";
import { noteDeclared, refuseRevokeBeforeBusyShare } from "./removals";
import { settings } from "./settings";
import { translate } from "./translate";
import { unpacked } from "./unpack";
import { toFailures, withoutUnknowns } from "./validation";
import { workspaceApi } from "./workspace-api";

/** The schema with the given fields optional (their values are unknown until apply). */
function partialOf(schema: z.ZodTypeAny, mask: Record<string, true>): z.ZodTypeAny {
  if (schema instanceof z.ZodObject) return schema.partial(mask);
  // Cross-field refinements need every field; they run again once the values are known.
  if (schema instanceof z.ZodEffects) return partialOf(schema.innerType(), mask);
  return schema;
}

function stripProvider(p: Props): Props {
  const { __provider: _p, ...rest } = p;
  return rest;
}

function nameOf(p: Props): string | undefined {
  return typeof p.resourceName === "string" ? p.resourceName : undefined;
}

/**
 * The lifecycle boundary: every failure leaves as an error that names the operation, the kind,
 * the resource and the entity (see errors.ts); unexpected ones (bugs) pass through unchanged.
 */
async function boundary<T>(
  operation: Operation,
  kind: Kind,
  entity: { resourceName?: string | undefined; id?: string | undefined },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw quiet(translate(e, operation, kind.name, entity));
  }
}

export async function check(kind: Kind, olds: Props, registered: Props): Promise<dynamic.CheckResult> {
  let news: Props;
  try {
    news = unpacked(kind, registered);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { failures: [{ property: e.field, reason: e.withContext("check", {}).message }] };
  }
  const { [RESOURCE_REFS]: _refs, ...declared } = news;
  const { known, unknownKeys } = withoutUnknowns(declared);
  const mask = Object.fromEntries(unknownKeys.map((k) => [k, true] as const));
  const schema = unknownKeys.length > 0 ? partialOf(kind.schema, mask) : kind.schema;
  const parsed = schema.safeParse(known);
  if (!parsed.success)
    return { failures: toFailures(kind.name, parsed.error, nameOf(news), Object.keys(kind.fields)) };
  const inputs = parsed.data as Props;
  if (unknownKeys.length === 0) {
    try {
      kind.checkMore(inputs);
    } catch (e) {
      if (!(e instanceof InputError))
        throw quiet(translate(e, "check", kind.name, { resourceName: nameOf(news) }));
      return {
        failures: [
          { property: e.field, reason: e.withContext("check", { resourceName: nameOf(news) }).message },
        ],
      };
    }
  }
  const failure = await preflight(kind, olds, inputs, nameOf(news));
  if (failure) return { failures: [failure] };
  return { inputs: { ...news, ...inputs } };
}

/**
 * The kind's checks against the live workspace, so that preview fails where `up` would (a taken
 * natural key, a reference to nothing), before any change. Missing credentials are not reported
 * here: the first operation that needs the service reports them with their fix.
 */
async function preflight(
  kind: Kind,
  olds: Props,
  inputs: Props,
  resourceName: string | undefined,
): Promise<{ property: string; reason: string } | undefined> {
  if (!kind.hasPreflight) return undefined;
  let api: WorkspaceApi;
  try {
    api = workspaceApi();
  } catch (e) {
    if (e instanceof CredentialsError) return undefined;
    throw e;
  }
  const isNew = Object.keys(stripProvider(olds)).length === 0;
  const replacing = resourceName !== undefined ? replacingNow.get(`${kind.name}/${resourceName}`) : undefined;
  try {
    const adoption = await kind.preflight(api, inputs, {
      isNew,
      olds: stripProvider(olds),
      ...(replacing !== undefined ? { replacing } : {}),
    });
    if (adoption) await announceAdoption(api, kind, adoption.adopts, inputs, resourceName);
    return undefined;
  } catch (e) {
    const err = translate(e, "check", kind.name, { resourceName });
    if (!(err instanceof ProviderError)) throw err;
    return { property: err.field ?? "(inputs)", reason: err.message };
  }
}

/**
 * Pulumi plans an adoption as a create (its `import` does not work for dynamic resources), so the
 * plan alone would hide that an existing entity is taken over and changed. This line, which the
 * engine shows among the preview's diagnostics, names the entity and each field the create will
 * change on it.
 */
async function announceAdoption(
  api: WorkspaceApi,
  kind: Kind,
  id: string,
  inputs: Props,
  resourceName: string | undefined,
): Promise<void> {
  const live = await kind.readLive(api, id, inputs);
  if (live === undefined) return;
  const { changed } = diffFields(kind.managed, [], {}, inputs, live);
  const show = (v: unknown) => (sameValue(v, undefined) ? "(unset)" : JSON.stringify(v));
  const changes = changed.map((f) => `${f}: ${show(live[f])} → ${show(inputs[f])}`);
  const who = `accsyn ${kind.name}${resourceName !== undefined ? ` '${resourceName}'` : ""}`;
  // Without `adopt`, only an entity whose marker names this resource is taken over (kinds/marker.ts).
  const what =
    inputs.adopt === true
      ? `adopt: takes over the existing ${kind.name} (id ${id})`
      : `takes over the ${kind.name} (id ${id}) that an interrupted run of this resource created`;
  console.error(
    `${who}: ${what} and ` +
      (changes.length > 0
        ? `updates it in place: ${changes.join("; ")}`
        : "finds it as declared (no change)"),
  );
}

export async function diff(kind: Kind, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const inputs = stripProvider(news);
  noteDeclared(kind.name, id);
  return boundary("diff", kind, { resourceName: nameOf(news), id }, async () => {
    // A changed identity field replaces whatever the live entity looks like (it is compared with the
    // last applied inputs); reading "live" with the new identity would find nothing there and blame
    // a vanished entity for what is a move (a Grant given another share).
    const identity = diffFields(kind.replaceOn, kind.replaceOn, olds, inputs, undefined);
    if (identity.replaces.length > 0) {
      await kind.replaceable(workspaceApi(), id, stripProvider(olds), inputs);
      return replacement(kind, news, id, identity.replaces);
    }
    let live: Props | undefined;
    if (settings().liveDiff) {
      live = await kind.readLive(workspaceApi(), id, inputs);
      // Deleted or deactivated outside Pulumi: plan a replacement, which re-creates (or restores) it;
      // a plain preview shows this without --refresh. The delete half tolerates the missing entity.
      // The engine shows the replace reasons as field names; this one says why rather than
      // blaming a field that did not change.
      if (live === undefined) return replacement(kind, news, id, [GONE]);
    }
    const { changed, replaces } = diffFields(
      kind.managed,
      kind.replaceOn,
      olds,
      inputs,
      live,
      kind.clearable,
    );
    if (replaces.length > 0) await kind.replaceable(workspaceApi(), id, stripProvider(olds), inputs);
    if (replaces.length > 0) return replacement(kind, news, id, replaces);
    if (live?.[DEACTIVATED] === true) changed.push(DEACTIVATED);
    const steering = kind.steering.filter(
      (k) => !kind.createOnly.includes(k) && (olds[k] ?? null) !== (inputs[k] ?? null),
    );
    return { changes: changed.length > 0 || steering.length > 0, replaces: [], deleteBeforeReplace: false };
  });
}

/**
 * Entities being replaced in this run, by kind and resource name. After a diff plans a
 * replacement, the engine checks the inputs again as a new resource's (without olds); the old
 * entity still holds the natural key then, and must not count as a collision.
 */
const replacingNow = new Map<string, string>();

function replacement(kind: Kind, news: Props, id: string, replaces: string[]): dynamic.DiffResult {
  const name = nameOf(news);
  if (name !== undefined) replacingNow.set(`${kind.name}/${name}`, id);
  return { changes: true, replaces, deleteBeforeReplace: true };
}

/** The replace reason of an entity deleted (or deactivated) outside Pulumi. */
export const GONE = "entityGoneFromAccsyn";

/**
 * Ids that a create of this run took over (a restored or adopted entity keeps its id). When the
 * engine then deletes the resource being replaced, it names that same id; deleting it would
 * deactivate what the replacement just restored. The provider process lives for one deployment.
 */
const takenOverThisRun = new Set<string>();

export async function create(kind: Kind, inputs: Props): Promise<dynamic.CreateResult> {
  const clean = stripProvider(inputs);
  return boundary("create", kind, { resourceName: nameOf(inputs) }, async () => {
    const { id, outs } = await kind.create(workspaceApi(), clean);
    takenOverThisRun.add(`${kind.name}/${id}`);
    return { id, outs: { ...clean, ...outs } };
  });
}

export async function read(kind: Kind, id: string, props: Props): Promise<dynamic.ReadResult> {
  const state = stripProvider(props);
  return boundary("read", kind, { resourceName: nameOf(props), id }, async () => {
    const live = await kind.readLive(workspaceApi(), id, state);
    // An empty id tells the engine the entity is gone, so refresh drops it from the state.
    if (live === undefined) return { id: "" };
    const { [DEACTIVATED]: _deactivated, ...current } = live;
    const merged = { ...state, ...current };
    // Inputs only when the live entity differs from the state (so that the next diff names the fields):
    // for an unchanged one the engine keeps the inputs it has, and a refresh sends half as much.
    const unchanged = Object.entries(current).every(([k, v]) => isDeepStrictEqual(v, state[k]));
    return unchanged ? { id, props: merged } : { id, props: merged, inputs: merged };
  });
}

export async function update(
  kind: Kind,
  id: string,
  olds: Props,
  news: Props,
): Promise<dynamic.UpdateResult> {
  const clean = stripProvider(news);
  return boundary("update", kind, { resourceName: nameOf(news), id }, async () => {
    const outs = await kind.update(workspaceApi(), id, stripProvider(olds), clean);
    // Complete outputs every time: a dynamic provider whose update returns less loses the rest.
    return { outs: { ...clean, ...(outs ?? {}) } };
  });
}

export async function remove(kind: Kind, id: string, props: Props): Promise<void> {
  if (takenOverThisRun.has(`${kind.name}/${id}`)) return;
  await boundary("delete", kind, { resourceName: nameOf(props), id }, async () => {
    await refuseRevokeBeforeBusyShare(workspaceApi(), kind, stripProvider(props));
    await kind.remove(workspaceApi(), id, stripProvider(props));
  });
}

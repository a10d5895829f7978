import { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { workspaceApi } from "./workspace-api";
import { diffFields } from "./diff";
import { ResourceInputError } from "./errors";
import { settings } from "./settings";
import { type CommonInputs, DEACTIVATED, type ResourceSpec } from "./spec";
import { toFailures, withoutUnknowns } from "./validation";

type Props = Record<string, unknown>;
type Spec = ResourceSpec<CommonInputs & Props>;

/** The schema with the given fields optional (their values are unknown until apply). */
function partialOf(schema: z.ZodTypeAny, mask: Record<string, true>): z.ZodTypeAny {
  if (schema instanceof z.ZodObject) return schema.partial(mask);
  // Cross-field refinements need every field; they run again once the values are known.
  if (schema instanceof z.ZodEffects) return partialOf(schema.innerType(), mask);
  return schema;
}

/** Inputs that only steer the provider; changing them updates state without an API call. */
const PROVIDER_ONLY = ["adopt", "deletionPolicy", "resourceName"] as const;

function stripProvider(p: Props): Props {
  const { __provider: _p, ...rest } = p;
  return rest;
}

export async function check(spec: Spec, _olds: Props, news: Props): Promise<dynamic.CheckResult> {
  const { known, unknownKeys } = withoutUnknowns(news);
  const mask = Object.fromEntries(unknownKeys.map((k) => [k, true] as const));
  const schema = unknownKeys.length > 0 ? partialOf(spec.schema, mask) : spec.schema;
  const parsed = schema.safeParse(known);
  if (!parsed.success) return { failures: toFailures(spec.kind, parsed.error) };
  if (unknownKeys.length === 0 && spec.checkMore) {
    try {
      spec.checkMore(parsed.data as CommonInputs & Props);
    } catch (e) {
      if (!(e instanceof ResourceInputError)) throw e;
      return { failures: [{ property: e.field, reason: e.message }] };
    }
  }
  return { inputs: { ...news, ...(parsed.data as Props) } };
}

export async function diff(spec: Spec, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
  const inputs = stripProvider(news) as CommonInputs & Props;
  let live: Props | undefined;
  if (settings().liveDiff) {
    live = await spec.readLive(workspaceApi(), id, inputs);
    // Deleted or deactivated outside Pulumi: plan a replacement, which re-creates (or restores) it;
    // a plain preview shows this without --refresh. The delete half tolerates the missing entity.
    if (live === undefined) {
      return {
        changes: true,
        replaces: [spec.replaceOn[0] ?? spec.managed[0] ?? "id"],
        deleteBeforeReplace: true,
      };
    }
  }
  const { changed, replaces } = diffFields(spec.managed, spec.replaceOn, olds, inputs, live);
  if (live?.[DEACTIVATED] === true) changed.push(DEACTIVATED);
  const steering = PROVIDER_ONLY.filter((k) => (olds[k] ?? null) !== (inputs[k] ?? null));
  return {
    changes: changed.length > 0 || steering.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0,
  };
}

/**
 * Ids that a create of this run took over (a restored or adopted entity keeps its id). When the
 * engine then deletes the resource being replaced, it names that same id; deleting it would
 * deactivate what the replacement just restored. The provider process lives for one deployment.
 */
const takenOverThisRun = new Set<string>();

export async function create(spec: Spec, inputs: Props): Promise<dynamic.CreateResult> {
  const clean = stripProvider(inputs) as CommonInputs & Props;
  const { id, outs } = await spec.create(workspaceApi(), clean);
  takenOverThisRun.add(`${spec.kind}/${id}`);
  return { id, outs: { ...clean, ...outs } };
}

export async function read(spec: Spec, id: string, props: Props): Promise<dynamic.ReadResult> {
  const state = stripProvider(props) as CommonInputs & Props;
  const live = await spec.readLive(workspaceApi(), id, state);
  // An empty id tells the engine the entity is gone, so refresh drops it from the state.
  if (live === undefined) return { id: "" };
  const { [DEACTIVATED]: _deactivated, ...current } = live;
  const merged = { ...state, ...current };
  return { id, props: merged, inputs: merged };
}

export async function update(
  spec: Spec,
  id: string,
  olds: Props,
  news: Props,
): Promise<dynamic.UpdateResult> {
  const clean = stripProvider(news) as CommonInputs & Props;
  const outs = await spec.update(workspaceApi(), id, stripProvider(olds) as CommonInputs & Props, clean);
  // Complete outputs every time: a dynamic provider whose update returns less loses the rest.
  return { outs: { ...clean, ...(outs ?? {}) } };
}

export async function remove(spec: Spec, id: string, props: Props): Promise<void> {
  if (takenOverThisRun.has(`${spec.kind}/${id}`)) return;
  await spec.remove(workspaceApi(), id, stripProvider(props) as CommonInputs & Props);
}

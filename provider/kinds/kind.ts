import { z } from "zod";
import type { WorkspaceApi } from "../runtime/api";

/**
 * How one accsyn entity kind is defined: its fields (each a zod schema plus what the field means),
 * its natural key, and how to read, create, update and delete it. Every consumer of per-kind facts
 * (validation, the diff, the resource classes, the reference docs) reads them from a definition;
 * nothing restates them.
 */

export type Props = Record<string, unknown>;

/**
 * What a change of the field does:
 * - `update`: compared with the live entity (drift) and updated in place;
 * - `replace`: identifies the entity; a change replaces it (compared with the last applied value);
 * - `write-only`: sent with the writes that need it, never read back or compared;
 * - `provider`: steers the provider (adopt, deletionPolicy): a change only updates the state;
 * - `internal`: set by the resource class, not part of its Args.
 */
export type FieldChange = "update" | "replace" | "write-only" | "provider" | "internal";

/**
 * What a field can refer to: a resource kind by name, or one of the accsyn entities no resource
 * manages (those are always given by id, code or e-mail).
 */
export type RefTarget = string;
export type UnmanagedTarget = "User" | "Server";

/**
 * What a field means for access, so access reviews need not know each kind's field names
 * (`invite`: the switch that lets a grant invite an e-mail no user has).
 */
export type AccessMeaning = "grantee" | "share" | "rules" | "invite";

/** What a sub-field of an object or list field means for access (a Grant rule's path and rights). */
export type RuleAccessMeaning = "path" | "read" | "write";

export interface SubField {
  readonly doc: string;
  readonly access?: RuleAccessMeaning;
}

export interface FieldMeta {
  readonly change: FieldChange;
  /** The field's description, written once: shown in the reference docs and plan output. */
  readonly doc: string;
  /** The kinds it refers to (by id, code or e-mail, or by passing the resource object). */
  readonly ref?: readonly RefTarget[];
  /** For a reference to several kinds: the field that receives the referred resource's kind. */
  readonly kindField?: string;
  readonly access?: AccessMeaning;
  /** Never shown in plain text (plan output, exports). */
  readonly secret?: boolean;
  /** The default, as documentation (the schema applies it). */
  readonly default?: string;
  /** Sub-fields of an object or a list of objects. */
  readonly items?: Readonly<Record<string, SubField>>;
  /**
   * For an `update` field: removing it from the program clears it in accsyn (otherwise a field the
   * program leaves unset is not managed).
   */
  readonly clearable?: boolean;
  /**
   * For a `provider` or `internal` field: it only steers the create (`adopt`, the declaring
   * `stack`), so changing it later is no change.
   */
  readonly createOnly?: boolean;
}

export interface Field<S extends z.ZodTypeAny = z.ZodTypeAny> extends FieldMeta {
  readonly schema: S;
}

export type Fields = Readonly<Record<string, Field>>;

/** A field: its schema and its metadata. `const` keeps literal `ref`s for the Args types. */
export function field<S extends z.ZodTypeAny, const M extends FieldMeta>(schema: S, meta: M): Field<S> & M {
  return { ...meta, schema };
}

type ShapeOf<F extends Fields> = { [K in keyof F]: F[K]["schema"] };

/** The zod object of a kind's fields; unknown fields are refused (they are typos). */
export function objectSchema<F extends Fields>(fields: F): z.ZodObject<ShapeOf<F>, "strict"> {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.schema])) as ShapeOf<F>;
  return z.object(shape).strict();
}

/** The inputs of a kind once checked (defaults applied). */
export type InputsOf<F extends Fields> = z.output<z.ZodObject<ShapeOf<F>, "strict">>;

/**
 * The input that lists the reference fields a program filled with a resource object (rather than
 * an id or code): those entities are managed by the same stack. Set by the resource class, kept in
 * the state, never validated as a field; `__` keeps it out of plan reviews, like `__provider`.
 */
export const RESOURCE_REFS = "__resourceRefs";

/**
 * The one input in which a resource class passes what the provider needs besides the Args: the
 * resource's name, the stack (kinds that mark their creates) and, per reference field filled with a
 * resource object, that resource's kind. One property, not one each: the SDK makes four promises, each
 * with a stack trace, for every property a program registers, about 1 ms per property at N = 500
 * (BENCHMARKS.md). The check unpacks it into the inputs the state keeps (`resourceName`, `stack`,
 * {@link RESOURCE_REFS}, the kind fields such as a Grant's `shareType`), so states are the same as
 * when the class registered those one by one.
 */
export const PACKED = "__accsyn";

/** What {@link PACKED} holds. */
export interface Packed {
  name: string;
  stack?: string;
  /** Reference field → kind of the resource object the program passed for it. */
  refs?: Record<string, string>;
}

/**
 * Marks a live projection whose entity was deactivated outside Pulumi: the diff plans an update,
 * and the update re-activates it in place. Never stored in the state.
 */
export const DEACTIVATED = "__deactivated";

/** What a preflight knows besides the inputs. */
export interface PreflightContext {
  /** No entity is recorded for this resource yet: the next `up` creates it. */
  readonly isNew: boolean;
  /** The old inputs (empty for a new resource). */
  readonly olds: Props;
  /**
   * The id of the entity this resource replaces, when the check is the engine's re-check of a
   * replacement (it passes no olds then): that entity holds the natural key until it is removed.
   */
  readonly replacing?: string;
}

/** What a preflight found that `adopt` will take over: the live entity's id. */
export interface Adoption {
  readonly adopts: string;
}

/** The operations of one kind, typed on its checked inputs. */
export interface KindOperations<I> {
  /**
   * Checks against the live workspace that `check` runs, so preview fails before any change when
   * `up` would: a taken natural key, a reference to nothing. Inputs unknown during preview (values of
   * resources not created yet) are absent, so it checks what it can.
   */
  preflight?(api: WorkspaceApi, inputs: Partial<I>, ctx: PreflightContext): Promise<Adoption | void>;
  /**
   * Refuses a planned replacement that cannot be completed (the replacement's create would fail
   * after the old entity is gone, or removing the old one would be refused). Runs in `diff`.
   */
  replaceable?(api: WorkspaceApi, id: string, olds: I, news: I): Promise<void>;
  /** The live entity projected onto the managed input fields, or undefined when it is gone. */
  readLive(api: WorkspaceApi, id: string, inputs: I): Promise<Props | undefined>;
  create(api: WorkspaceApi, inputs: I): Promise<{ id: string; outs?: Props }>;
  update(api: WorkspaceApi, id: string, olds: I, news: I): Promise<Props | void>;
  remove(api: WorkspaceApi, id: string, inputs: I): Promise<void>;
  /** Checks that need more than one field or the rest of the program (e.g. duplicate grants). */
  checkMore?(inputs: I): void;
}

export interface KindDefinition<N extends string, F extends Fields> extends KindOperations<InputsOf<F>> {
  readonly name: N;
  /** What the resource is, one or two sentences (class docs, reference). */
  readonly doc: string;
  readonly fields: F;
  /**
   * The natural key: the fields that identify an existing entity, alternatives in order (a folder
   * with a code is found by its code, else by volume and path).
   */
  readonly naturalKey: readonly (readonly (keyof F & string)[])[];
  /** Outputs the service computes, with their description. */
  readonly outputs?: Readonly<Record<string, string>>;
}

/**
 * A kind as the runtime and the tools hold it: the same facts, with operations on plain props.
 * The props handed to them are inputs that went through this kind's `check`.
 */
export interface Kind<N extends string = string> {
  readonly name: N;
  readonly doc: string;
  readonly fields: Fields;
  readonly schema: z.ZodTypeAny;
  readonly naturalKey: readonly (readonly string[])[];
  readonly outputs: Readonly<Record<string, string>>;
  /** Fields compared with the live service; the ones in `replaceOn` replace, the others update in place. */
  readonly managed: readonly string[];
  readonly replaceOn: readonly string[];
  /** Fields whose change updates the state only (no API call). */
  readonly steering: readonly string[];
  readLive(api: WorkspaceApi, id: string, inputs: Props): Promise<Props | undefined>;
  create(api: WorkspaceApi, inputs: Props): Promise<{ id: string; outs?: Props }>;
  update(api: WorkspaceApi, id: string, olds: Props, news: Props): Promise<Props | void>;
  remove(api: WorkspaceApi, id: string, inputs: Props): Promise<void>;
  checkMore(inputs: Props): void;
  preflight(api: WorkspaceApi, inputs: Props, ctx: PreflightContext): Promise<Adoption | void>;
  readonly hasPreflight: boolean;
  replaceable(api: WorkspaceApi, id: string, olds: Props, news: Props): Promise<void>;
  /** Fields whose removal from the program clears them in accsyn (a volume's `server`). */
  readonly clearable: readonly string[];
  /** Steering fields that only matter when the entity is created (`adopt`, `stack`): a change is no change. */
  readonly createOnly: readonly string[];
}

function namesWhere(fields: Fields, test: (f: Field) => boolean): string[] {
  return Object.entries(fields)
    .filter(([, f]) => test(f))
    .map(([k]) => k);
}

/** Builds the kind from its definition: the schema and the diff's field lists come from the fields. */
export function defineKind<const N extends string, F extends Fields>(def: KindDefinition<N, F>): Kind<N> {
  // The one place untyped engine props become typed inputs: the lifecycle only hands over props
  // that this kind's schema accepted in `check` (during preview, unknown values are never applied).
  const typed = (p: Props) => p as InputsOf<F>;
  return {
    name: def.name,
    doc: def.doc,
    fields: def.fields,
    schema: objectSchema(def.fields),
    naturalKey: def.naturalKey,
    outputs: def.outputs ?? {},
    managed: namesWhere(def.fields, (f) => f.change === "update" || f.change === "replace"),
    replaceOn: namesWhere(def.fields, (f) => f.change === "replace"),
    steering: namesWhere(def.fields, (f) => f.change === "provider" || f.change === "internal"),
    readLive: (api, id, inputs) => def.readLive(api, id, typed(inputs)),
    create: (api, inputs) => def.create(api, typed(inputs)),
    update: (api, id, olds, news) => def.update(api, id, typed(olds), typed(news)),
    remove: (api, id, inputs) => def.remove(api, id, typed(inputs)),
    checkMore: (inputs) => def.checkMore?.(typed(inputs)),
    preflight: async (api, inputs, ctx) => def.preflight?.(api, inputs as Partial<InputsOf<F>>, ctx),
    hasPreflight: def.preflight !== undefined,
    replaceable: async (api, id, olds, news) => def.replaceable?.(api, id, typed(olds), typed(news)),
    clearable: namesWhere(def.fields, (f) => f.clearable === true),
    createOnly: namesWhere(def.fields, (f) => f.createOnly === true),
  };
}

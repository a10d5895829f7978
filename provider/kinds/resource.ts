// The SDK's submodules, not its index: the runtime loads this file (through the registry) in the
// dynamic-provider host, where the index would add a second of start-up for nothing.
import type * as pulumi from "@pulumi/pulumi";
import { getProject, getStack } from "@pulumi/pulumi/metadata";
import { output } from "@pulumi/pulumi/output";
import { CustomResource, Resource } from "@pulumi/pulumi/resource";
import type { z } from "zod";
import { providerText } from "../resources/provider";
import { type Field, type Fields, type Kind, PACKED, type Packed, type UnmanagedTarget } from "./kind";

/** An accsyn resource of one of the given kinds, as a program passes it to a reference field. */
export type KindRef<K extends string> = pulumi.CustomResource & { readonly accsynKind: K };

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A value as a program may give it: lists take inputs element by element. */
type InputOf<T> = [T] extends [readonly (infer E)[]] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<T>;

/** A reference: the resource object where a resource kind manages the target, else its id or code. */
type RefArg<R extends string> = [Exclude<R, UnmanagedTarget>] extends [never]
  ? pulumi.Input<string>
  : KindRef<Exclude<R, UnmanagedTarget>> | pulumi.Input<string>;

type ArgOf<F extends Field> = F extends { ref: readonly (infer R extends string)[] }
  ? [NonNullable<z.input<F["schema"]>>] extends [readonly unknown[]]
    ? pulumi.Input<pulumi.Input<string>[]>
    : RefArg<R>
  : InputOf<NonNullable<z.input<F["schema"]>>>;

type PublicKeys<F extends Fields> = {
  [K in keyof F]: F[K]["change"] extends "internal" ? never : K;
}[keyof F];
/** Fields a reference fills from the resource object passed to it (a Grant's `shareType`). */
type FilledByReference<F extends Fields> = {
  [K in keyof F]: F[K] extends { kindField: infer T extends string } ? T : never;
}[keyof F];
type OptionalKeys<F extends Fields> = {
  [K in PublicKeys<F>]: undefined extends z.input<F[K]["schema"]>
    ? K
    : K extends FilledByReference<F>
      ? K
      : never;
}[PublicKeys<F>];
type RequiredKeys<F extends Fields> = Exclude<PublicKeys<F>, OptionalKeys<F>>;

/**
 * A resource's Args, derived from its kind's fields so the two cannot drift: each field's schema
 * input type wrapped in `pulumi.Input`, optional where the schema accepts undefined (or a reference
 * fills it), and a field that refers to another kind also accepting that resource object.
 */
export type ArgsOf<F extends Fields> = Simplify<
  // Key remapping over `keyof F` keeps each property linked to its field definition, so an
  // editor's "go to definition" on an Args property lands on the field and its doc.
  { [K in keyof F as K extends RequiredKeys<F> ? K : never]: ArgOf<F[K]> } & {
    [K in keyof F as K extends OptionalKeys<F> ? K : never]?: ArgOf<F[K]>;
  }
>;

function isAccsynResource(v: unknown): v is KindRef<string> {
  return CustomResource.isInstance(v) && typeof (v as { accsynKind?: unknown }).accsynKind === "string";
}

/**
 * The props a resource registers: references to resources become their ids (and the resource a
 * dependency), every output key exists so Pulumi creates its Output property, and the resource's own
 * name, its stack and the kinds of the resources passed travel packed in one prop ({@link PACKED}),
 * which the check unpacks.
 */
function registration(
  kind: Kind,
  name: string,
  args: Record<string, unknown>,
): { props: pulumi.Inputs; deps: pulumi.Resource[] } {
  const props: pulumi.Inputs = { ...args };
  const deps: pulumi.Resource[] = [];
  const refs: Record<string, string> = {};
  for (const [key, f] of Object.entries(kind.fields)) {
    const value = args[key];
    if (!f.ref || !isAccsynResource(value)) continue;
    if (!(f.ref as readonly string[]).includes(value.accsynKind)) {
      throw new Error(
        `accsyn ${kind.name} '${name}': field '${key}' takes a ${f.ref.join(" or ")} (or its id), not a ${value.accsynKind}`,
      );
    }
    props[key] = value.id;
    refs[key] = value.accsynKind;
    deps.push(value);
  }
  for (const key of Object.keys(kind.outputs)) if (!(key in props)) props[key] = undefined;
  const packed: Packed = {
    name,
    // Kinds that mark what their creates make (kinds/marker.ts) also need to know which stack asks.
    ...("stack" in kind.fields ? { stack: `${getProject()}/${getStack()}` } : {}),
    ...(Object.keys(refs).length > 0 ? { refs } : {}),
  };
  props[PACKED] = packed;
  return { props, deps };
}

function withDependencies(
  opts: pulumi.CustomResourceOptions | undefined,
  extra: pulumi.Resource[],
): pulumi.CustomResourceOptions | undefined {
  if (extra.length === 0) return opts;
  const given: unknown = opts?.dependsOn;
  // A plain list or resource is extended as it is: going through an Output costs the SDK an Output
  // and its promises for every resource, which only a dependsOn that is itself an Output or a
  // promise needs.
  let dependsOn: pulumi.CustomResourceOptions["dependsOn"];
  if (given === undefined) dependsOn = extra;
  else if (Array.isArray(given)) dependsOn = [...(given as pulumi.Input<pulumi.Resource>[]), ...extra];
  else if (Resource.isInstance(given)) dependsOn = [given, ...extra];
  else
    dependsOn = output(given as NonNullable<pulumi.CustomResourceOptions["dependsOn"]>).apply((g) => [
      ...((Array.isArray(g) ? g : [g]) as pulumi.Resource[]),
      ...extra,
    ]);
  return { ...opts, dependsOn };
}

/**
 * What every accsyn resource class passes to `CustomResource`'s constructor: the type
 * `pulumi-nodejs:dynamic/accsyn:<Kind>` (a dynamic resource: Pulumi's Node.js dynamic-provider host
 * serves it), the props with the provider text of resources/provider.ts as `__provider` (what
 * `dynamic.Resource` would store, minus the closure serializer's wrapping), and the options with
 * the resources that references name as dependencies.
 *
 * The classes extend `CustomResource` directly, with no class of ours in between: Pulumi takes the
 * frame just above the resource class's constructor as the resource's source position (in the
 * state, and in what `pulumi preview` links to), and that must be the program's line, not ours.
 */
export function resourceArgs(
  kind: Kind,
  name: string,
  args: object,
  opts: pulumi.CustomResourceOptions | undefined,
): [type: string, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined] {
  const { props, deps } = registration(kind, name, args as Record<string, unknown>);
  props.__provider = providerText(kind.name);
  return [`pulumi-nodejs:dynamic/accsyn:${kind.name}`, name, props, withDependencies(opts, deps)];
}

import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/** The operations a dynamic provider answers, as the shim names them to the runtime. */
export type ShimOperation = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/**
 * What the shims call in `pulumi-accsyn/runtime` (runtime/index.ts checks that it provides it).
 * Kinds are plain names here: the shim must not depend on the registry. `provider` is what the
 * current shim calls; `dispatch` and the per-operation functions are what the shims written before
 * it call, and the state of existing stacks still carries those (a resource's outputs keep the shim
 * that created it until its next update, and `delete` runs the outputs' shim).
 */
export interface ShimRuntime {
  provider(kind: string): pulumi.dynamic.ResourceProvider;
  dispatch(kind: string, op: ShimOperation, args: unknown[]): Promise<unknown>;
  configure(get: (key: string) => string | undefined): void;
  check(kind: string, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(kind: string, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(kind: string, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  remove(kind: string, id: string, props: Props): Promise<void>;
}

/**
 * The serialized provider (`__provider`) every accsyn resource carries in its state, twice (inputs
 * and outputs), and that the engine sends with every call about it: a CommonJS module whose
 * `handler` the dynamic-provider host calls once per text and process. It names the kind and
 * finds `pulumi-accsyn/runtime` from the project directory (the host's working directory), so it
 * works both for a project that installed this package into node_modules and for this repo's own
 * examples, and upgrading the package upgrades the logic without touching any state.
 *
 * It is written here rather than made by the SDK's closure serializer (what `dynamic.Resource`
 * does): the serializer wraps every method in ~190 bytes whatever it does, so even a no-op
 * provider is 1,914 bytes, and the engine re-serializes the whole state on every checkpoint. At
 * N = 500 this text saves ~4 KB per resource and took `up` and `destroy` from 1.2x the no-op
 * baseline to 0.66x (BENCHMARKS.md). Changing it changes the `__provider` input of every resource on
 * its next `up`, a `same` step (the diff ignores it; tests/engine/shim-upgrade.test.ts), and the
 * runtime keeps answering the texts already in states.
 */
export function providerText(kind: string): string {
  return (
    'exports.handler = () => require("module").createRequire(require("path").join(process.cwd(), ' +
    `"package.json"))("pulumi-accsyn/runtime").provider(${JSON.stringify(kind)});\n`
  );
}

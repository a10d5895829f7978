/* eslint-disable @typescript-eslint/no-require-imports -- the shim's text is what the state stores; it requires at run time */
import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/** The operations a dynamic provider answers, as the shim names them to the runtime. */
export type ShimOperation = "configure" | "check" | "diff" | "create" | "read" | "update" | "delete";

/**
 * What the shims call in `pulumi-accsyn/runtime` (runtime/index.ts checks that it provides it).
 * Kinds are plain names here: the shim must not depend on the registry. `dispatch` is what the
 * current shim calls; the per-operation functions are what shims written before it call, and the
 * state of existing stacks still carries those (a resource's outputs keep the shim that created it
 * until its next update, and `delete` runs the outputs' shim).
 */
export interface ShimRuntime {
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
 * The provider object Pulumi serializes into the state of every accsyn resource, twice (inputs and
 * outputs), and sends with every call the engine makes about it. It must stay tiny and must not
 * capture the client, zod or undici: each method only finds `pulumi-accsyn/runtime` from the project
 * directory (the dynamic provider's working directory) and hands it the operation. That works both
 * for a project that installed this package into node_modules and for this repo's own examples
 * (through the package's self-reference).
 *
 * Its size is a cost the engine pays per resource on every checkpoint: at N = 300 a no-op provider
 * padded by the 820 bytes the previous shim had over it used 15-20 % more engine CPU in `up` and
 * `destroy` (BENCHMARKS.md). So every method is the same one-line call into one captured function:
 * the serializer wraps each function in ~190 bytes whatever it does. Changing this text changes the
 * `__provider` input of every resource on its next `up` (a `same` step: the diff ignores it; SDKs
 * since 2018 do not replace a dynamic resource whose provider text changed), and the runtime keeps
 * answering the shims already in states.
 */
export function providerFor(kind: string): pulumi.dynamic.ResourceProvider {
  // One object per kind: the SDK caches a provider's serialization by object identity, so every
  // resource of a kind reuses one serialization (about 22 ms each) instead of making its own.
  let provider = built.get(kind);
  if (provider === undefined) {
    provider = shimFor(kind);
    built.set(kind, provider);
  }
  return provider;
}

const built = new Map<string, pulumi.dynamic.ResourceProvider>();

// Its text (the methods and what they capture: `go`, and `kind` through it) is what the state stores.
function shimFor(kind: string): pulumi.dynamic.ResourceProvider {
  const go = <T>(op: ShimOperation, args: unknown[]): Promise<T> =>
    (
      (require("module") as typeof import("module")).createRequire(
        (require("path") as typeof import("path")).join(process.cwd(), "package.json"),
      )("pulumi-accsyn/runtime") as ShimRuntime
    ).dispatch(kind, op, args) as Promise<T>;
  return {
    configure: async (...a) => go("configure", a),
    check: async (...a) => go("check", a),
    diff: async (...a) => go("diff", a),
    create: async (...a) => go("create", a),
    read: async (...a) => go("read", a),
    update: async (...a) => go("update", a),
    delete: async (...a) => go("delete", a),
  };
}

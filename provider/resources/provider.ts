import type * as pulumi from "@pulumi/pulumi";

type Props = Record<string, unknown>;

/**
 * What the shim calls in `pulumi-accsyn/runtime` (runtime/index.ts checks that it provides it).
 * Kinds are plain names here: the shim must not depend on the registry.
 */
export interface ShimRuntime {
  configure(get: (key: string) => string | undefined): void;
  check(kind: string, olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(kind: string, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(kind: string, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(kind: string, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  remove(kind: string, id: string, props: Props): Promise<void>;
}

/**
 * The provider object Pulumi serializes into the state of every accsyn resource. It must stay tiny
 * and must not capture the client, zod or undici: each method only finds `pulumi-accsyn/runtime`
 * from the project directory (the dynamic provider's working directory) and calls it. That works
 * both for a project that installed this package into node_modules and for this repo's own
 * examples (through the package's self-reference). Keep this text stable all the same: the state
 * of every resource carries it, and SDKs older than the dynamic-provider rework replaced every
 * resource whose serialized provider changed (3.248's host no longer does).
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

// Its text (the methods and what they capture: `kind` and `load`) is what the state stores.
function shimFor(kind: string): pulumi.dynamic.ResourceProvider {
  const load = (): ShimRuntime => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const nodeModule = require("module") as typeof import("module");
    const nodePath = require("path") as typeof import("path");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const fromProject = nodeModule.createRequire(nodePath.join(process.cwd(), "package.json"));
    return fromProject("pulumi-accsyn/runtime") as ShimRuntime;
  };
  return {
    configure: async (req) => load().configure((key) => req.config.get(key)),
    check: async (olds, news) => load().check(kind, olds, news),
    diff: async (id, olds, news) => load().diff(kind, id, olds, news),
    create: async (inputs) => load().create(kind, inputs),
    read: async (id, props) => load().read(kind, id, props ?? {}),
    update: async (id, olds, news) => load().update(kind, id, olds, news),
    delete: async (id, props) => load().remove(kind, id, props),
  };
}

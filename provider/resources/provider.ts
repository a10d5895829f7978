import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind, RuntimeModule } from "../runtime";

/**
 * The provider object Pulumi serializes into the state of every accsyn resource. It must stay tiny
 * and must not capture the client, zod or undici: each method only finds `pulumi-accsyn/runtime`
 * from the project directory (the dynamic provider's working directory) and calls it. That works
 * both for a project that installed this package into node_modules and for this repo's own
 * examples (through the package's self-reference). Keep this text stable all the same: the state
 * of every resource carries it, and SDKs older than the dynamic-provider rework replaced every
 * resource whose serialized provider changed (3.248's host no longer does).
 */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const load = (): RuntimeModule => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const nodeModule = require("module") as typeof import("module");
    const nodePath = require("path") as typeof import("path");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const fromProject = nodeModule.createRequire(nodePath.join(process.cwd(), "package.json"));
    return fromProject("pulumi-accsyn/runtime") as RuntimeModule;
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

/**
 * The code behind every accsyn resource's serialized provider. The text stored in the Pulumi state
 * only names a resource kind and `require`s this module at run time (see resources/provider.ts),
 * so the state stays small and upgrading this package upgrades the logic.
 * Each operation finds the kind in the registry and runs the generic lifecycle on it.
 * @module pulumi-accsyn/runtime
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { type AnyKind, type ResourceKind, kindNamed } from "../kinds/registry";
import type { ShimOperation, ShimRuntime } from "../resources/provider";
import { watchEngine } from "./engine-watch";
import { ConflictError } from "./errors";
import * as lifecycle from "./lifecycle";
import { quiet } from "./quiet";
import { type ConfigGetter, configureSettings } from "./settings";

export type { ResourceKind } from "../kinds/registry";
export type { ShimOperation } from "../resources/provider";
type Props = Record<string, unknown>;

function kind(name: ResourceKind): AnyKind {
  const k = kindNamed(name);
  if (!k) {
    throw quiet(
      new ConflictError({
        entity: { kind: String(name) },
        problem:
          "this version of pulumi-accsyn has no such resource kind (the state was written by another version)",
        fix: "install the pulumi-accsyn version that wrote this stack's state, or a newer one",
      }),
    );
  }
  return k;
}

export function configure(get: ConfigGetter): void {
  watchEngine();
  configureSettings(get);
}

export async function check(name: ResourceKind, olds: Props, news: Props) {
  return lifecycle.check(kind(name), olds, news);
}
export async function diff(name: ResourceKind, id: string, olds: Props, news: Props) {
  return lifecycle.diff(kind(name), id, olds, news);
}
export async function create(name: ResourceKind, inputs: Props) {
  return lifecycle.create(kind(name), inputs);
}
export async function read(name: ResourceKind, id: string, props: Props) {
  return lifecycle.read(kind(name), id, props);
}
export async function update(name: ResourceKind, id: string, olds: Props, news: Props) {
  return lifecycle.update(kind(name), id, olds, news);
}
export async function remove(name: ResourceKind, id: string, props: Props) {
  return lifecycle.remove(kind(name), id, props);
}

/** What the host hands `configure`: the stack's config, one key at a time. */
interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

const props = (v: unknown): Props => (v !== null && typeof v === "object" ? (v as Props) : {});
const text = (v: unknown): string => String(v);

/**
 * Every operation by name, with the host's arguments as the host passed them: what the
 * {@link provider} objects call, and the one entry point of the shim before them.
 */
export async function dispatch(name: ResourceKind, op: ShimOperation, args: unknown[]): Promise<unknown> {
  const [a, b, c] = args;
  switch (op) {
    case "configure":
      return configure((key) => (a as ConfigureRequest).config.get(key));
    case "check":
      return check(name, props(a), props(b));
    case "diff":
      return diff(name, text(a), props(b), props(c));
    case "create":
      return create(name, props(a));
    case "read":
      return read(name, text(a), props(b));
    case "update":
      return update(name, text(a), props(b), props(c));
    case "delete":
      return remove(name, text(a), props(b));
    default:
      throw quiet(
        new ConflictError({
          entity: { kind: String(name) },
          problem: `this version of pulumi-accsyn has no provider operation '${String(op)}' (the state was written by another version)`,
          fix: "install the pulumi-accsyn version that wrote this stack's state, or a newer one",
        }),
      );
  }
}

const providers = new Map<ResourceKind, ResourceProvider>();

/**
 * The provider object the current shim's `handler` returns (resources/provider.ts): one per kind,
 * each method handing the host's arguments to {@link dispatch}.
 */
export function provider(name: ResourceKind): ResourceProvider {
  let made = providers.get(name);
  if (made === undefined) {
    const go =
      (op: ShimOperation) =>
      (...args: unknown[]): Promise<never> =>
        dispatch(name, op, args) as Promise<never>;
    made = {
      configure: go("configure"),
      check: go("check"),
      diff: go("diff"),
      create: go("create"),
      read: go("read"),
      update: go("update"),
      delete: go("delete"),
    };
    providers.set(name, made);
  }
  return made;
}

/** This module's interface, as tests and tools that load it hold it. */
export interface RuntimeModule {
  provider: typeof provider;
  dispatch: typeof dispatch;
  configure: typeof configure;
  check: typeof check;
  diff: typeof diff;
  create: typeof create;
  read: typeof read;
  update: typeof update;
  remove: typeof remove;
}

// The shim in every resource's state calls this module; it must keep answering what the shim asks.
const runtime: RuntimeModule = { provider, dispatch, configure, check, diff, create, read, update, remove };
const _shimContract: ShimRuntime = runtime;
void _shimContract;

/**
 * The code behind every accsyn resource's serialized provider. The provider object stored in the
 * Pulumi state only names a resource kind and `require`s this module at run time (see
 * resources/provider.ts), so the state stays small and upgrading this package upgrades the logic.
 * Each operation finds the kind in the registry and runs the generic lifecycle on it.
 */
import { type AnyKind, type ResourceKind, kindNamed } from "../kinds/registry";
import type { ShimRuntime } from "../resources/provider";
import * as lifecycle from "./lifecycle";
import { type ConfigGetter, configureSettings } from "./settings";

export type { ResourceKind } from "../kinds/registry";
type Props = Record<string, unknown>;

function kind(name: ResourceKind): AnyKind {
  const k = kindNamed(name);
  if (!k)
    throw new Error(
      `pulumi-accsyn: unknown resource kind '${String(name)}' (state written by a newer version?)`,
    );
  return k;
}

export function configure(get: ConfigGetter): void {
  configureSettings(get);
}

export const check = (name: ResourceKind, olds: Props, news: Props) =>
  lifecycle.check(kind(name), olds, news);
export const diff = (name: ResourceKind, id: string, olds: Props, news: Props) =>
  lifecycle.diff(kind(name), id, olds, news);
export const create = (name: ResourceKind, inputs: Props) => lifecycle.create(kind(name), inputs);
export const read = (name: ResourceKind, id: string, props: Props) => lifecycle.read(kind(name), id, props);
export const update = (name: ResourceKind, id: string, olds: Props, news: Props) =>
  lifecycle.update(kind(name), id, olds, news);
export const remove = (name: ResourceKind, id: string, props: Props) =>
  lifecycle.remove(kind(name), id, props);

/** This module's interface, as tests and tools that load it hold it. */
export interface RuntimeModule {
  configure: typeof configure;
  check: typeof check;
  diff: typeof diff;
  create: typeof create;
  read: typeof read;
  update: typeof update;
  remove: typeof remove;
}

// The shim in every resource's state calls this module; it must keep answering what the shim asks.
const runtime: RuntimeModule = { configure, check, diff, create, read, update, remove };
const _shimContract: ShimRuntime = runtime;
void _shimContract;

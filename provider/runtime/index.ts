/**
 * The code behind every accsyn resource's serialized provider. The provider object stored in the
 * Pulumi state only names a resource kind and `require`s this module at run time (see
 * resources/provider.ts), so the state stays small and upgrading this package upgrades the logic.
 */
import * as lifecycle from "./lifecycle";
import { type ConfigGetter, configureSettings } from "./settings";
import type { AnySpec } from "./spec";
import { collectionSpec } from "./specs/collection";
import { folderSpec } from "./specs/folder";
import { grantSpec } from "./specs/grant";
import { homeSpec } from "./specs/home";
import { volumeServerSpec } from "./specs/volume-server";
import { volumeSpec } from "./specs/volume";

export type ResourceKind = "Volume" | "Folder" | "Home" | "Collection" | "VolumeServer" | "Grant";
type Props = Record<string, unknown>;

const SPECS: Record<ResourceKind, AnySpec> = {
  Volume: volumeSpec as unknown as AnySpec,
  Folder: folderSpec as unknown as AnySpec,
  Home: homeSpec as unknown as AnySpec,
  Collection: collectionSpec as unknown as AnySpec,
  VolumeServer: volumeServerSpec as unknown as AnySpec,
  Grant: grantSpec as unknown as AnySpec,
};

function spec(kind: ResourceKind): AnySpec {
  const s = SPECS[kind];
  if (!s)
    throw new Error(
      `pulumi-accsyn: unknown resource kind '${String(kind)}' (state written by a newer version?)`,
    );
  return s;
}

export function configure(get: ConfigGetter): void {
  configureSettings(get);
}

export const check = (kind: ResourceKind, olds: Props, news: Props) =>
  lifecycle.check(spec(kind), olds, news);
export const diff = (kind: ResourceKind, id: string, olds: Props, news: Props) =>
  lifecycle.diff(spec(kind), id, olds, news);
export const create = (kind: ResourceKind, inputs: Props) => lifecycle.create(spec(kind), inputs);
export const read = (kind: ResourceKind, id: string, props: Props) => lifecycle.read(spec(kind), id, props);
export const update = (kind: ResourceKind, id: string, olds: Props, news: Props) =>
  lifecycle.update(spec(kind), id, olds, news);
export const remove = (kind: ResourceKind, id: string, props: Props) =>
  lifecycle.remove(spec(kind), id, props);

export type RuntimeModule = typeof import("./index");

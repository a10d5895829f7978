import * as registered from "./index";
import type { Kind } from "./kind";

type Registered = (typeof registered)[keyof typeof registered];

/** Every registered kind definition (the classes and helpers exported beside them are left out). */
export type AnyKind = Extract<Registered, Kind>;

/**
 * The name of a registered kind: `"Volume" | "Folder" | ...`, derived from the registry.
 * @useDeclaredType
 */
export type ResourceKind = AnyKind["name"];

function isKind(v: unknown): v is AnyKind {
  return typeof v === "object" && v !== null && "fields" in v && "readLive" in v && "name" in v;
}

/** The registered kinds, in registry order. */
export const KINDS: readonly AnyKind[] = Object.values(registered).filter(isKind);

const byName = new Map<string, AnyKind>(KINDS.map((k) => [k.name, k]));

/** The kind of that name, or undefined (state written by a newer version of this package). */
export function kindNamed(name: string): AnyKind | undefined {
  return byName.get(name);
}

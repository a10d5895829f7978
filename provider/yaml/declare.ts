import type * as pulumi from "@pulumi/pulumi";
import * as registered from "../kinds";
import type { KindRef } from "../kinds/resource";
import type { ResourceSpec, Workspace } from "./workspace";
import { readWorkspace } from "./workspace";

type ResourceClass = new (
  name: string,
  args: Record<string, unknown>,
  opts?: pulumi.CustomResourceOptions,
) => KindRef<string>;

/** The resource class of a kind: the registry exports it under the kind's name. */
function classOf(kind: string): ResourceClass {
  const c = (registered as Record<string, unknown>)[kind];
  if (typeof c !== "function")
    throw new Error(`pulumi-accsyn: the registry exports no resource class '${kind}'`);
  return c as ResourceClass;
}

/** Options for all the declared resources: a parent component, or keeping them in accsyn on delete. */
export type DeclareOptions = Pick<pulumi.CustomResourceOptions, "parent" | "retainOnDelete">;

function argsOf(spec: ResourceSpec, made: ReadonlyMap<string, KindRef<string>>): Record<string, unknown> {
  const args: Record<string, unknown> = { ...spec.properties };
  for (const ref of spec.refs) {
    const target = made.get(ref.target);
    if (!target)
      throw new Error(`pulumi-accsyn: '${ref.target}' is declared after '${spec.name}' (dependency order)`);
    if (ref.index === undefined) {
      // The resource object itself: the class turns it into its id, a dependency and (for a Grant's
      // share) the kind field, exactly as in a TypeScript program.
      args[ref.field] = target;
    } else {
      const list = [...(args[ref.field] as unknown[])];
      list[ref.index] = target.id;
      args[ref.field] = list;
    }
  }
  return args;
}

/**
 * Declares a checked workspace's resources through the kinds' resource classes, each after the
 * resources it refers to; returns them by resource name.
 */
export function declareWorkspace(ws: Workspace, opts: DeclareOptions = {}): Record<string, KindRef<string>> {
  const made = new Map<string, KindRef<string>>();
  for (const spec of ws.resources) {
    const dependsOn = spec.options.dependsOn.map((n) => made.get(n)).filter((r) => r !== undefined);
    const resourceOpts: pulumi.CustomResourceOptions = {
      ...opts,
      ...(spec.options.protect !== undefined ? { protect: spec.options.protect } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    };
    made.set(spec.name, new (classOf(spec.kind.name))(spec.name, argsOf(spec, made), resourceOpts));
  }
  return Object.fromEntries(made);
}

/**
 * Reads, checks and declares a workspace file: the one call a program needs. A file with mistakes
 * declares nothing and throws a `WorkspaceFileError` listing each with its line and column.
 */
export function loadWorkspace(file: string, opts: DeclareOptions = {}): Record<string, KindRef<string>> {
  return declareWorkspace(readWorkspace(file), opts);
}

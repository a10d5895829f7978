/**
 * YAML workspaces: a file that declares accsyn resources (see docs/yaml-workspace.md), checked
 * with each kind's own schema and declared through the same resource classes as a TypeScript
 * program.
 *
 * ```ts
 * import { loadWorkspace } from "pulumi-accsyn/yaml";
 * const resources = loadWorkspace("workspace.yaml");
 * ```
 *
 * @module pulumi-accsyn/yaml
 */
export { type DeclareOptions, declareWorkspace, loadWorkspace } from "./declare";
export { WorkspaceFileError, type WorkspaceIssue, formatIssue } from "./errors";
export type { Reference } from "./properties";
export {
  type ResourceOptions,
  type ResourceSpec,
  type Workspace,
  parseWorkspace,
  readWorkspace,
} from "./workspace";

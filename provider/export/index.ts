/**
 * accsyn-export as a library: read a live workspace and write the Pulumi program (TypeScript or a
 * YAML workspace) that declares it. The `accsyn-export` command (cli.ts) is a thin layer on top.
 *
 * @module
 */
export { type PlanOptions, RESERVED_METADATA_KEY, planExport } from "./build";
export { emitTypeScript } from "./emit-ts";
export { emitYaml } from "./emit-yaml";
export { ExportReadError, ExportUsageError, ExportWriteError, isExportError } from "./errors";
export type { ExportCounts, ExportPlan, ExportResource, Value } from "./model";
export { Ref } from "./model";
export { type ExportFormat, programText, projectFiles } from "./project";
export { type ExportRun, runExport } from "./run";
export { type Snapshot, readSnapshot } from "./snapshot";

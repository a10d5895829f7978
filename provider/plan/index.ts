/** accsyn-plan's library: a Pulumi preview turned into a review (see cli.ts for the bin). */
export { type AccessChange, type AccessReview, reviewAccess } from "./access";
export { type Drift, driftOf } from "./drift";
export { COMMENT_LIMIT, renderMarkdown } from "./markdown";
export { type FieldChange, type Plan, type ResourceChange, buildPlan } from "./model";
export { type Preview, PreviewFormatError, parsePreview } from "./preview";
export { GATES, type Gate, type Report, isGate, reportJson, reportOf, tripped } from "./report";
export { type Risk, risksOf } from "./risks";
export { PreviewRunError, runPreview } from "./run";
export { type UnmanagedAccess, unmanagedAccess } from "./unmanaged";

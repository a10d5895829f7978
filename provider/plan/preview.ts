import { z } from "zod";

/**
 * The parts of `pulumi preview --json` the plan reads. Measured against the engine this package
 * runs under (see tests/fixtures/plan): a dynamic provider never reports `diffs`/`detailedDiff`
 * (pulumi/pulumi#13679), so field changes come from comparing states. With `--refresh`, every
 * resource first gets a `refresh` step whose old and new states are both the state as stored; the
 * step that follows (`update`, `replace`, ...) then carries the live values as its `oldState`.
 */
const resourceState = z
  .object({
    urn: z.string(),
    type: z.string(),
    id: z.string().optional(),
    inputs: z.record(z.unknown()).optional(),
    outputs: z.record(z.unknown()).optional(),
    propertyDependencies: z.record(z.array(z.string())).optional(),
  })
  .passthrough();

const step = z
  .object({
    op: z.string(),
    urn: z.string(),
    oldState: resourceState.nullish(),
    newState: resourceState.nullish(),
    replaceReasons: z.array(z.string()).nullish(),
  })
  .passthrough();

const preview = z
  .object({
    steps: z.array(step).optional(),
    changeSummary: z.record(z.number()).optional(),
    diagnostics: z
      .array(
        z
          .object({
            urn: z.string().optional(),
            message: z.string().optional(),
            severity: z.string().optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough()
  // Any JSON object would pass the fields above (all optional): demand what every preview prints.
  .refine((p) => "steps" in p || "changeSummary" in p, { message: "has neither steps nor changeSummary" });

export type ResourceState = z.infer<typeof resourceState>;
export type PreviewStep = z.infer<typeof step>;
export type Preview = z.infer<typeof preview>;

/** Preview JSON that is not what `pulumi preview --json` writes; says where and what. */
export class PreviewFormatError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
  ) {
    super(`accsyn-plan: ${source} is not the output of \`pulumi preview --json\`: ${problem}`);
    this.name = "PreviewFormatError";
  }
}

/** Parses the text of `pulumi preview --json`; `source` names it in errors (a file, "pulumi preview"). */
export function parsePreview(text: string, source: string): Preview {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const first = text.trim().split("\n")[0]?.slice(0, 200) ?? "";
    throw new PreviewFormatError(source, `not JSON (${(e as Error).message}); it starts with: ${first}`);
  }
  const parsed = preview.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PreviewFormatError(
      source,
      `${issue?.path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}`,
    );
  }
  return parsed.data;
}

/** Pulumi's placeholder for a value known only after apply (the id of a resource not yet created). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The signature key Pulumi uses for secret values in serialized states. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** `urn:pulumi:stack::project::type::name` → its parts. */
export function urnParts(urn: string): { stack: string; project: string; type: string; name: string } {
  const rest = urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length) : urn;
  const [stack = "", project = "", type = "", ...name] = rest.split("::");
  return { stack, project, type: type.split("$").pop() ?? type, name: name.join("::") };
}

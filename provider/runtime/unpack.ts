/**
 * The inputs as the state keeps them, from the props a resource class registers: the check unpacks
 * {@link PACKED} (kinds/kind.ts) into `resourceName`, `stack`, {@link RESOURCE_REFS} and the kind fields
 * a resource object fills, so a state written when the class registered each of them on its own
 * plans no change.
 */
import { z } from "zod";
import { type Kind, PACKED, type Packed, type Props, RESOURCE_REFS } from "../kinds/kind";
import { InputError } from "./errors";

const PackedSchema: z.ZodType<Packed> = z
  .object({
    name: z.string(),
    stack: z.string().optional(),
    refs: z.record(z.string()).optional(),
  })
  .strict();

/** `news` with {@link PACKED} unpacked; props without it (tests, earlier releases) as they are. */
export function unpacked(kind: Kind, news: Props): Props {
  if (!(PACKED in news)) return news;
  const { [PACKED]: raw, ...rest } = news;
  const parsed = PackedSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InputError(
      kind.name,
      PACKED,
      "is internal (the resource class packs its name, stack and references in it), and this value is not what the class writes",
      `remove '${PACKED}' from the resource's arguments`,
    );
  }
  const p = parsed.data;
  const out: Props = { ...rest, resourceName: p.name };
  if (p.stack !== undefined) out.stack = p.stack;
  const refs = Object.entries(p.refs ?? {});
  if (refs.length === 0) return out;
  out[RESOURCE_REFS] = refs.map(([key]) => key);
  for (const [key, refKind] of refs) {
    const kindField = kind.fields[key]?.kindField;
    if (kindField !== undefined) out[kindField] = refKind;
  }
  return out;
}

/**
 * zod schemas of the entities the client returns. Tolerant of extra fields (`.passthrough()`), strict on the
 * fields the provider relies on. A mismatch becomes an {@link AccsynSchemaError} naming entity type and path.
 */
import { z } from "zod";

import { ID_PATTERN } from "../vocabulary";
import { AccsynSchemaError, SchemaIssue } from "./errors";

export const Id = z.string().regex(ID_PATTERN, "expected a 24-hex entity id");
export const Uuid = z.string().regex(/^[0-9a-fA-F-]{36}$/, "expected a UUID");
const Datetime = z.string().nullable().optional();
const Metadata = z.record(z.unknown()).nullable().optional();
const ShareStatus = z.enum(["enabled", "disabled", "offline", "disabled-offline"]);

const shareCommon = {
  id: Id,
  code: z.string().min(1),
  name: z.string(),
  status: ShareStatus,
  description: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  metadata: Metadata,
  inactive: z.boolean().optional(),
  created: Datetime,
  creator: z.string().nullable().optional(),
  modified: Datetime,
  modifier: z.string().nullable().optional(),
  queue: z.string().nullable().optional(),
};

export const VolumeSchema = z
  .object({
    ...shareCommon,
    paths: z.record(z.string()),
    path: z.string().nullable().optional(),
    default: z.boolean().optional(),
    type: z.string().optional(),
  })
  .passthrough();

export const FolderSchema = z
  .object({
    ...shareCommon,
    parent: Id,
    parent_hr: z.string().optional(),
    path: z.string(),
  })
  .passthrough();

export const HomeSchema = z
  .object({
    ...shareCommon,
    parent: Id,
    path: z.string(),
    user: Id.optional(),
  })
  .passthrough();

export const CollectionSchema = z
  .object({
    ...shareCommon,
    files: z.array(z.unknown()).optional(),
  })
  .passthrough();

export const FileSchema = z
  .object({
    id: Uuid,
    path: z.string().optional(),
  })
  .passthrough();

export const AclSchema = z
  .object({
    id: Id,
    entity: z.string().regex(/^[a-z]+:[0-9a-f]{24}$/, "expected <type>:<id>"),
    target: z.string().regex(/^[a-z]+:[0-9a-f]{24}$/, "expected <type>:<id>"),
    read: z.boolean(),
    write: z.boolean(),
    /** One ACL per user, share and path: `/` is the whole share. */
    path: z.string().default("/"),
    entity_hr: z.string().optional(),
    target_hr: z.string().optional(),
    acknowledged: z.boolean().optional(),
    status: z.string().optional(),
  })
  .passthrough();

export const AssignmentSchema = z
  .object({
    id: Id,
    code: z.string().optional(),
    hostname: z.string().optional(),
    site: z.string().nullable().optional(),
  })
  .passthrough();

export const UserSchema = z
  .object({
    id: Id,
    code: z.string().min(1),
    role: z.string().optional(),
    status: z.string().optional(),
    inactive: z.boolean().optional(),
  })
  .passthrough();

export const ServerSchema = z
  .object({
    id: Id,
    code: z.string().optional(),
    hostname: z.string().optional(),
    site: z.string().nullable().optional(),
    status: z.string().optional(),
  })
  .passthrough();

export const SiteSchema = z
  .object({
    id: Id,
    code: z.string().min(1),
    name: z.string().optional(),
  })
  .passthrough();

export const TransferSchema = z
  .object({
    id: Id,
    name: z.string().optional(),
    code: z.string().optional(),
    status: z.string(),
    source: z.string().optional(),
    destination: z.string().optional(),
    finished: Datetime,
  })
  .passthrough();

export const TaskSchema = z
  .object({
    id: Uuid,
    status: z.string(),
    job: Id.optional(),
    uri: z.string().optional(),
    priority: z.number().optional(),
  })
  .passthrough();

export const LoginSchema = z
  .object({
    session_id: z.string().min(1),
    role: z.string(),
    id: Id,
  })
  .passthrough();

export type Volume = z.infer<typeof VolumeSchema>;
export type Folder = z.infer<typeof FolderSchema>;
export type Home = z.infer<typeof HomeSchema>;
export type Collection = z.infer<typeof CollectionSchema>;
export type CollectionFile = z.infer<typeof FileSchema>;
export type Acl = z.infer<typeof AclSchema>;
export type Assignment = z.infer<typeof AssignmentSchema>;
export type User = z.infer<typeof UserSchema>;
export type Server = z.infer<typeof ServerSchema>;
export type Site = z.infer<typeof SiteSchema>;
export type Transfer = z.infer<typeof TransferSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type LoginInfo = z.infer<typeof LoginSchema>;

/** Entity types with a schema, as the API spells them. */
export const SCHEMAS = {
  Volume: VolumeSchema,
  Folder: FolderSchema,
  Home: HomeSchema,
  Collection: CollectionSchema,
  File: FileSchema,
  Acl: AclSchema,
  User: UserSchema,
  Server: ServerSchema,
  Client: ServerSchema,
  Site: SiteSchema,
  Transfer: TransferSchema,
  Task: TaskSchema,
} as const;

export type EntityType = keyof typeof SCHEMAS;

export type EntityOf<T extends EntityType> = z.infer<(typeof SCHEMAS)[T]>;

function pathOf(p: ReadonlyArray<string | number>): string {
  let out = "";
  for (const seg of p) out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out === "" ? "(root)" : out;
}

/** Validates one value; throws {@link AccsynSchemaError} naming the entity type and the field paths. */
export function parseWith<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  ctx: { entityType: string; operation: string; entityId?: string },
): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues: SchemaIssue[] = r.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  const first = issues[0];
  const where = first ? `${ctx.entityType}.${first.path}: ${first.message}` : ctx.entityType;
  throw new AccsynSchemaError(`unexpected ${ctx.entityType} from ${ctx.operation}: ${where}`, {
    operation: ctx.operation,
    entityType: ctx.entityType,
    ...(ctx.entityId !== undefined ? { entityId: ctx.entityId } : {}),
    retryable: false,
    issues,
  });
}

/** Validates a list reply of entities. */
export function parseList<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  ctx: { entityType: string; operation: string; entityId?: string },
): z.infer<S>[] {
  return parseWith(z.array(schema), value, ctx);
}

/** The registry of field descriptors: one line per kind; `job` and `client` are aliases. */
import { BadRequestError } from "../../errors";
import { ACL } from "./acl";
import { APP } from "./app";
import { COLLECTION } from "./collection";
import { DELIVERY } from "./delivery";
import { type AttributeRow, type KindFields, attributeRows } from "./descriptor";
import { FILE } from "./file";
import { FOLDER } from "./folder";
import { HOME } from "./home";
import { QUEUE } from "./queue";
import { SERVER } from "./server";
import { SHARE } from "./share";
import { SITE } from "./site";
import { TASK } from "./task";
import { TRANSFER } from "./transfer";
import { USER } from "./user";
import { VOLUME } from "./volume";

export const KINDS: readonly KindFields[] = [
  VOLUME,
  FOLDER,
  HOME,
  COLLECTION,
  SHARE,
  FILE,
  ACL,
  USER,
  SITE,
  SERVER,
  TRANSFER,
  TASK,
  DELIVERY,
  QUEUE,
  APP,
];

const ALIASES: Record<string, string> = { job: "transfer", client: "server" };

/** The descriptor of a kind as written in a uri or an attributes query (case-insensitive), if known. */
export function descriptorOf(kind: string): KindFields | undefined {
  const k = kind.trim().toLowerCase();
  const name = ALIASES[k] ?? k;
  return KINDS.find((d) => d.kind === name);
}

/** The `entitytypes` reply: every kind, aliases included. */
export function entityTypes(): string[] {
  const out: string[] = [];
  for (const d of KINDS) {
    out.push(d.kind);
    for (const [alias, of] of Object.entries(ALIASES)) if (of === d.kind) out.push(alias);
  }
  return out;
}

/** The `attributes` reply: data `{entitytype, create, update}`; create/update keep only those writable so. */
export function attributes(raw: unknown): AttributeRow[] {
  const d =
    raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const et = typeof d.entitytype === "string" ? d.entitytype.replace(/['"]/g, "") : "";
  const desc = descriptorOf(et);
  if (!desc)
    throw new BadRequestError(
      `attributes: unknown entitytype '${String(d.entitytype)}'; known: ${entityTypes().join(", ")}`,
    );
  return attributeRows(desc).filter(
    (a) => (d.create === true ? a.create : true) && (d.update === true ? a.update : true),
  );
}

export { type AttributeRow, type Field, type FieldType, type KindFields, checkInput } from "./descriptor";
export {
  ACL,
  APP,
  COLLECTION,
  DELIVERY,
  FILE,
  FOLDER,
  HOME,
  QUEUE,
  SERVER,
  SHARE,
  SITE,
  TASK,
  TRANSFER,
  USER,
  VOLUME,
};

/**
 * Creates, made safe to repeat. A create is never blindly repeated: after an ambiguous attempt the retry engine
 * looks the entity up by its natural key (the table below) and returns it if it exists, repeating the create only
 * when nothing exists. Types without a natural key are not repeated after an ambiguous attempt (the official
 * client's changelog: a repeated create made two jobs).
 */
import { AccsynHttpError, entityLabel } from "./errors";
import { Entities, parseEntities } from "./entities";
import { shareCreated } from "./list-edits";
import { Query, q } from "./query";
import { EntityOf, EntityType } from "./schemas";
import { CallSpec, Session } from "./session";

function cacheUpdateOf(update: CallSpec["cacheUpdate"]): Pick<CallSpec, "cacheUpdate"> {
  return update !== undefined ? { cacheUpdate: update } : {};
}

type Open = Record<string, unknown>;
export interface VolumeCreate extends Open {
  name: string;
  code?: string;
  paths: Record<string, string>;
  server?: string;
  siteservers?: string[];
}
export interface FolderCreate extends Open {
  parent: string;
  path: string;
  name: string;
  code?: string;
}
export interface HomeCreate extends Open {
  user: string;
  code?: string;
  parent?: string;
  path?: string;
}
export interface CollectionCreate extends Open {
  name: string;
  code?: string;
  files?: string[];
}
export interface TransferCreate extends Open {
  source: string;
  destination: string;
}
/** What `create` accepts per entity type. */
export interface CreateDataMap {
  Volume: VolumeCreate;
  Folder: FolderCreate;
  Home: HomeCreate;
  Collection: CollectionCreate;
  Transfer: TransferCreate;
  User: Open & { code: string; role?: string };
  Server: Open;
  Client: Open;
  Site: Open & { code: string };
}
export type CreatableType = keyof CreateDataMap;

/**
 * The fields that identify an entity before it has an id, per type, in order of preference: the first set whose
 * fields are all given in the create's data is looked up. accsyn derives a share's code when none is given, so a
 * folder without code is found by parent and path, a home by its user, a collection by name.
 */
export const NATURAL_KEYS: Readonly<Partial<Record<CreatableType, readonly (readonly string[])[]>>> = {
  Volume: [["code"]],
  Folder: [["code"], ["parent", "path"]],
  Home: [["code"], ["user"]],
  Collection: [["code"], ["name"]],
  User: [["code"]],
  Site: [["code"]],
};

/** The natural-key query for a create's data, when its type has one and the data carries it. */
export function naturalKeyQuery(et: CreatableType, data: Open): Query | undefined {
  for (const fields of NATURAL_KEYS[et] ?? []) {
    const values = fields.map((f) => data[f]);
    if (!values.every((v): v is string => typeof v === "string" && v !== "")) continue;
    const eqs = fields.map((f, i) => q.eq(f, values[i] as string));
    return eqs.length === 1 ? eqs[0] : q.and(...eqs);
  }
  return undefined;
}

export class Creates {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /** Creates an entity (see the module comment for what happens when the reply is lost). */
  async create<T extends CreatableType>(
    et: T,
    data: CreateDataMap[T],
    opts: { parent?: string } = {},
  ): Promise<EntityOf<T>> {
    const uri = `${et.toLowerCase()}/create`;
    const where = naturalKeyQuery(et, data);
    const entity = {
      entityType: et as EntityType,
      ...(typeof data.code === "string" && data.code !== "" ? { entityCode: data.code } : {}),
    };
    const result = await this.s.call({
      method: "POST",
      uri,
      data,
      ...(opts.parent !== undefined ? { id: opts.parent } : {}),
      ...entity,
      ...(where !== undefined ? { reconcile: () => this.entities.findOne(et, where) } : {}),
      ...cacheUpdateOf(shareCreated(et, uri)),
    });
    const parsed = parseEntities(et, result, uri);
    if (parsed[0] === undefined) {
      throw new AccsynHttpError(`accsyn ${uri} on ${entityLabel(entity)} returned no entity`, {
        operation: uri,
        method: "POST",
        ...entity,
        status: 200,
        retryable: false,
      });
    }
    return parsed[0] as EntityOf<T>;
  }
}

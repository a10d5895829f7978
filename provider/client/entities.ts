/**
 * Reads and writes that are the same for every entity type: find, coalesced lists, edit, delete, deactivate,
 * activate, and the server's own description of its types.
 */
import { isId } from "../vocabulary";
import { isAccsynNotFoundError } from "./errors";
import { bareCode } from "./ids";
import { shareDeactivated } from "./list-edits";
import { Query, q } from "./query";
import { EntityOf, EntityType, SCHEMAS, parseList } from "./schemas";
import { Session } from "./session";

/** Flags of a find (never part of the query). */
export interface FindOptions {
  /** Restrict to a parent: the job of tasks, the collection of files. */
  parent?: string;
  /** Include deactivated users and shares. */
  inactive?: boolean;
  /** (jobs) Include finished or aborted jobs. */
  finished?: boolean;
  /** (jobs) Search the archive of purged jobs. */
  archived?: boolean;
  limit?: number;
  skip?: number;
  /** Return only these attributes (skips schema validation). */
  attributes?: string[];
}

type Open = Record<string, unknown>;

function lc(et: string): string {
  return et.toLowerCase();
}

function findData(opts: FindOptions): Open {
  const d: Open = {};
  if (opts.parent !== undefined) d.parent = opts.parent;
  if (opts.finished !== undefined) d.finished = opts.finished;
  if (opts.inactive !== undefined) d.inactive = opts.inactive;
  if (opts.archived !== undefined) d.archived = opts.archived;
  if (opts.limit) d.limit = opts.limit;
  if (opts.skip) d.skip = opts.skip;
  if (opts.attributes && opts.attributes.length > 0) d.attributes = opts.attributes;
  return d;
}

/** Validates a reply holding one entity or a list of them (null: none). */
export function parseEntities<T extends EntityType>(
  et: T,
  value: unknown,
  operation: string,
  entityId?: string,
): EntityOf<T>[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return parseList(SCHEMAS[et], list, {
    entityType: et,
    operation,
    ...(entityId !== undefined ? { entityId } : {}),
  }) as EntityOf<T>[];
}

export class Entities {
  constructor(private readonly s: Session) {}

  /** `find("<et> WHERE <where>")`. Flags go in `opts`, never in the query. */
  async find<T extends EntityType>(et: T, where?: Query, opts: FindOptions = {}): Promise<EntityOf<T>[]> {
    const uri = `${lc(et)}/find`;
    const result = await this.s.call({
      method: "GET",
      uri,
      data: findData(opts),
      ...(where !== undefined ? { query: where.toString() } : {}),
      entityType: et,
    });
    if (opts.attributes !== undefined) return (result ?? []) as EntityOf<T>[];
    return parseEntities(et, result, uri);
  }

  /** Like {@link find} with `single_entity_query`; the first match or undefined. */
  async findOne<T extends EntityType>(
    et: T,
    where: Query,
    opts: FindOptions = {},
  ): Promise<EntityOf<T> | undefined> {
    const uri = `${lc(et)}/find`;
    const result = await this.s.call({
      method: "GET",
      uri,
      data: { ...findData(opts), single_entity_query: true },
      query: where.toString(),
      entityType: et,
    });
    return parseEntities(et, result, uri)[0];
  }

  /** One entity by id, whether inactive, finished or archived; undefined when absent. */
  async getEntity<T extends EntityType>(et: T, id: string): Promise<EntityOf<T> | undefined> {
    // the official client's spelling: the type capitalised
    const uri = `${et}/find`;
    try {
      const result = await this.s.call({ method: "GET", uri, data: {}, id, entityType: et, entityId: id });
      return parseEntities(et, result, uri, id)[0];
    } catch (e) {
      if (isAccsynNotFoundError(e)) return undefined;
      throw e;
    }
  }

  /**
   * A coalesced list of every entity of a type (default `{inactive: true}`): concurrent and repeated calls
   * within the TTL share one request; every write through the same client invalidates the lists it may change.
   */
  list<T extends EntityType>(et: T, opts: FindOptions = { inactive: true }): Promise<EntityOf<T>[]> {
    // a copy per caller, so that one caller sorting or filtering in place cannot change what others see
    return this.s
      .cachedList(et, JSON.stringify(opts), () => this.findAll(et, undefined, opts))
      .then((all) => all.slice());
  }

  /**
   * The list of every entity of a type if this client already holds one (with or without inactive entities),
   * else undefined: never a request. For deciding from what is known, not for reading.
   */
  async held<T extends EntityType>(et: T): Promise<EntityOf<T>[] | undefined> {
    for (const opts of [{ inactive: true }, {}] as FindOptions[]) {
      const held = this.s.heldList<EntityOf<T>[]>(et, JSON.stringify(opts));
      if (held === undefined) continue;
      try {
        return (await held).slice();
      } catch {
        // a failed load is its own reader's error; here it only means nothing is held
        continue;
      }
    }
    return undefined;
  }

  /** Every match, paged with limit/skip when `pageSize` (option or argument) is set. */
  async findAll<T extends EntityType>(
    et: T,
    where?: Query,
    opts: FindOptions = {},
    pageSize = this.s.pageSize,
  ): Promise<EntityOf<T>[]> {
    if (!(pageSize > 0)) return this.find(et, where, opts);
    const seen = new Set<string>();
    const out: EntityOf<T>[] = [];
    for (let skip = opts.skip ?? 0; ; skip += pageSize) {
      const page = await this.find(et, where, { ...opts, limit: pageSize, skip });
      for (const e of page) {
        const id = String((e as { id?: unknown }).id);
        if (!seen.has(id)) {
          seen.add(id);
          out.push(e);
        }
      }
      if (page.length < pageSize) return out;
    }
  }

  /** The entity with this code (case-insensitive), from the coalesced list; undefined when absent. */
  async lookupByCode<T extends EntityType>(
    et: T,
    code: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    const want = code.toLowerCase();
    const all = await this.list(et, opts);
    return all.find((e) => typeof e.code === "string" && e.code.toLowerCase() === want);
  }

  /** The entity with this id, from the coalesced list; undefined when absent. */
  async lookupById<T extends EntityType>(
    et: T,
    id: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    const all = await this.list(et, opts);
    return all.find((e) => e.id === id);
  }

  /** The entity types the server knows. */
  async entityTypes(): Promise<string[]> {
    const r = await this.s.call({ method: "GET", uri: "entitytypes", data: {} });
    return Array.isArray(r) ? r.map(String) : [];
  }

  /** Attribute descriptions of an entity type (`create`/`update`: writable ones). */
  async attributes(et: string, opts: { create?: boolean; update?: boolean } = {}): Promise<unknown[]> {
    const r = await this.s.call({
      method: "GET",
      uri: "attributes",
      data: { entitytype: lc(et), create: opts.create ?? false, update: opts.update ?? false },
    });
    return Array.isArray(r) ? r : [];
  }

  /** Edits an entity; returns it as the server now has it. */
  async update<T extends EntityType>(et: T, id: string, data: Open): Promise<EntityOf<T>> {
    const uri = `${lc(et)}/edit`;
    const r = await this.s.call({ method: "PUT", uri, data, id, entityType: et, entityId: id });
    // a reply without the entity is a schema error, not an undefined entity
    return parseEntities(et, Array.isArray(r) ? r : [r], uri, id)[0] as EntityOf<T>;
  }

  /**
   * Deletes an entity. With `missingOk`, an unknown id returns false instead of throwing
   * {@link AccsynNotFoundError}. A 404 from a repeat that followed a lost reply means our first attempt
   * deleted it: true.
   */
  async delete(
    et: EntityType,
    id: string,
    opts: { force?: boolean; missingOk?: boolean } = {},
  ): Promise<boolean> {
    try {
      const r = await this.s.call({
        method: "DELETE",
        uri: `${lc(et)}/delete`,
        data: opts.force ? { force: true } : null,
        id,
        entityType: et,
        entityId: id,
      });
      return r !== false;
    } catch (e) {
      if (isAccsynNotFoundError(e) && e.afterAmbiguousAttempt) return true;
      if (opts.missingOk && isAccsynNotFoundError(e)) return false;
      throw e;
    }
  }

  /** Deactivates a share or user (kept for audit; `inactive: true`). */
  async deactivate(et: EntityType, id: string): Promise<boolean> {
    const edit = shareDeactivated(et, id);
    const r = await this.s.call({
      method: "DELETE",
      uri: `${lc(et)}/deactivate`,
      data: {},
      id,
      entityType: et,
      entityId: id,
      ...(edit !== undefined ? { cacheUpdate: edit } : {}),
    });
    return r !== false;
  }

  /** Re-activates by id or code (a code is sent, lower-cased, as the bare query). Repeated: idempotent. */
  async activate(et: EntityType, idOrCode: string): Promise<boolean> {
    const ident = idOrCode.trim().toLowerCase();
    const uri = `${lc(et)}/activate`;
    const byId = isId(ident);
    const r = await this.s.call({
      method: "POST",
      uri,
      data: {},
      ...(byId
        ? { id: ident, entityId: ident }
        : { query: q.raw(bareCode(ident, uri)).toString(), entityCode: ident }),
      entityType: et,
      idempotent: true,
    });
    return r !== false;
  }
}

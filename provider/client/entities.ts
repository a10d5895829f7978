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

/** What a held list tells of one key without a request (see {@link Entities.known}). */
export type Known<E> = { held: false } | { held: true; found: E | undefined };

/** The tokens a write may cast doubt on an entry by: its id, its code (a user's e-mail), its owner's id. */
export function tokensOf(e: { id: string; code?: unknown; user?: unknown }): string[] {
  const out = [e.id.toLowerCase()];
  if (typeof e.code === "string") out.push(e.code.toLowerCase());
  if (typeof e.user === "string") out.push(e.user.toLowerCase());
  return out;
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
    return this.shared(et, opts).then((all) => all.slice());
  }

  /**
   * The same list as {@link list}, not copied: the very array the cache holds, which no edit changes in place
   * (an edit replaces it), so a caller may index it once per identity. Read-only for the caller.
   */
  shared<T extends EntityType>(
    et: T,
    opts: FindOptions = { inactive: true },
  ): Promise<readonly EntityOf<T>[]> {
    return this.s.cachedList(et, JSON.stringify(opts), () => this.findAll(et, undefined, opts));
  }

  /**
   * The list of every entity of a type if this client already holds one (with or without inactive entities),
   * else undefined: never a request. For deciding from what is known, not for reading; a list some of whose
   * entries a write left in doubt is not known.
   */
  async held<T extends EntityType>(et: T): Promise<EntityOf<T>[] | undefined> {
    if (this.s.suspected(et).size > 0) return undefined;
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

  /**
   * What the held list (with `opts`) shows for one key (an id or a code) and `match`, without a request:
   * `held: false` when no list is held, or when a write left the key, or the entry it would answer with, in
   * doubt (see `CachedLists.suspect`); then only a read can tell.
   */
  async known<T extends EntityType>(
    et: T,
    key: string,
    match: (e: EntityOf<T>) => boolean,
    opts: FindOptions = { inactive: true },
  ): Promise<Known<EntityOf<T>>> {
    const pending = this.s.heldList<EntityOf<T>[]>(et, JSON.stringify(opts));
    if (pending === undefined) return { held: false };
    let list: EntityOf<T>[];
    try {
      list = await pending;
    } catch {
      // a failed load is its own reader's error; here it only means nothing is held
      return { held: false };
    }
    // read after the wait: a write may have cast its doubt meanwhile
    const doubts = this.s.suspected(et);
    if (doubts.has(key.toLowerCase())) return { held: false };
    const found = list.find(match);
    if (found !== undefined && tokensOf(found).some((t) => doubts.has(t))) return { held: false };
    return { held: true, found };
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

  /**
   * The entity with this code (case-insensitive), from the coalesced list; undefined when absent. The held list
   * answers unless a write left this code, or the entry, in doubt.
   */
  async lookupByCode<T extends EntityType>(
    et: T,
    code: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    const want = code.toLowerCase();
    return this.lookup(et, want, (e) => typeof e.code === "string" && e.code.toLowerCase() === want, opts);
  }

  /** The entity with this id, from the coalesced list; undefined when absent (held lists answer as above). */
  async lookupById<T extends EntityType>(
    et: T,
    id: string,
    opts: FindOptions = { inactive: true },
  ): Promise<EntityOf<T> | undefined> {
    return this.lookup(et, id, (e) => e.id === id, opts);
  }

  private async lookup<T extends EntityType>(
    et: T,
    key: string,
    match: (e: EntityOf<T>) => boolean,
    opts: FindOptions,
  ): Promise<EntityOf<T> | undefined> {
    const known = await this.known(et, key, match, opts);
    if (known.held) return known.found;
    return (await this.list(et, opts)).find(match);
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

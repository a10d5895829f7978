/**
 * Read coalescing: concurrent and repeated list reads of the same entity type (and flags) within a short TTL
 * share one request. Any write to an entity type invalidates its entries, including a read still in flight
 * (callers arriving after the write start a fresh read).
 */

export interface CoalesceOptions {
  /** How long a completed list stays fresh, in ms. Default 2000; 0 disables coalescing entirely. */
  ttlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Entry<T> {
  promise: Promise<T>;
  /** Undefined while in flight. */
  expiresAt?: number;
  generation: number;
}

const NONE: ReadonlyMap<string, string> = new Map<string, string>();

export class ReadCoalescer {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly generations = new Map<string, number>();
  /** Per group, what writes left in doubt since its lists were read, and what is still known (see {@link suspect}). */
  private readonly doubts = new Map<string, Map<string, string>>();
  /** Number of loads actually started (for tests and metrics). */
  loads = 0;

  constructor(opts: CoalesceOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 2000;
    this.now = opts.now ?? (() => Date.now());
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Returns the shared value for (`group`, `key`), loading it with `load` when absent or stale. */
  get<T>(group: string, key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) {
      this.loads += 1;
      return load();
    }
    // a whole list is only as good as its least certain entry: one in doubt is read again
    if (this.doubts.has(group)) this.invalidate(group);
    const k = `${group}\u0000${key}`;
    const gen = this.generations.get(group) ?? 0;
    const hit = this.entries.get(k) as Entry<T> | undefined;
    if (hit && hit.generation === gen && (hit.expiresAt === undefined || hit.expiresAt > this.now())) {
      return hit.promise;
    }
    this.loads += 1;
    const entry: Entry<T> = { promise: load(), generation: gen };
    this.entries.set(k, entry as Entry<unknown>);
    entry.promise.then(
      () => {
        entry.expiresAt = this.now() + this.ttlMs;
      },
      () => {
        if (this.entries.get(k) === entry) this.entries.delete(k);
      },
    );
    return entry.promise;
  }

  /**
   * The shared value of (`group`, `key`) when one is cached and current (settled or in flight), without loading:
   * lets a write tell from what the client already holds whether its effect on the lists is known exactly.
   */
  peek<T>(group: string, key: string): Promise<T> | undefined {
    if (!this.enabled) return undefined;
    const hit = this.entries.get(`${group}\u0000${key}`) as Entry<T> | undefined;
    const gen = this.generations.get(group) ?? 0;
    if (!hit || hit.generation !== gen) return undefined;
    if (hit.expiresAt !== undefined && hit.expiresAt <= this.now()) return undefined;
    return hit.promise;
  }

  /**
   * Applies a write whose effect is known exactly to every cached value of `group`, settled or still in flight,
   * instead of dropping them: the next reader sees the write without another request. `change` must return a
   * new value (readers may hold the old one). Entries whose key `applies` refuses (a list it cannot tell the
   * effect on) are dropped instead.
   */
  edit<T>(
    group: string,
    change: (value: T, key: string) => T,
    applies: (key: string) => boolean = () => true,
  ): void {
    const prefix = `${group}\u0000`;
    for (const [k, entry] of [...this.entries]) {
      if (!k.startsWith(prefix)) continue;
      const key = k.slice(prefix.length);
      if (!applies(key)) {
        this.entries.delete(k);
        continue;
      }
      const next = entry.promise.then((v) => change(v as T, key));
      // A load that fails fails its readers; the rejection is theirs to handle, not this chain's.
      next.catch(() => undefined);
      entry.promise = next;
    }
  }

  /**
   * Records that a write changed the entries of `group` that these tokens name (an id, a code, an owner's id)
   * in a way its reply does not show, and nothing else of the group; `known` is what the write does tell of
   * them (a fact its caller defines, such as "active"). The held lists stay: {@link get} reads the group again
   * before serving a whole list, and keyed lookups ({@link suspected}) read again only when the key or the
   * entry they would answer with is in doubt.
   */
  suspect(group: string, tokens: readonly string[], known = ""): void {
    if (tokens.length === 0) return;
    const doubts = this.doubts.get(group) ?? new Map<string, string>();
    for (const t of tokens) doubts.set(t.toLowerCase(), known);
    this.doubts.set(group, doubts);
  }

  /** The tokens of `group` in doubt since its lists were last dropped (lower case), each with what is known. */
  suspected(group: string): ReadonlyMap<string, string> {
    return this.doubts.get(group) ?? NONE;
  }

  /** Drops one entry (a write that concerns only it, such as one collection's files). */
  forget(group: string, key: string): void {
    this.entries.delete(`${group}\u0000${key}`);
  }

  /** Drops every entry of the given groups (entity types); in-flight reads are no longer shared. */
  invalidate(...groups: string[]): void {
    for (const g of groups) {
      this.doubts.delete(g);
      this.generations.set(g, (this.generations.get(g) ?? 0) + 1);
      for (const k of [...this.entries.keys()]) if (k.startsWith(`${g}\u0000`)) this.entries.delete(k);
    }
  }
}

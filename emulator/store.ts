/**
 * SQLite persistence: one table of JSON documents keyed by (kind, id), kept in
 * insertion order. WAL + synchronous=FULL so that a reply is only sent after
 * the event's transaction is durable (a kill -9 loses no acknowledged write).
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export type Kind =
  | "workspace"
  | "user"
  | "site"
  | "client"
  | "share"
  | "file"
  | "acl"
  | "job"
  | "task"
  | "delivery"
  | "queue"
  | "setting"
  | "log";

export interface Doc {
  id: string;
  [key: string]: unknown;
}

export class Store {
  private readonly db: Database.Database;
  private readonly stmts: {
    get: Database.Statement;
    list: Database.Statement;
    put: Database.Statement;
    del: Database.Statement;
    metaGet: Database.Statement;
    metaPut: Database.Statement;
  };

  constructor(dataDir?: string) {
    let file = ":memory:";
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      file = join(dataDir, "accsyn-local.sqlite3");
    }
    this.db = new Database(file);
    if (dataDir) this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS docs (kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, id));
       CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
    );
    this.stmts = {
      get: this.db.prepare("SELECT doc FROM docs WHERE kind = ? AND id = ?"),
      list: this.db.prepare("SELECT doc FROM docs WHERE kind = ? ORDER BY rowid"),
      put: this.db.prepare(
        "INSERT INTO docs (kind, id, doc) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc",
      ),
      del: this.db.prepare("DELETE FROM docs WHERE kind = ? AND id = ?"),
      metaGet: this.db.prepare("SELECT value FROM meta WHERE key = ?"),
      metaPut: this.db.prepare(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      ),
    };
  }

  get<T extends Doc>(kind: Kind, id: string): T | undefined {
    const row = this.stmts.get.get(kind, id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  list<T extends Doc>(kind: Kind): T[] {
    return (this.stmts.list.all(kind) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T);
  }

  put(kind: Kind, doc: Doc): void {
    this.stmts.put.run(kind, doc.id, JSON.stringify(doc));
  }

  delete(kind: Kind, id: string): void {
    this.stmts.del.run(kind, id);
  }

  getMeta(key: string): string | undefined {
    const row = this.stmts.metaGet.get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts.metaPut.run(key, value);
  }

  /** Run fn in one transaction: all of it is committed (durably) or none of it. */
  tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  wipe(): void {
    this.db.exec("DELETE FROM docs; DELETE FROM meta;");
  }

  close(): void {
    this.db.close();
  }
}

/** The files of a collection: list, add, remove. */
import { Entities, FindOptions } from "./entities";
import { isAccsynHttpError } from "./errors";
import { assertId } from "./ids";
import { CollectionFile, FileSchema, parseList } from "./schemas";
import { CallSpec, Session } from "./session";

/** The cache key of the list of every collection's files (a collection's own list is keyed by its id). */
const ALL_FILES = "*";

/** A write to one collection's files changes only that collection's file list, and the list of all files. */
function filesChanged(collectionId: string): CallSpec["cacheUpdate"] {
  return (_result, lists) => {
    lists.forget("File", collectionId);
    lists.forget("File", ALL_FILES);
  };
}

/** A file's collection, as a `file/find` reply names it (`parent`); undefined when it does not. */
function collectionOf(file: CollectionFile): string | undefined {
  return typeof file.parent === "string" ? file.parent.toLowerCase() : undefined;
}

/** File ids per `collection/file/remove` request (~10 KiB of URL). */
export const REMOVE_BATCH = 200;

export class Collections {
  /** Set once the service has shown it cannot list all collections' files in one request. */
  #perCollection = false;

  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /** Files of a collection. */
  async listFiles(collectionId: string, opts: Omit<FindOptions, "parent"> = {}): Promise<CollectionFile[]> {
    assertId(collectionId, "file/find");
    return this.entities.find("File", undefined, { ...opts, parent: collectionId });
  }

  /**
   * Files of a collection, shared by concurrent and repeated callers like the entity lists (see coalesce.ts):
   * kept until a write through this client changes that collection's files. One `file/find` without a parent
   * answers for every collection; when the service refuses that (400) or its reply does not name each file's
   * collection, each collection is asked on its own (`parent`, the documented form) from then on.
   */
  async listFilesCached(collectionId: string): Promise<CollectionFile[]> {
    assertId(collectionId, "file/find");
    const all = this.#perCollection ? undefined : await this.allFiles();
    if (all !== undefined) return all.filter((f) => collectionOf(f) === collectionId.toLowerCase());
    return this.s
      .cachedList("File", collectionId, () => this.listFiles(collectionId))
      .then((files) => files.slice());
  }

  /** Every file of every collection (inactive ones too), or undefined when the service cannot say. */
  private async allFiles(): Promise<CollectionFile[] | undefined> {
    try {
      const files = await this.s.cachedList("File", ALL_FILES, () =>
        this.entities.findAll("File", undefined, { inactive: true }),
      );
      if (files.every((f) => collectionOf(f) !== undefined)) return files;
    } catch (e) {
      if (!(isAccsynHttpError(e) && e.outcome === "refused" && e.status === 400)) throw e;
    }
    this.#perCollection = true;
    return undefined;
  }

  /**
   * Adds files (accsyn paths such as `share=theproject/ref/x.tif`) to a collection. Files have no natural key,
   * so this is not repeated after an ambiguous attempt.
   */
  async addFiles(collectionId: string, files: string[]): Promise<CollectionFile[]> {
    assertId(collectionId, "file/add");
    const r = await this.s.call({
      method: "POST",
      uri: "file/add",
      data: { files },
      id: collectionId,
      entityType: "Collection",
      entityId: collectionId,
      cacheUpdate: filesChanged(collectionId),
    });
    const list = Array.isArray(r) ? r : r === null || r === undefined || typeof r !== "object" ? [] : [r];
    return parseList(FileSchema, list, { entityType: "File", operation: "file/add", entityId: collectionId });
  }

  /**
   * Removes files (by file id) from a collection. False when none of them was there. Sent in batches of
   * {@link REMOVE_BATCH} ids: a DELETE carries the whole event in its URL, and servers limit URL length
   * (Node's default is 16 KiB of headers).
   */
  async removeFiles(collectionId: string, fileIds: string[]): Promise<boolean> {
    assertId(collectionId, "collection/file/remove");
    let any = false;
    for (let i = 0; i < fileIds.length; i += REMOVE_BATCH) {
      const r = await this.s.call({
        method: "DELETE",
        uri: "collection/file/remove",
        data: { files: fileIds.slice(i, i + REMOVE_BATCH) },
        id: collectionId,
        entityType: "Collection",
        entityId: collectionId,
        cacheUpdate: filesChanged(collectionId),
      });
      any = any || r !== false;
    }
    return any;
  }
}

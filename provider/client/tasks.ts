/** The tasks of a job (accsyn's Transfer): find, add, update. Jobs themselves are entities (create/update). */
import { Entities, FindOptions } from "./entities";
import { assertId } from "./ids";
import { Query } from "./query";
import { Task, TaskSchema, parseList } from "./schemas";
import { Session } from "./session";

export interface TaskUpdate {
  id?: string;
  uri?: string;
  status?: string;
  priority?: number;
  metadata?: Record<string, unknown>;
}

export type TaskSpec = string | { source: string; destination?: string };

export class Tasks {
  constructor(
    private readonly s: Session,
    private readonly entities: Entities,
  ) {}

  /** Tasks of a job. */
  async findTasks(jobId: string, where?: Query, opts: Omit<FindOptions, "parent"> = {}): Promise<Task[]> {
    assertId(jobId, "task/find");
    return this.entities.find("Task", where, { ...opts, parent: jobId });
  }

  /**
   * Adds tasks to a job. `allowDuplicates: false` rejects a task whose source and destination already exist.
   * Tasks have no natural key, so this is not repeated after an ambiguous attempt. Returns the created tasks when
   * the server lists them (it may answer just `{"success": true}`).
   */
  async createTasks(
    jobId: string,
    tasks: TaskSpec[],
    opts: { allowDuplicates?: boolean } = {},
  ): Promise<Task[]> {
    assertId(jobId, "task/create");
    const data: Record<string, unknown> = { tasks };
    if (opts.allowDuplicates !== undefined) data.allow_duplicates = opts.allowDuplicates;
    const r = await this.s.call({
      method: "POST",
      uri: "task/create",
      data,
      id: jobId,
      entityType: "Transfer",
      entityId: jobId,
    });
    const list = Array.isArray(r) ? r : typeof r === "object" && r !== null && "id" in r ? [r] : [];
    return parseList(TaskSchema, list, { entityType: "Task", operation: "task/create", entityId: jobId });
  }

  /** Updates status/priority/metadata of tasks of a job (by task `id` or `uri`). */
  async updateTasks(jobId: string, updates: TaskUpdate[]): Promise<Task[]> {
    assertId(jobId, "task/edit");
    const r = await this.s.call({
      method: "PUT",
      uri: "task/edit",
      data: updates,
      id: jobId,
      entityType: "Transfer",
      entityId: jobId,
    });
    return parseList(TaskSchema, Array.isArray(r) ? r : [], {
      entityType: "Task",
      operation: "task/edit",
      entityId: jobId,
    });
  }
}

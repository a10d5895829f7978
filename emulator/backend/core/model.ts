/** Document shapes as stored. Keys starting with `_` are internal and never sent on the wire. */
import type { Doc } from "../../store";

export type Role = "admin" | "employee" | "standard" | "support";
export type ShareType = "volume" | "folder" | "home" | "collection";
export const SHARE_TYPES: readonly ShareType[] = ["volume", "folder", "home", "collection"];

export interface Stamped extends Doc {
  created: string;
  creator: string;
  modified: string;
  modifier: string;
}

export interface WorkspaceDoc extends Doc {
  code: string;
  name: string;
  created: string;
}

export interface UserDoc extends Stamped {
  code: string;
  email: string;
  name: string;
  role: Role;
  status: "enabled" | "disabled";
  inactive: boolean;
  _apiKey: string;
}

export interface SiteDoc extends Stamped {
  code: string;
  name: string;
  main: boolean;
}

export interface ClientDoc extends Stamped {
  code: string;
  hostname: string;
  os: "linux" | "windows" | "mac";
  site: string;
  type: number;
  status: string;
  user: string;
  /** Server roles (`storage`, ...); absent on documents written before roles existed. */
  roles?: string[];
}

export interface ShareDoc extends Stamped {
  type: ShareType;
  code: string;
  name: string;
  description: string;
  email: string;
  metadata: Record<string, unknown>;
  queue: string | null;
  inactive: boolean;
  /** Writable status: enabled | disabled; the wire status is derived. */
  _status: "enabled" | "disabled";
  /** Deleted shares stay for audit; only `archived=true` finds see them. */
  _deleted?: boolean;
  /** Set on folders/homes deactivated together with their volume (activate restores them). */
  _archivedWith?: string;
  // volume
  paths?: Record<string, string>;
  server?: string | null;
  siteservers?: string[];
  default?: boolean;
  licensed?: boolean;
  // folder, home
  parent?: string;
  path?: string;
  // home
  user?: string;
}

export interface FileDoc extends Doc {
  parent: string;
  path: string;
  share: string;
  created: string;
  creator: string;
}

export interface AclRule {
  path: string;
  read: boolean;
  write: boolean;
}

/** One ACL per (user, share, path): accsyn's model (wire §6, corrected). */
export interface AclDoc extends Stamped, AclRule {
  entity: string;
  target: string;
  acknowledged: boolean;
  token: string;
  description: string;
  notify: boolean;
}

export const JOB_FINISHED = ["done", "aborted"];

export interface JobDoc extends Stamped {
  type: "transfer";
  code: string;
  name: string;
  status: string;
  source: string;
  destination: string;
  source_path: string;
  destination_path: string;
  progress: number;
  size: number;
  speed: number;
  etr: string;
  finished: string | null;
  metadata: Record<string, unknown>;
  priority: number;
  user: string;
  parent: string | null;
  _shares: string[];
  _deleted?: boolean;
  _seq: number;
  _taskSeq: number;
  /** The queue (id) the job runs in; absent on documents written before queues existed. */
  queue?: string;
}

export interface TaskParty {
  path: string;
  client?: string;
  user?: string;
  v?: string;
  s?: string;
  site?: string;
}

export interface TaskDoc extends Doc {
  job: string;
  uri: string;
  status: string;
  priority: number;
  size: number;
  time: number;
  created: string;
  finished: string | null;
  metadata: Record<string, unknown>;
  source: TaskParty;
  destination: TaskParty;
}

/**
 * Decides what the exported program declares: one resource per live volume, site-server
 * assignment, folder, home and collection, and one Grant per user and share (the set of that
 * user's ACLs on the share, as the Grant kind models it). Every resource adopts; references to
 * exported resources are {@link Ref}s; only what a user would declare is kept.
 */
import { collectionKind, folderKind, grantKind, homeKind, volumeKind, volumeServerKind } from "../kinds";
import { type AnyKind, KINDS } from "../kinds/registry";
import { type ShareType, writableStatus } from "../vocabulary";
import type { ExportCounts, ExportPlan, ExportResource, Value } from "./model";
import { Ref } from "./model";
import { assignNames, compare, slug } from "./names";
import { declared, refusal } from "./props";
import { type Scope, scopeOf } from "./scope";
import type { LiveAcl, LiveEntity, Snapshot } from "./snapshot";
import { MARKER_KEY } from "../kinds/marker";

export interface PlanOptions {
  /** Export one volume and what lies beneath it. */
  volume?: string;
  /** Declare inactive entities too (`up` re-activates them). */
  includeInactive?: boolean;
}

/** The key the provider reserves in a share's `metadata` for its creation marker (kinds/marker.ts). */
export const RESERVED_METADATA_KEY = MARKER_KEY;

const INACTIVE_NOTE = "inactive in accsyn: `up` re-activates it";

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The share fields every share kind has, as a user would declare them (after the kind's own). */
function common(e: LiveEntity): Record<string, Value | undefined> {
  const metadata =
    e.metadata !== null && typeof e.metadata === "object" && !Array.isArray(e.metadata)
      ? Object.fromEntries(
          Object.entries(e.metadata as Record<string, Value>).filter(([k]) => k !== RESERVED_METADATA_KEY),
        )
      : {};
  const status = writableStatus(e.status);
  return {
    description: text(e.description),
    email: text(e.email),
    metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
    queue: text(e.queue),
    // accsyn creates shares enabled; only a disabled share says so.
    status: status === "disabled" ? "disabled" : undefined,
  };
}

function localPart(email: string): string {
  return slug(email.split("@")[0] ?? email);
}

class Builder {
  readonly out: ExportResource[] = [];
  readonly refused: string[] = [];
  skippedInactive = 0;
  outsideSubset = 0;
  private readonly byShareId = new Map<string, ExportResource>();
  private readonly users: Map<string, LiveEntity>;
  private readonly servers: Map<string, LiveEntity>;

  constructor(
    private readonly snap: Snapshot,
    private readonly scope: Scope,
    private readonly includeInactive: boolean,
  ) {
    this.users = new Map(snap.users.map((u) => [u.id, u]));
    this.servers = new Map(snap.servers.map((s) => [s.id, s]));
  }

  /** Whether an entity goes in: not deleted, in the subset, and active unless --include-inactive. */
  private wanted(type: ShareType, e: LiveEntity): boolean {
    // Deleted shares stay in accsyn's archive for audit; for a program they are gone.
    if (e.archived === true) return false;
    if (!this.scope.has(type, e.id)) {
      this.outsideSubset++;
      return false;
    }
    if (e.inactive === true && !this.includeInactive) {
      this.skippedInactive++;
      return false;
    }
    return true;
  }

  private add(
    kind: AnyKind,
    what: string,
    init: Omit<ExportResource, "name" | "ident" | "props"> & { values: Record<string, Value | undefined> },
  ): ExportResource | undefined {
    const props = declared(kind, { ...init.values, adopt: true });
    const why = refusal(kind, props);
    if (why !== undefined) {
      this.refused.push(`${kind.name} ${what} (id ${init.id}): ${why}`);
      return undefined;
    }
    const r: ExportResource = {
      kind: kind.name,
      id: init.id,
      props,
      candidates: init.candidates,
      ...(init.note !== undefined ? { note: init.note } : {}),
      name: "",
      ident: "",
    };
    this.out.push(r);
    return r;
  }

  private serverName(id: string): string {
    const s = this.servers.get(id);
    return text(s?.code) ?? id;
  }

  /** A reference to the exported volume, else its code (the field takes either). */
  private volumeRef(id: unknown): Value | undefined {
    if (typeof id !== "string") return undefined;
    const r = this.byShareId.get(id);
    if (r !== undefined) return new Ref(r);
    return text(this.snap.shares.Volume.find((v) => v.id === id)?.code) ?? id;
  }

  private note(e: LiveEntity): { note?: string } {
    return e.inactive === true ? { note: INACTIVE_NOTE } : {};
  }

  volumes(): void {
    for (const v of this.snap.shares.Volume) {
      if (!this.wanted("Volume", v)) continue;
      const main = this.snap.assignments.get(v.id)?.find((a) => !a.siteServer);
      const paths = Object.fromEntries(
        Object.entries((v.paths ?? {}) as Record<string, unknown>)
          .filter((p): p is [string, string] => text(p[1]) !== undefined)
          .sort(([a], [b]) => compare(a, b)),
      );
      const r = this.add(volumeKind, `'${String(v.code)}'`, {
        kind: "Volume",
        id: v.id,
        ...this.note(v),
        candidates: () => [slug(String(v.code))],
        values: {
          name: text(v.name),
          code: text(v.code),
          paths,
          server: main !== undefined ? this.serverName(main.serverId) : undefined,
          ...common(v),
        },
      });
      if (r !== undefined) this.byShareId.set(v.id, r);
    }
  }

  /** Site servers; the main-site server is the Volume's own `server`. */
  volumeServers(): void {
    for (const [volumeId, list] of this.snap.assignments) {
      const volume = this.byShareId.get(volumeId);
      if (volume === undefined) continue;
      for (const a of list.filter((x) => x.siteServer)) {
        const server = this.serverName(a.serverId);
        this.add(volumeServerKind, `'${volume.props.code as string}' on '${server}'`, {
          kind: "VolumeServer",
          id: `${volumeId}/${a.serverId}`,
          candidates: () => [`${volume.name}-${slug(server)}`],
          values: { volume: new Ref(volume), server },
        });
      }
    }
  }

  folders(): void {
    for (const f of this.snap.shares.Folder) {
      if (!this.wanted("Folder", f)) continue;
      const r = this.add(folderKind, `'${String(f.code)}'`, {
        kind: "Folder",
        id: f.id,
        ...this.note(f),
        candidates: () => [slug(String(f.code))],
        values: {
          name: text(f.name),
          code: text(f.code),
          volume: this.volumeRef(f.parent),
          path: text(f.path),
          ...common(f),
        },
      });
      if (r !== undefined) this.byShareId.set(f.id, r);
    }
  }

  homes(): void {
    const defaultVolume = this.snap.shares.Volume.find((v) => v.default === true)?.id;
    for (const h of this.snap.shares.Home) {
      if (!this.wanted("Home", h)) continue;
      const email = text(this.users.get(String(h.user))?.code);
      if (email === undefined) {
        this.refused.push(
          `Home '${String(h.code)}' (id ${h.id}): its user ${String(h.user)} is not in the workspace`,
        );
        continue;
      }
      const r = this.add(homeKind, `of '${email}'`, {
        kind: "Home",
        id: h.id,
        ...this.note(h),
        candidates: () => [`home-${localPart(email)}`, `home-${slug(email)}`],
        values: {
          user: email,
          // Left out on the default volume: that is where accsyn puts a home it is not told about.
          volume: h.parent === defaultVolume ? undefined : this.volumeRef(h.parent),
          ...common(h),
        },
      });
      if (r !== undefined) this.byShareId.set(h.id, r);
    }
  }

  collections(): void {
    for (const c of this.snap.shares.Collection) {
      if (!this.wanted("Collection", c)) continue;
      const files = [...(this.snap.files.get(c.id) ?? [])].sort(compare);
      const r = this.add(collectionKind, `'${String(c.code)}'`, {
        kind: "Collection",
        id: c.id,
        ...this.note(c),
        candidates: () => [slug(String(c.code))],
        values: { name: text(c.name), code: text(c.code), files, ...common(c) },
      });
      if (r !== undefined) this.byShareId.set(c.id, r);
    }
  }

  /** One Grant per user and share: that user's ACLs on the share, one rule per path. */
  grants(): void {
    const pairs = new Map<string, LiveAcl[]>();
    for (const a of this.snap.acls) {
      const key = `${a.userId}/${a.shareId}`;
      pairs.set(key, [...(pairs.get(key) ?? []), a]);
    }
    for (const [id, acls] of pairs) {
      const first = acls[0] as LiveAcl;
      const share = this.byShareId.get(first.shareId);
      // The share is not exported (outside the subset, inactive, or refused): its grants go with it.
      if (share === undefined) continue;
      const user = this.users.get(first.userId);
      const email = text(user?.code);
      if (user === undefined || email === undefined) {
        this.refused.push(
          `Grant on ${share.kind} '${share.id}' (id ${id}): user ${first.userId} is not in the workspace`,
        );
        continue;
      }
      if (user.inactive === true) {
        // A Grant cannot declare a deactivated user without bringing the user back (`invite`).
        if (this.includeInactive)
          this.refused.push(`Grant of '${email}' on ${share.kind} ${share.id}: the user is deactivated`);
        else this.skippedInactive++;
        continue;
      }
      const rules = [...acls]
        .sort((a, b) => compare(a.path, b.path))
        .map((a) => ({
          path: a.path,
          ...(a.read ? { read: true } : {}),
          ...(a.write ? { write: true } : {}),
        }));
      this.add(grantKind, `of '${email}' on ${share.kind} ${share.id}`, {
        kind: "Grant",
        id,
        candidates: (self) => {
          const target = (self.props.share as Ref).target.name;
          return [`${target}-${localPart(email)}`, `${target}-${slug(email)}`];
        },
        values: { user: email, share: new Ref(share), rules },
      });
    }
  }
}

/** The resources an export declares, named and in output order (kinds in registry order, then name). */
export function planExport(snap: Snapshot, opts: PlanOptions = {}): ExportPlan {
  const scope = scopeOf(snap, opts.volume);
  const b = new Builder(snap, scope, opts.includeInactive === true);
  b.volumes();
  b.volumeServers();
  b.folders();
  b.homes();
  b.collections();
  b.grants();
  const order = KINDS.map((k) => k.name as string);
  const groups = order.map((kind) => b.out.filter((r) => r.kind === kind));
  assignNames(groups);
  const resources = groups.flatMap((g) => [...g].sort((x, y) => compare(x.name, y.name)));
  const perKind: Partial<Record<ExportResource["kind"], number>> = {};
  for (const r of resources) perKind[r.kind] = (perKind[r.kind] ?? 0) + 1;
  const counts: ExportCounts = {
    resources: perKind,
    skippedInactive: b.skippedInactive,
    outsideSubset: b.outsideSubset,
    refused: b.refused,
  };
  return {
    workspace: snap.workspace,
    resources,
    counts,
    ...(scope.volume !== undefined ? { volume: scope.volume } : {}),
    includeInactive: opts.includeInactive === true,
  };
}

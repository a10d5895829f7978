import type { AccessChange, Rights } from "./access";
import type { Drift } from "./drift";
import type { FieldChange, ResourceChange } from "./model";
import type { Report } from "./report";
import type { Risk } from "./risks";
import type { UnmanagedAccess } from "./unmanaged";
import { sameValue as same } from "../runtime/diff";
import { show } from "./values";

/** GitHub refuses a comment longer than this (characters). */
export const COMMENT_LIMIT = 65_536;
/** Kept free while adding detail, for the lines that summarise what did not fit and the closing tags. */
const RESERVE = 5_000;

const OP_WORD = {
  create: "to create",
  update: "to update",
  replace: "to replace",
  delete: "to delete",
  same: "unchanged",
};
const OP_SIGN = { create: "+", update: "~", replace: "+-", delete: "-", same: " " };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function verdict(r: Report): string {
  const changed = r.counts.create + r.counts.update + r.counts.replace + r.counts.delete;
  const counts = (["create", "update", "replace", "delete", "same"] as const)
    .filter((op) => r.counts[op] > 0)
    .map((op) => `${r.counts[op]} ${OP_WORD[op]}`)
    .join(" · ");
  const users = new Set([...r.access.changes.map((c) => c.user), ...r.access.invited.map((i) => i.user)]);
  const flags = [
    r.risks.length > 0 ? plural(r.risks.length, "risky change") : "",
    users.size > 0 ? `access changes for ${plural(users.size, "user")}` : "",
    r.drift.length > 0 ? `drift in ${plural(r.drift.length, "resource")}` : "",
    r.unmanaged.length > 0 ? `${plural(r.unmanaged.length, "ACL")} outside the code` : "",
  ].filter(Boolean);
  const head =
    changed > 0
      ? `**${plural(changed, "resource")} change**`
      : r.unmanaged.length > 0
        ? "**No changes planned**, but the shares hold access that no Grant declares"
        : "✅ **No changes**: the live workspace matches the code.";
  const lines = [
    `### accsyn plan · stack \`${r.stack || "?"}\``,
    "",
    `${head}${flags.length ? ` (${flags.join(", ")})` : ""}`,
  ];
  if (counts) lines.push("", counts);
  // A stack with nothing applied yet has nothing to refresh.
  if (!r.refreshed && r.plan.resources.some((x) => x.applied !== undefined)) {
    lines.push(
      "",
      "> ⚠️ This preview ran without `--refresh`: before-values are the last applied state, so drift shows as an update with no field named. `accsyn-plan` without `--from` refreshes.",
    );
  }
  return lines.join("\n") + "\n";
}

const RISK_WORD: Record<Risk["kind"], string> = {
  delete: "🗑️ delete",
  replace: "♻️ replace",
  deactivate: "⏸️ deactivate",
  adopt: "🧲 adopt",
  restore: "↩️ create or restore",
  retain: "📦 retain",
};

function riskLine(k: Risk): string {
  const names = k.resources.map((n) => `\`${n}\``);
  const shown =
    names.length > 12 ? `${names.slice(0, 12).join(", ")} and ${names.length - 12} more` : names.join(", ");
  return `- **${RISK_WORD[k.kind]}** ${k.kindName} ${shown}: ${k.reason}.\n`;
}

function rights(r: Rights | undefined): string {
  if (!r || (!r.read && !r.write)) return "none";
  return [r.read ? "read" : "", r.write ? "write" : ""].filter(Boolean).join(" + ");
}

const VERDICT_MARK: Record<AccessChange["verdict"], string> = {
  gained: "🟢 gained",
  widened: "🟠 widened",
  changed: "🟠 changed",
  lost: "🔴 lost",
  narrowed: "🔵 narrowed",
  "re-granted": "⚪ re-granted",
};

function accessBlock(user: string, changes: AccessChange[], invited: string | undefined): string {
  const rows = changes.map((c) => {
    const path = c.fromPath ? `\`${c.fromPath}\` → \`${c.path}\`` : `\`${c.path}\``;
    const note = c.note ? ` (${c.note})` : "";
    return `| ${VERDICT_MARK[c.verdict]} | ${c.share} | ${path} | ${rights(c.before)} → ${rights(c.after)} | \`${c.resource}\`${note} |`;
  });
  const inv = invited
    ? ` · **new to this stack**: accsyn invites this e-mail if no user has it (\`${invited}\`)`
    : "";
  const table = rows.length
    ? ["| access | share | path | rights | by |", "|---|---|---|---|---|", ...rows].join("\n") + "\n"
    : "";
  return `**${user}**${inv}\n\n${table}\n`;
}

const DRIFT_HEAD = "| resource | field | live now | `up` writes |\n|---|---|---|---|\n";

function driftRows(d: Drift): string {
  return d.fields
    .flatMap(flatten)
    .map(
      (f) => `| ${d.kindName} \`${d.resource}\` | \`${f.field}\` | ${show(f.before)} | ${show(f.after)} |\n`,
    )
    .join("");
}

/** An object field whose keys changed reads better key by key (`paths.linux`); lists stay whole. */
function flatten(f: FieldChange): FieldChange[] {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(f.before) || !isObj(f.after)) return [f];
  const b = f.before;
  const a = f.after;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => !same(b[k], a[k]))
    .sort()
    .map((k) => ({ ...f, field: `${f.field}.${k}`, before: b[k], after: a[k] }));
}

function fieldNote(f: FieldChange, op: ResourceChange["op"]): string {
  const notes: string[] = [];
  if (f.drift) notes.push("**drift**: changed outside Pulumi, up reverts it");
  if (op !== "create") {
    if (f.meta?.change === "replace") notes.push("replaces");
    if (f.meta?.change === "provider") notes.push("provider setting, state only");
  }
  if (f.meta?.change === "write-only") notes.push("sent on write, never compared");
  return notes.join("; ");
}

/** The resource a reference field points at, by name: ids alone tell a reviewer nothing. */
function refLabel(
  r: ResourceChange,
  field: string,
  value: unknown,
  refs: ReadonlyMap<string, ResourceChange>,
  side: "before" | "after",
): string {
  if (!r.kind?.fields[field]?.ref || value === undefined) return "";
  // An id the plan knows names its resource; an unknown (not yet created) one, the dependency does.
  const byId = [...refs.values()].find((x) => x.id !== undefined && x.id === value);
  const urn = r.refs[field];
  const target = byId ?? (side === "after" && urn !== undefined ? refs.get(urn) : undefined);
  return target ? ` (${target.kindName} \`${target.name}\`)` : "";
}

function resourceBlock(r: ResourceChange, refs: ReadonlyMap<string, ResourceChange>): string {
  const id = r.id ? (r.goneOutside ? ` (was id ${r.id}, gone)` : ` (id ${r.id})`) : "";
  const title = `**${OP_SIGN[r.op]} ${r.op}** ${r.kindName} \`${r.name}\`${id}`;
  let rows: string[];
  if (r.op === "delete") {
    const before = r.live ?? r.applied ?? {};
    rows = Object.entries(before)
      // What the code declared; computed outputs (ids of ACL rows and the like) say nothing more.
      .filter(([k, v]) => v !== undefined && v !== null && v !== "" && (!r.kind || k in r.kind.fields))
      .map(([k, v]) => `| \`${k}\` | ${show(v)}${refLabel(r, k, v, refs, "before")} | _removed_ | |`);
  } else {
    rows = r.fields
      .flatMap((f) => (r.op === "create" ? [f] : flatten(f)))
      .map((f) => {
        const before = r.op === "create" ? "" : show(f.before);
        const label = (v: unknown, side: "before" | "after") => refLabel(r, f.field, v, refs, side);
        return `| \`${f.field}\` | ${before}${before ? label(f.before, "before") : ""} | ${show(f.after)}${label(f.after, "after")} | ${fieldNote(f, r.op)} |`;
      });
  }
  const notes = r.notes.map((n) => `> ${n.replace(/\n+/g, " ")}\n`).join("");
  if (rows.length === 0) {
    const why = r.goneOutside
      ? "gone from the live workspace: created again as declared"
      : "no field differs in the preview (see Drift)";
    return `${title}: ${why}\n\n${notes ? `${notes}\n` : ""}`;
  }
  return `${title}\n\n${notes ? `${notes}\n` : ""}| field | before | after | |\n|---|---|---|---|\n${rows.join("\n")}\n\n`;
}

/** Adds blocks while they fit in `budget`, then one line naming how many (and which) were left out. */
function fit(blocks: { text: string; label: string }[], budget: number, what: string): string {
  let out = "";
  let i = 0;
  for (; i < blocks.length; i++) {
    if (out.length + blocks[i].text.length > budget) break;
    out += blocks[i].text;
  }
  const rest = blocks.slice(i);
  if (rest.length === 0) return out;
  const names = rest.map((b) => b.label);
  let list = names.join(", ");
  if (list.length > 1_000) list = `${list.slice(0, 1_000).replace(/,[^,]*$/, "")}, …`;
  return `${out}\n_…and ${plural(rest.length, what)} more, left out to stay under GitHub's comment limit (run \`accsyn-plan --json\` for all): ${list}_\n\n`;
}

/**
 * The review as Markdown for a pull-request comment, under GitHub's limit whatever the plan's size:
 * the verdict, the risky changes and the access review always come first; drift and the
 * per-resource detail take what room is left, folded in <details>; blocks are never cut.
 */
export function renderMarkdown(report: Report, limit = COMMENT_LIMIT): string {
  let md = verdict(report);
  const room = () => limit - RESERVE - md.length;
  if (report.risks.length > 0) {
    md += "\n#### Risky changes\n\n";
    md += fit(
      report.risks.map((k) => ({ text: riskLine(k), label: k.resources.join(", ") })),
      room(),
      "risky change",
    );
  }
  const users = [
    ...new Set([...report.access.changes.map((c) => c.user), ...report.access.invited.map((i) => i.user)]),
  ];
  if (users.length > 0) {
    md += "\n#### Access review\n\n";
    const blocks = users.map((u) => ({
      text: accessBlock(
        u,
        report.access.changes.filter((c) => c.user === u),
        report.access.invited.find((i) => i.user === u)?.resource,
      ),
      label: u,
    }));
    md += fit(blocks, room(), "user");
  }
  if (report.unmanaged.length > 0) {
    md += "\n#### Access granted outside the code\n\n";
    md +=
      "ACLs on shares this stack manages that no Grant declares. Pulumi cannot see them and `up` leaves them; ";
    md += "declare a Grant for each (adopt it) or revoke it in accsyn.\n\n";
    md += "| user | share | path | rights |\n|---|---|---|---|\n";
    const row = (u: UnmanagedAccess) => `| ${u.user} | ${u.share} | \`${u.path}\` | ${rights(u.rights)} |\n`;
    md += fit(
      report.unmanaged.map((u) => ({ text: row(u), label: u.user })),
      room(),
      "ACL",
    );
    md += "\n";
  }
  if (report.drift.length > 0) {
    md += "\n#### Drift: changed outside Pulumi, `up` reverts it\n\n";
    const fields = report.drift.filter((d) => d.fields.length > 0);
    const notes = report.drift.filter((d) => d.fields.length === 0);
    if (fields.length > 0) {
      // One table: its rows are the blocks, and the header counts against the room too.
      md += DRIFT_HEAD;
      md += fit(
        fields.map((d) => ({ text: driftRows(d), label: d.resource })),
        room(),
        "drifted resource",
      );
      md += "\n";
    }
    const line = (d: Drift) => `- ${d.kindName} \`${d.resource}\`: ${d.note ?? "changed outside Pulumi"}\n`;
    md += fit(
      notes.map((d) => ({ text: line(d), label: d.resource })),
      room(),
      "drifted resource",
    );
  }
  const changed = report.plan.resources.filter((r) => r.op !== "same");
  if (changed.length > 0) {
    md += `\n<details><summary>Changes by resource (${changed.length})</summary>\n\n`;
    const refs = new Map(report.plan.resources.map((r) => [r.urn, r]));
    md += fit(
      changed.map((r) => ({ text: resourceBlock(r, refs), label: r.name })),
      room(),
      "resource",
    );
    md += "</details>\n";
  }
  return md;
}

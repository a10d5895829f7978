/**
 * The README's per-resource summary table, between the `<!-- resources:start -->` and
 * `<!-- resources:end -->` markers: generated from the kinds' field metadata, so what updates in
 * place, what replaces and what destroy does are stated once, in provider/kinds.
 */
import type { Kind } from "../kinds/kind";
import { KINDS } from "../kinds/registry";
import { deletionPolicies, naturalKey } from "./reference";

export const START = "<!-- resources:start -->";
export const END = "<!-- resources:end -->";

const code = (names: readonly string[]): string =>
  names.length > 0 ? names.map((n) => `\`${n}\``).join(", ") : "nothing";

/** The table's Markdown (without the markers). */
export function renderResourceTable(kinds: readonly Kind[] = KINDS): string {
  const rows = kinds.map((k) => {
    const inPlace = k.managed.filter((f) => !k.replaceOn.includes(f));
    const destroy = deletionPolicies(k) || "removes it";
    return `| [\`${k.name}\`](docs/reference.md#${k.name.toLowerCase()}) | ${naturalKey(k)} | ${code(inPlace)} | ${code(k.replaceOn)} | ${destroy} |`;
  });
  return [
    "<!-- Generated from provider/kinds by provider/docs/readme.ts (`npm run docs`); do not edit by hand. -->",
    "",
    "| resource | natural key | a change updates in place | a change replaces | destroy (`deletionPolicy`) |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** `readme` with the text between the markers replaced by the table; throws when a marker is missing. */
export function withResourceTable(readme: string, table = renderResourceTable()): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no '${START}' ... '${END}' markers`);
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

/**
 * Regenerates every generated document from the kinds (`npm run docs`): docs/reference.md, the
 * README's per-resource table and the YAML workspace JSON Schema. Tests fail when any is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withResourceTable } from "./readme";
import { renderReference } from "./reference";
import { renderWorkspaceSchema } from "./schema";

/** Each generated file (relative to the repository root) and its expected content. */
export async function generated(root: string): Promise<{ file: string; expected: string }[]> {
  const readme = path.join(root, "README.md");
  return [
    { file: "docs/reference.md", expected: renderReference() },
    { file: "README.md", expected: withResourceTable(fs.readFileSync(readme, "utf8")) },
    { file: "provider/schema/workspace.schema.json", expected: await renderWorkspaceSchema() },
  ];
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, "..", "..", "..");
  for (const { file, expected } of await generated(root)) {
    const target = path.join(root, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const before = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (before !== expected) fs.writeFileSync(target, expected);
    console.log(`${before === expected ? "unchanged" : "written  "} ${file}`);
  }
}

if (require.main === module) void main();

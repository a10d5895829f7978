/**
 * The files of a complete Pulumi project around an exported program: `Pulumi.yaml` (refreshing
 * before every preview and up), `package.json`, `tsconfig.json`, and either the TypeScript program
 * itself or `workspace.yaml` with an `index.ts` that loads it through `pulumi-accsyn/yaml`.
 */
import { emitTypeScript } from "./emit-ts";
import { emitYaml } from "./emit-yaml";
import type { ExportPlan } from "./model";
import { slug } from "./names";

export type ExportFormat = "ts" | "yaml";

/** In the Pulumi.yaml description: marks a project directory as one accsyn-export wrote. */
export const OWN_PROJECT = "written by accsyn-export";

interface OwnPackage {
  version: string;
  peerDependencies?: Record<string, string>;
}

// The package's own manifest, one level above dist/ both in the repository and when installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const own = require("../../package.json") as OwnPackage;

const LOADER = `/**
 * Declares the accsyn workspace that workspace.yaml describes (written by accsyn-export), through
 * the same resource classes and checks as a TypeScript program. A mistake in the file fails the
 * preview before anything is declared, naming each with its line and column.
 */
import * as path from "node:path";
import { loadWorkspace } from "pulumi-accsyn/yaml";

const resources = loadWorkspace(path.join(__dirname, "workspace.yaml"));

/** The accsyn id of every resource, by resource name. */
export const ids = Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, r.id]));
`;

function projectName(plan: ExportPlan): string {
  return `accsyn-${slug(plan.workspace) || "workspace"}${plan.volume !== undefined ? `-${slug(plan.volume)}` : ""}`;
}

function pulumiYaml(plan: ExportPlan, format: ExportFormat): string {
  const what = format === "yaml" ? "declared in workspace.yaml" : "declared in TypeScript";
  return [
    `name: ${projectName(plan)}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    typescript: true",
    "main: index.ts",
    `description: accsyn workspace "${plan.workspace}" ${what} (${OWN_PROJECT})`,
    "# Read the live workspace before every preview and up, so drift shows field by field.",
    "options:",
    "  refresh: always",
    "",
  ].join("\n");
}

function packageJson(plan: ExportPlan): string {
  const pkg = {
    name: projectName(plan),
    private: true,
    main: "index.ts",
    dependencies: {
      "@pulumi/pulumi": own.peerDependencies?.["@pulumi/pulumi"] ?? "^3.139.0",
      "pulumi-accsyn": `^${own.version}`,
    },
    devDependencies: { "@types/node": "^20.0.0", "ts-node": "^10.9.2", typescript: "^5.0.0" },
  };
  return JSON.stringify(pkg, null, 2) + "\n";
}

const TSCONFIG =
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "commonjs",
        moduleResolution: "node",
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        outDir: "bin",
      },
      files: ["index.ts"],
    },
    null,
    2,
  ) + "\n";

/** File name → content, for `--out DIR`. */
export function projectFiles(plan: ExportPlan, format: ExportFormat): Record<string, string> {
  const common = {
    "Pulumi.yaml": pulumiYaml(plan, format),
    "package.json": packageJson(plan),
    "tsconfig.json": TSCONFIG,
  };
  return format === "yaml"
    ? { ...common, "index.ts": LOADER, "workspace.yaml": emitYaml(plan) }
    : { ...common, "index.ts": emitTypeScript(plan) };
}

/** The program alone, for stdout. */
export function programText(plan: ExportPlan, format: ExportFormat): string {
  return format === "yaml" ? emitYaml(plan) : emitTypeScript(plan);
}

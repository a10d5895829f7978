/**
 * Declares the accsyn workspace that workspace.yaml describes, through the same resource classes
 * (and checks) as a TypeScript program. A mistake in the file fails the preview before anything
 * is declared, naming each with its line and column. `pulumi config set file other.yaml` reads
 * another file (relative to this directory).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadWorkspace } from "pulumi-accsyn/yaml";

const file = path.resolve(__dirname, new pulumi.Config().get("file") ?? "workspace.yaml");
const resources = loadWorkspace(file);

/** The accsyn id of every resource, by resource name. */
export const ids = Object.fromEntries(Object.entries(resources).map(([name, r]) => [name, r.id]));

#!/usr/bin/env node
import { planMain, runCommand } from "./cli";

const USAGE = `usage: accsyn-drift [--stack S] [--cwd DIR] [--json] [--from FILE]

A read-only drift check of a stack (\`pulumi preview --refresh --json\`, which writes no state):
fields changed outside Pulumi that \`up\` would revert, entities deactivated or deleted by hand, and
access granted outside the code (ACLs on the stack's shares that no Grant declares, read with the
stack's accsyn config or the ACCSYN_* environment). Markdown on stdout, or --json.
Exit codes: 0 no drift, 2 drift, 1 error. The same as \`accsyn-plan --check-drift\`.`;

async function driftMain(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  return planMain(["--check-drift", ...argv]);
}

runCommand(driftMain, USAGE);

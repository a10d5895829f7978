#!/usr/bin/env bash
# Installs what is missing, and nothing else: npm dependencies from the lockfile, the compiled
# TypeScript, and the Pulumi CLI built from source (cached outside the repo). Safe to rerun.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[install] %s\n' "$*" >&2; }
stamp=node_modules/.package-lock.stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  log "npm ci (lockfile changed or node_modules missing)"
  # better-sqlite3 compiles from source here (no prebuilt download): node-gyp needs the headers.
  if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then export npm_config_nodedir=/usr; fi
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
log "pulumi CLI"
bash scripts/build-pulumi-cli.sh >/dev/null
log "python venv"
# The official client the tests drive; built here, not lazily by the first test that needs it (a
# cold venv takes a minute or more on a loaded machine, longer than a mocha hook may wait).
bash scripts/python-venv.sh >/dev/null
log "tsc"
# The root project (tests, bench) is rebuilt from scratch: tsc -b never deletes the output of a
# removed source file, and a stale compiled test would still run. The packages build incrementally.
rm -rf dist
npx tsc -b

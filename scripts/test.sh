#!/usr/bin/env bash
# `npm test`: installs what is missing, then lint, format check, type-check and every test tier,
# cheapest first: emulator (accsyn-local over HTTP, official Python client), client, provider
# (the runtime in-process against accsyn-local), engine (the real Pulumi engine).
# `npm run test:<tier>` runs one tier (no lint); extra arguments go to mocha (e.g. --grep).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
tier=""
if [ "${1:-}" = "--tier" ]; then tier="$2"; shift 2; fi
bash scripts/install.sh        # npm ci when needed, the Pulumi CLI, tsc -b (fails on type errors)
if [ -z "$tier" ]; then
  echo "[test] eslint"; npx eslint .
  echo "[test] prettier"; npx prettier --check . >/dev/null
  echo "[test] structure"; bash scripts/check-structure.sh
  echo "[test] typedoc"; npx typedoc   # API reference from the JSDoc (typedoc.json: warnings fail)
  echo "[test] mocha"; npx mocha "$@"
else
  echo "[test] mocha ($tier)"; TEST_TIER="$tier" npx mocha "$@"
fi
echo "[test] done in $(( $(date +%s) - start ))s"

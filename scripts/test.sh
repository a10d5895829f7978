#!/usr/bin/env bash
# `npm test`: installs what is missing, then lint, format check, type-check and every test
# (accsyn-local, the client, the real-engine smoke test and the provider end-to-end tests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
bash scripts/install.sh        # npm ci when needed, the Pulumi CLI, tsc (fails on type errors)
echo "[test] eslint"; npx eslint .
echo "[test] prettier"; npx prettier --check . >/dev/null
echo "[test] mocha"; npx mocha "$@"
echo "[test] done in $(( $(date +%s) - start ))s"

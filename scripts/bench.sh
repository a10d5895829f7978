#!/usr/bin/env bash
# `npm run bench`: every benchmark in bench/, each comparing against its baseline in the same run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install.sh
node dist/bench/preview-cost.js "${BENCH_FOLDERS:-200}"

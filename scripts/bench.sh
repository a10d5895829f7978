#!/usr/bin/env bash
# `npm run bench`: pulumi-accsyn against a no-op baseline in the same run (bench/run.ts), then
# bench/results/latest.json, bench/results/chart.svg and BENCHMARKS.md. Shorter runs: BENCH_N=50,
# BENCH_REPS=1, BENCH_THROTTLED_N, BENCH_FAULT_N, BENCH_FAULT_RUNS (see BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install.sh
node dist/bench/run.js

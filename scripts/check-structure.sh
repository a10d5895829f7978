#!/usr/bin/env bash
# The shape issue 8 gave the code, kept by CI: no import cycle in either package, and no source
# file of either package over 500 lines (a file that grows past it has more than one job).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npx madge --circular --no-spinner --extensions ts --exclude '(^|/)dist/' provider emulator >/dev/null 2>&1 ||
  { npx madge --circular --no-spinner --extensions ts --exclude '(^|/)dist/' provider emulator; exit 1; }
too_long=$(find provider emulator -name '*.ts' -not -path '*/dist/*' -not -path '*/node_modules/*' \
  -exec awk 'END { if (NR > 500) print FILENAME " (" NR " lines)" }' {} \;)
if [ -n "$too_long" ]; then
  echo "source files over 500 lines (split them by job):" >&2
  echo "$too_long" >&2
  exit 1
fi
echo "[structure] no import cycles, no source file over 500 lines"

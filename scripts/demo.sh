#!/usr/bin/env bash
# `npm run demo`: installs what is missing, starts accsyn-local in the background (data under
# .work/demo-data, port $ACCSYN_LOCAL_PORT or 8181), applies the studio example to it with the
# real Pulumi engine (stack `demo`), prints what was created, and stops the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${ACCSYN_LOCAL_PORT:-8181}"
DATA=.work/demo-data
bash scripts/install.sh

mkdir -p "$DATA"
node emulator/dist/cli.js --port "$PORT" --data "$DATA" >.work/accsyn-local.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q "listening on" .work/accsyn-local.log 2>/dev/null && break
  kill -0 $server 2>/dev/null || { cat .work/accsyn-local.log >&2; echo "accsyn-local did not start (is port $PORT free? set ACCSYN_LOCAL_PORT)" >&2; exit 1; }
  sleep 0.2
done
echo "[demo] accsyn-local on http://127.0.0.1:$PORT (data in $DATA)"

p() { node scripts/pulumi.js "$@"; }
p stack select --create demo >/dev/null
p config set --stack demo accsyn:endpoint "http://127.0.0.1:$PORT"
p config set --stack demo accsyn:workspace demo
p config set --stack demo accsyn:apiUser admin@example.com
# The demo seed's admin key (emulator/README.md); a real workspace's key goes in with --secret too.
p config set --stack demo --secret accsyn:apiKey "$(node -e 'console.log(require("accsyn-local").DEMO_SEED.users.find(u=>u.role==="admin").apiKey)')"
p up --yes --stack demo
echo
echo "[demo] stack outputs:"
p stack output --stack demo
cat <<TXT

[demo] Look at it:
  npm run pulumi -- stack output --stack demo          what was created
  npm run pulumi -- stack export --stack demo          the state (no API key in it)
  npm run accsyn-local                                 serve the same data on :$PORT, then
  npm run pulumi -- preview --stack demo               drift check against the live server
Running \`npm run demo\` again reports no changes.
TXT

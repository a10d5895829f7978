#!/usr/bin/env bash
# Runs the official accsyn-python-api integration suite (its tests/ folder, which
# this repository does not ship) against a fresh in-memory accsyn-local, the way
# tests/emulator/OFFICIAL-SUITE.md records. Local use only; CI never runs it.
#
#   1. put the suite's files in .work/official-suite/tests/ (conftest.py, test_*.py;
#      ignored by git), e.g. copied from a checkout of accsyn/accsyn-python-api
#   2. npx tsc -b emulator
#   3. scripts/official-suite.sh [pytest args...]     (PORT=18650 by default; CLI=<path to
#      another build's emulator/dist/cli.js> compares with an older accsyn-local)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SUITE="${ROOT}/.work/official-suite"
PORT="${PORT:-18650}"
CLI="${CLI:-${ROOT}/emulator/dist/cli.js}"
PY="$("${ROOT}/scripts/python-venv.sh" | tail -n 1)"

if [ ! -f "${SUITE}/tests/conftest.py" ]; then
  echo "No suite at ${SUITE}/tests: copy the tests/ folder of accsyn/accsyn-python-api there first" >&2
  exit 2
fi
"${PY}" -c 'import pytest, pytest_order, pytest_timeout' 2>/dev/null ||
  "${PY}" -m pip install --quiet pytest==8.3.4 pytest-order==1.3.0 pytest-timeout==2.3.1 >&2

node "${CLI}" --port "${PORT}" --rate-limit off >"${SUITE}/accsyn-local.log" 2>&1 &
SERVER=$!
trap 'kill "${SERVER}" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q listening "${SUITE}/accsyn-local.log" && break
  sleep 0.1
done

for pair in admin:demo-admin-key employee:demo-employee-key standard:demo-standard-key; do
  role="${pair%%:*}"
  printf 'ACCSYN_WORKSPACE=demo\nACCSYN_API_USER=%s@example.com\nACCSYN_API_KEY=%s\nACCSYN_PROXY=accsyn:127.0.0.1:%s\n' \
    "${role}" "${pair#*:}" "${PORT}" >"${SUITE}/.env.${role}"
done

# The suite expects a default volume served by an online storage server (test_prepare_deliveries).
(cd "${SUITE}" && "${PY}" - <<'PY'
import accsyn_api
s = accsyn_api.Session(path_envfile=".env.admin")
srv = s.find_one("Server WHERE code=hq-server")
s.create("Volume", {"name": "Storage", "code": "storage", "default": True,
                    "paths": {"linux": "/storage", "windows": "S:", "mac": "/Volumes/storage"}, "server": srv["id"]})
PY
)

cd "${SUITE}"
# A test that waits for bytes to move (accsyn-local moves none) fails on the timeout instead of hanging.
"${PY}" -m pytest tests -p no:cacheprovider --timeout 15 -rA "$@"

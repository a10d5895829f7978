#!/usr/bin/env bash
# Idempotent: creates .work/venv with the official accsyn Python client pinned,
# only when the venv is missing or holds another version. Prints the venv's
# python path as its last line.
set -euo pipefail

ACCSYN_PY_VERSION="3.4.0"
# moto's S3 server: the S3-compatible state backend of tests/engine/plan-s3-state.test.ts.
MOTO_VERSION="5.2.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.work/venv"
PY="${VENV}/bin/python"

installed_version() {
  "${PY}" -c 'import importlib.metadata as m; print(m.version("accsyn-python-api"))' 2>/dev/null || true
}

if [ ! -x "${PY}" ]; then
  mkdir -p "${ROOT}/.work"
  python3 -m venv "${VENV}" >&2
fi

if [ "$(installed_version)" != "${ACCSYN_PY_VERSION}" ]; then
  "${PY}" -m pip install --quiet "accsyn-python-api==${ACCSYN_PY_VERSION}" >&2
fi

if [ "$(installed_version)" != "${ACCSYN_PY_VERSION}" ]; then
  echo "accsyn-python-api ${ACCSYN_PY_VERSION} could not be installed in ${VENV}" >&2
  exit 1
fi

moto_version() {
  "${PY}" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true
}
if [ "$(moto_version)" != "${MOTO_VERSION}" ] || [ ! -x "${VENV}/bin/moto_server" ]; then
  "${PY}" -m pip install --quiet "moto[server]==${MOTO_VERSION}" >&2
fi

echo "${PY}"

#!/usr/bin/env bash
# Builds the Pulumi CLI (v3.248.0) and a Node.js language host from Go source through the Go
# module proxy, because no prebuilt binary can be downloaded on our machines.
#
# - The CLI is built from the wrapper module scripts/go/pulumi-cli: replace directives only
#   apply in the main module, and pkg/v3's own go.mod replaces sdk/v3 with a relative path.
# - The language host: its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) is untagged,
#   and the module proxy answers 403 "This module version is not available" for every version
#   of it, the release commit's pseudo-version included. The newest host the proxy serves is
#   the one that still lived inside sdk/v3 (v3.68.0), built from scripts/go/langhost. It speaks
#   the same gRPC protocol; tests/smoke proves it runs programs under the 3.248.0 engine.
# - The checksum database is not reachable here (its lookups answer 404), so GOSUMDB is off;
#   the committed go.sum files pin every module's hash, and -mod=readonly makes go verify them.
#
# Idempotent: binaries are cached in $PULUMI_ACCSYN_CACHE (default ~/.cache/pulumi-accsyn)
# keyed by version; a `pulumi` on PATH with the same version is reused. Progress goes to
# stderr; the last stdout line is the directory that holds `pulumi`.
set -euo pipefail

VERSION="3.248.0"
HOST_VERSION="3.68.0"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_ROOT="${PULUMI_ACCSYN_CACHE:-$HOME/.cache/pulumi-accsyn}"
BIN_DIR="$CACHE_ROOT/pulumi-v$VERSION-host-v$HOST_VERSION/bin"

log() { printf '[pulumi-cli] %s\n' "$*" >&2; }

# Concurrent runs (parallel test tiers, a demo beside a test run) share the cache: one builds, the
# others wait for it and then find the binaries cached.
mkdir -p "$BIN_DIR"
exec 9>"$BIN_DIR/../.build.lock"
flock 9
has_version() { [ -x "$1" ] && [ "$("$1" version 2>/dev/null)" = "v$VERSION" ]; }

# The dynamic-provider plugin is the 5-line script shipped in the @pulumi/pulumi npm package; next
# to the CLI the engine uses it without warning that it came from $PATH.
bundle_dynamic_provider() {
  local src="$HERE/../node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$src" ] && ! cmp -s "$src" "$BIN_DIR/pulumi-resource-pulumi-nodejs"; then
    cp "$src" "$BIN_DIR/pulumi-resource-pulumi-nodejs.tmp" && mv "$BIN_DIR/pulumi-resource-pulumi-nodejs.tmp" "$BIN_DIR/pulumi-resource-pulumi-nodejs"
  fi
}

if has_version "$BIN_DIR/pulumi" && [ -x "$BIN_DIR/pulumi-language-nodejs" ]; then
  bundle_dynamic_provider
  [ -n "${PULUMI_CLI_QUIET:-}" ] || log "cached: $BIN_DIR (pulumi v$VERSION)"
  echo "$BIN_DIR"
  exit 0
fi
if onpath="$(command -v pulumi 2>/dev/null)" && has_version "$onpath"; then
  dir="$(dirname "$(readlink -f "$onpath")")"
  if [ -x "$dir/pulumi-language-nodejs" ]; then
    log "reusing pulumi v$VERSION on PATH: $onpath"
    echo "$dir"
    exit 0
  fi
fi

command -v go >/dev/null || { log "Go is required to build the Pulumi CLI and none is on PATH"; exit 1; }
mkdir -p "$BIN_DIR"
export GOSUMDB=off GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0
LDFLAGS="-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$VERSION"
start=$(date +%s)

build() { # $1: wrapper module dir, $2: package, $3: output name, $4: ldflags
  local tmp="$BIN_DIR/.$3.tmp"
  log "downloading modules for $3 (a cold run fetches ~1-2 GB through the proxy)"
  (cd "$1" && go mod download) >&2
  log "compiling $3 (minutes on two cores)"
  (cd "$1" && go build -trimpath -tags osusergo,grpcnotrace -ldflags "$4" -o "$tmp" "$2") >&2
  mv "$tmp" "$BIN_DIR/$3"
}

build "$HERE/go/langhost" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  pulumi-language-nodejs "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$HOST_VERSION"
build "$HERE/go/pulumi-cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi pulumi "$LDFLAGS"

bundle_dynamic_provider
has_version "$BIN_DIR/pulumi" || { log "built pulumi reports '$("$BIN_DIR/pulumi" version 2>&1)', not v$VERSION"; exit 1; }
log "built in $(( $(date +%s) - start ))s: $BIN_DIR ($(du -sh "$BIN_DIR" | cut -f1))"
echo "$BIN_DIR"

#!/usr/bin/env bash
# Runs Shelf's whole test suite, then the OpenAPI linter and the fuzz
# targets (briefly). Installs what the tests need from Debian's
# packages when it is missing (PostgreSQL, headless Chromium, a CJK font),
# starts a throwaway PostgreSQL on a spare loopback port, and runs `go vet`
# and `go test -race` with everything required: nothing is skipped for want
# of a server or a browser, and a data race fails the run.
#
#   bash scripts/test.sh            # everything
#   bash scripts/test.sh -run Auth  # extra flags go to `go test`
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*" >&2; }

need_pkgs=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || need_pkgs+=(postgresql)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
fc-list 2>/dev/null | grep -qiE 'wqy|noto sans cjk' || need_pkgs+=(fonts-wqy-microhei)
# The example receivers (examples/receivers) run against real deliveries.
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
command -v node >/dev/null 2>&1 || need_pkgs+=(nodejs)
command -v javac >/dev/null 2>&1 || need_pkgs+=(default-jdk-headless)
command -v php >/dev/null 2>&1 || need_pkgs+=(php-cli)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi

# A throwaway PostgreSQL cluster on a free loopback port. PostgreSQL
# refuses to run as root, so as root it runs as the postgres user.
work=$(mktemp -d /tmp/shelf-test.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
log "starting PostgreSQL ($("$pg_bin/postgres" --version | awk '{print $3}')) on 127.0.0.1:$port"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null

export SHELF_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
export SHELF_TEST_CHROMIUM="$(command -v chromium)"
export SHELF_TEST_REQUIRE_ALL=1
export SHELF_TEST_ARTIFACTS="${SHELF_TEST_ARTIFACTS:-$PWD/test-artifacts}"
mkdir -p "$SHELF_TEST_ARTIFACTS"

log "go vet"
go vet ./...

# npm (Node.js from Debian's packages) for the tools below, when missing.
need_npm() {
  if ! command -v npm >/dev/null 2>&1; then
    log "installing nodejs npm"
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
}
# axe-core (npm, pinned) for the browser tests' accessibility gate: it is
# injected into every main page in Chromium (internal/web/ui/browser_quality_test.go).
axe_version=4.11.0
axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/shelf-tools/axe-core-$axe_version"
if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  need_npm
  log "installing axe-core@$axe_version into $axe_dir"
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-audit --no-fund --silent "axe-core@$axe_version"
fi
export SHELF_TEST_AXE="$axe_dir/node_modules/axe-core/axe.min.js"
log "go test"
go test -race -count=1 -timeout 45m "$@" ./...

# Every list walked to its end one row a page: 10,000 generated rows of each
# kind, every list endpoint, both databases (issue 16). Hundreds of
# thousands of requests, so without -race (the run above walks the first
# 100 rows of each at limit=1 under -race).
# (Skipped when arguments choose tests.)
if [ $# -eq 0 ]; then
  log "paging walk to the end at limit=1"
  SHELF_TEST_PAGING_FULL=1 go test -count=1 -timeout 30m -run '^(TestPagingHTTPWalk|TestPagingWalk)$' ./internal/web/api ./internal/store
fi

# The OpenAPI document as served, linted by an implementation that is not
# ours (Redocly's CLI from the npm registry, pinned; installed once into a
# cache folder, with Node.js from Debian's packages when it is missing).
# Errors fail the run; its style warnings (operationId, license) do not.
redocly_version=2.77.0
tools="${XDG_CACHE_HOME:-$HOME/.cache}/shelf-tools/redocly-$redocly_version"
need_npm
if [ ! -x "$tools/node_modules/.bin/redocly" ]; then
  log "installing @redocly/cli@$redocly_version into $tools"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent "@redocly/cli@$redocly_version"
fi
log "OpenAPI lint (@redocly/cli $redocly_version)"
SHELF_OPENAPI_OUT="$work/openapi.json" go test -race -count=1 -run '^TestServedOpenAPIHasNoNulls$' ./internal/web/api >/dev/null
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
  "$tools/node_modules/.bin/redocly" lint --format=summary "$work/openapi.json"

# Fuzz targets, a few seconds each, on their kept corpus (testdata/fuzz/)
# and whatever the engine finds in that time; a crash fails the run and
# leaves the input in testdata/fuzz/ to keep.
fuzz_time="${SHELF_FUZZ_TIME:-2s}"
while read -r pkg target; do
  log "fuzz $target ($fuzz_time)"
  go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzz_time" "$pkg" >/dev/null
done <<'FUZZ'
./internal/imaging FuzzClean
./internal/listingfile FuzzValidate
./sdk FuzzVerifyWebhook
./internal/web/api FuzzCheckQuery
./internal/events FuzzRoutable
FUZZ

# Shared set-up of the loopback HTTP benchmarks (sourced, not run): the
# wrk settings, a work folder removed at exit, the bare hello handler (the
# baseline every figure is divided by) and a demo Shelf, both started and
# waited for. Usage: bench_start HELLO_PORT SHELF_PORT [serve flags...];
# binaries land in $work.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
command -v wrk >/dev/null || { echo "installing wrk" >&2; apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d)
pids=()
trap 'kill ${pids[@]} 2>/dev/null || true; rm -rf "$work"' EXIT

bench_start() {
  local hello_port=$1 shelf_port=$2
  shift 2
  go build -o "$work/shelf" ./cmd/shelf
  go build -o "$work/hello" ./scripts/hello
  "$work/hello" -addr "127.0.0.1:$hello_port" & pids+=($!)
  "$work/shelf" serve --demo --data "$work/data" --addr "127.0.0.1:$shelf_port" "$@" 2>"$work/shelf.log" & pids+=($!)
  for _ in $(seq 100); do
    curl -sf "127.0.0.1:$shelf_port/readyz" >/dev/null && curl -sf "127.0.0.1:$hello_port/" >/dev/null && return 0
    sleep 0.1
  done
  echo "the servers did not start; see $work/shelf.log" >&2
  return 1
}

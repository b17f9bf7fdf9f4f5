#!/usr/bin/env bash
# Benchmark of a promotion channel's link, /p/<code>, on loopback, in one
# run with the bare Go hello handler (the baseline): each request records
# its visit durably (SQLite, synchronous=FULL) and then answers the
# redirect to the landing page (Shelf's /healthz, which reads nothing,
# shows what any route of Shelf's costs on top of hello). Two loads: the same visitor again and
# again (the link from the node's cache, the visit of the day from its
# memory: nothing read or written), and a new visitor on every request (a
# User-Agent of its own: a row written and synced per visit, visits
# arriving together committed together in one statement).
#
#   bash scripts/bench-promo.sh            # 10 s per target
#   DURATION=30s bash scripts/bench-promo.sh
source "$(dirname "$0")/bench-lib.sh"
bench_start 18190 18191 --log-level warn

api=http://127.0.0.1:18191/api/v1
token=$(curl -sf -X POST $api/auth/token -H 'Content-Type: application/json' \
  -d '{"email":"partner@shelf.test","password":"shelf-demo"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
code=""
for listing in $(curl -sf $api/listings | grep -oE '"id":"lst_[a-z0-9]+"' | cut -d'"' -f4); do
  out=$(curl -s -X POST "$api/listings/$listing/channels" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"bench poster","state":"bench"}')
  if grep -q '"url"' <<<"$out"; then code=$(sed -E 's/.*"code":"([A-Z0-9]+)".*/\1/' <<<"$out"); break; fi
done
[ -n "$code" ] || { echo "no channel could be created" >&2; exit 1; }
curl -sf -o /dev/null -w '%{http_code} %{redirect_url}\n' "http://127.0.0.1:18191/p/$code" >&2

cat >"$work/newvisitor.lua" <<'LUA'
-- Every request a new visitor: a User-Agent unique across wrk's threads.
local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", nil, { ["User-Agent"] = "bench-" .. tid .. "-" .. n })
end
LUA

run() { # name url [lua]
  local out
  if [ $# -gt 2 ]; then out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$3" "$2")
  else out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2"); fi
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$1 $rps $p99"
}
to_ms() { awk -v v="$1" 'BEGIN { n=v; sub(/[a-z]+$/, "", n); u=v; sub(/^[0-9.]+/, "", u);
    if (u=="us") n/=1000; else if (u=="s") n*=1000; printf "%.2f", n }'; }
results=()
results+=("$(run hello http://127.0.0.1:18190/)")
results+=("$(run healthz http://127.0.0.1:18191/healthz)")
results+=("$(run p-code-same-visitor "http://127.0.0.1:18191/p/$code")")
results+=("$(run p-code-new-visitor "http://127.0.0.1:18191/p/$code" "$work/newvisitor.lua")")
visits=$(curl -sf "$api/listings/$listing/funnel?channel=$code" -H "Authorization: Bearer $token" \
  | sed -E 's/.*"total":\{[^}]*"visits":([0-9]+).*/\1/')

read -r _ base_rps base_p99 <<<"${results[0]}"
base_p99=$(to_ms "$base_p99")
echo "wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores, $(date -u +%F); visits recorded: $visits"
echo
echo "| target | requests/s | ratio to hello | p99 ms | p99 ratio to hello |"
echo "|---|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  read -r name rps p99 <<<"$r"
  p99=$(to_ms "$p99")
  awk -v n="$name" -v r="$rps" -v br="$base_rps" -v p="$p99" -v bp="$base_p99" \
    'BEGIN { printf "| %s | %.0f | %.2f | %.2f | %.1f |\n", n, r, r/br, p, p/bp }'
done

#!/usr/bin/env bash
# HTTP benchmark on loopback, all in one run so the figures are comparable:
# a bare Go hello handler (the baseline), Shelf's /healthz, and an
# authenticated GET /api/v1/orgs/{id} (bearer token lookup, membership
# check, org read on SQLite), and the vendor's entitlement API (an org
# access token and a license answered from memory). Prints a Markdown table of requests/s and p99
# latency as ratios to the baseline.
#
#   bash scripts/bench-http.sh            # 10 s per target
#   DURATION=30s bash scripts/bench-http.sh
source "$(dirname "$0")/bench-lib.sh"
bench_start 18090 18091
go build -o "$work/benchvendor" ./scripts/benchvendor

token=$(curl -sf -X POST 127.0.0.1:18091/api/v1/auth/token -H 'Content-Type: application/json' \
  -d '{"email":"customer@shelf.test","password":"shelf-demo"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
org=$(curl -sf 127.0.0.1:18091/api/v1/orgs -H "Authorization: Bearer $token" | sed -E 's/.*"id":"(org_[a-z0-9]+)".*/\1/')
curl -sf "127.0.0.1:18091/api/v1/orgs/$org" -H "Authorization: Bearer $token" >/dev/null
read -r vendor_token user < <("$work/benchvendor" -base http://127.0.0.1:18091)
curl -sf "127.0.0.1:18091/api/v1/vendor/entitlements?user=$user" -H "Authorization: Bearer $vendor_token" >/dev/null

run() { # name url [header]
  local out
  if [ $# -gt 2 ]; then out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$3" "$2")
  else out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2"); fi
  local rps p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$1 $rps $p99"
}
to_ms() { # wrk prints 1.23ms, 850.00us or 1.02s
  awk -v v="$1" 'BEGIN { n=v; sub(/[a-z]+$/, "", n); u=v; sub(/^[0-9.]+/, "", u);
    if (u=="us") n/=1000; else if (u=="s") n*=1000; printf "%.2f", n }'
}
results=()
results+=("$(run hello http://127.0.0.1:18090/)")
results+=("$(run healthz http://127.0.0.1:18091/healthz)")
results+=("$(run org "http://127.0.0.1:18091/api/v1/orgs/$org" "Authorization: Bearer $token")")
results+=("$(run entitlements "http://127.0.0.1:18091/api/v1/vendor/entitlements?user=$user" "Authorization: Bearer $vendor_token")")

read -r _ base_rps base_p99 <<<"${results[0]}"
base_p99=$(to_ms "$base_p99")
echo "wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores, $(date -u +%F)"
echo
echo "| target | requests/s | ratio to hello | p99 ms | p99 ratio to hello |"
echo "|---|---:|---:|---:|---:|"
for r in "${results[@]}"; do
  read -r name rps p99 <<<"$r"
  p99=$(to_ms "$p99")
  awk -v n="$name" -v r="$rps" -v br="$base_rps" -v p="$p99" -v bp="$base_p99" \
    'BEGIN { printf "| %s | %.0f | %.2f | %.2f | %.1f |\n", n, r, r/br, p, p/bp }'
done

#!/usr/bin/env bash
# Storefront HTTP benchmark on loopback, all in one run (issue 9): the bare
# hello handler (the baseline of the APIs), the market search API, the JSON
# listing detail, and the HTML listing page against a handler serving the
# same page's bytes from memory (its baseline). Prints a Markdown table of
# requests/s and the ratios.
#
#   bash scripts/bench-search.sh            # 10 s per target
#   DURATION=5s bash scripts/bench-search.sh
source "$(dirname "$0")/bench-lib.sh"
bench_start 18090 18091
go build -o "$work/benchbytes" ./scripts/benchbytes

q='%E8%80%83%E5%8B%A4' # 考勤
listing=$(curl -sf "127.0.0.1:18091/api/v1/listings?q=$q" | sed -E 's/^\{"items":\[\{"id":"([^"]+)".*/\1/')
curl -sf "127.0.0.1:18091/listings/$listing" >"$work/page.html"
"$work/benchbytes" -addr 127.0.0.1:18092 -file "$work/page.html" & pids+=($!)
for _ in $(seq 100); do curl -sf 127.0.0.1:18092/ >/dev/null && break; sleep 0.1; done

run() { # name url
  local out rps
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "$2")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  echo "$1 $rps"
}
hello=$(run hello http://127.0.0.1:18090/)
searchapi=$(run search "http://127.0.0.1:18091/api/v1/listings?q=$q")
detail=$(run detail "http://127.0.0.1:18091/api/v1/listings/$listing")
bytes=$(run bytes http://127.0.0.1:18092/)
page=$(run page "http://127.0.0.1:18091/listings/$listing")

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores, $(date -u +%F); listing page $(wc -c <"$work/page.html") bytes"
echo
echo "| target | requests/s | baseline | ratio |"
echo "|---|---:|---|---:|"
row() { # name result baseline-name baseline-result
  read -r _ r <<<"$2"; read -r _ b <<<"$4"
  awk -v n="$1" -v r="$r" -v bn="$3" -v b="$b" 'BEGIN { printf "| %s | %.0f | %s (%.0f/s) | %.2f |\n", n, r, bn, b, r/b }'
}
row "GET /api/v1/listings?q=考勤" "$searchapi" hello "$hello"
row "GET /api/v1/listings/{id} (JSON, anonymous)" "$detail" hello "$hello"
row "GET /listings/{id} (HTML, anonymous)" "$page" "same bytes from memory" "$bytes"

#!/usr/bin/env bash
# Scale figures of search and start-up for BENCHMARKS.md: synthetic catalogs of 1,000
# certifications with 1,000, 10,000 and 50,000 answers (examples/gen_catalog), each
# measured on its own freshly imported SQLite database:
#
#   - import: `certwise import` of the content directory, wall time;
#   - first page: from starting `certwise serve` on the imported database to the first
#     200 of `/en/`;
#   - search ready: from the same start to the first 200 of `/api/v1/search` (the index
#     is built off the runtime after the snapshot is published; until then search is 503);
#   - search over HTTP: wrk for DURATION cycling through words, a typo, a phrase and an
#     exam code typed without its hyphen, p50/p95/p99 from wrk's own histogram (Lua
#     `done`): first one connection (the latency of a search, no queueing), then 8 (the
#     throughput of 2 cores, wrk included, where latency is mostly waiting in line);
#   - memory: the server's resident set (VmRSS) after the load and its peak so far
#     (VmHWM: start-up, index build, load), then the peak once a second catalog of the same
#     size (another seed) is imported into the live database and swapped in (the old
#     snapshot and index serve while the new ones are built).
#
#   scripts/bench-search-scale.sh [OUT_DIR]       # SIZES="1000 10000 50000" DURATION=10s
#
# Loopback only; needs curl, wrk and python3 (`apt-get install -y wrk curl`). The generated
# catalogs are kept in OUT_DIR (default: a temporary directory) and reused when present.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-1000 10000 50000}
DURATION=${DURATION:-10s}
work=${1:-$(mktemp -d)}
mkdir -p "$work"

for tool in curl wrk python3; do
  command -v "$tool" >/dev/null || { echo "bench-search-scale.sh: $tool not found (apt-get install -y $tool)" >&2; exit 1; }
done
cargo build --release --quiet
cargo build --release --quiet --example gen_catalog
bin=${CARGO_TARGET_DIR:-target}/release/certwise
gen=${CARGO_TARGET_DIR:-target}/release/examples/gen_catalog

now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.2f}')"; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
kib() { awk -v k="$1" '/^'"$1"':/ {print $2}' "/proc/$2/status"; }

lua=$work/search.lua
cat >"$lua" <<'EOF'
-- Cycles through the queries given in QUERIES (separated by "|"); reports percentiles.
local queries, i = {}, 0
for q in string.gmatch(os.getenv("QUERIES"), "[^|]+") do table.insert(queries, q) end
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/search?locale=en&q=" .. queries[i])
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, %d requests, %d errors (non-2xx %d)\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
EOF

echo "# search and start-up at scale, $(date -u +%Y-%m-%dT%H:%MZ), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
for n in $SIZES; do
  dir=$work/gen-$n
  alt=$work/gen-$n-b
  [ -d "$dir" ] || "$gen" "$dir" --certs 1000 --answers "$n" >/dev/null
  [ -d "$alt" ] || "$gen" "$alt" --certs 1000 --answers "$n" --seed 2 >/dev/null
  db=$work/db-$n
  rm -rf "$db"
  mkdir -p "$db"
  t=$(now)
  "$bin" import "$dir" --database "sqlite://$db/db.sqlite" 2>/dev/null
  echo "## $n answers"
  echo "- import: $(since "$t") s"

  port=$(free_port)
  t=$(now)
  CERTWISE_TODAY=2026-11-26 "$bin" serve --addr "127.0.0.1:$port" --database "sqlite://$db/db.sqlite" --content "$dir" 2>"$db/log" &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/en/"; do sleep 0.02; done
  echo "- first page after start: $(since "$t") s"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/search?locale=en&q=exam"; do sleep 0.02; done
  echo "- search ready after start: $(since "$t") s"

  code=$(curl -s "http://127.0.0.1:$port/api/v1/certifications" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["code"].replace("-","").lower())')
  export QUERIES="exam|security|administrator|course%20domains|administartor|$code|renewal|cloud%20architect"
  echo "- queries: ${QUERIES//|/, }"
  echo "- search over HTTP, one connection (wrk -t1 -c1 -d$DURATION): $(wrk -t1 -c1 -d"$DURATION" -s "$lua" "http://127.0.0.1:$port/" | tail -1)"
  echo "- search over HTTP, 8 connections (wrk -t2 -c8 -d$DURATION): $(wrk -t2 -c8 -d"$DURATION" -s "$lua" "http://127.0.0.1:$port/" | tail -1)"
  echo "- resident memory while serving, after the load: $(( $(kib VmRSS $pid) / 1024 )) MB (peak so far, start-up included: $(( $(kib VmHWM $pid) / 1024 )) MB)"

  # A content swap: import another catalog of the same size while serving; wait until the
  # server serves it (the newest answer changes: the other seed has other slugs) and its
  # index is ready.
  newest() { curl -s "http://127.0.0.1:$port/api/v1/answers?locale=en" | python3 -c 'import sys,json; print(json.load(sys.stdin)["items"][0]["slug"])'; }
  before=$(newest)
  "$bin" import "$alt" --database "sqlite://$db/db.sqlite" 2>/dev/null
  t=$(now)
  while :; do
    [ "$(newest)" != "$before" ] && break
    sleep 0.05
  done
  echo "- swap served after import: $(since "$t") s"
  sleep 3
  curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/search?locale=en&q=exam"
  echo "- peak resident memory over the run, swap included: $(( $(kib VmHWM $pid) / 1024 )) MB; resident after the swap: $(( $(kib VmRSS $pid) / 1024 )) MB"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done

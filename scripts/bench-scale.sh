#!/usr/bin/env bash
# Scale figures for BENCHMARKS.md: for the sample content and synthetic catalogs of 10,000
# and 40,000 answers (examples/gen_catalog), the import time, the start time, uncached and
# cached answer pages, the heaviest list, tracking-parameter links, and the server's memory.
# Loopback only; needs curl, wrk and python3. Usage: scripts/bench-scale.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
cargo build --release --quiet
cargo build --release --quiet --example gen_catalog
bin=target/release/certwise
[ -d "$work/gen-10k" ] || target/release/examples/gen_catalog "$work/gen-10k" --certs 1000 --answers 10000
[ -d "$work/gen-40k" ] || target/release/examples/gen_catalog "$work/gen-40k" --certs 1000 --answers 40000
for spec in "sample:content" "10k:$work/gen-10k" "40k:$work/gen-40k"; do
  name=${spec%%:*}; dir=${spec#*:}; db="$work/db-$name"; rm -rf "$db"; mkdir -p "$db"
  start=$(date +%s.%N); "$bin" import "$dir" --database "sqlite://$db/db.sqlite" 2>/dev/null
  echo "$name import: $(python3 -c "print(round($(date +%s.%N)-$start,2))") s"
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  CERTWISE_TODAY=2026-11-26 "$bin" --addr "127.0.0.1:$port" --database "sqlite://$db/db.sqlite" --content "$dir" 2>/dev/null &
  pid=$!; start=$(date +%s.%N)
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
  echo "$name start: $(python3 -c "print(round($(date +%s.%N)-$start,2))") s"
  slugs=$(curl -s "http://127.0.0.1:$port/api/v1/answers?locale=en" | python3 -c 'import sys,json; print(" ".join(i["slug"] for i in json.load(sys.stdin)["items"][:20]))')
  times=$(for s in $slugs; do curl -s -o /dev/null -w '%{time_total} ' "http://127.0.0.1:$port/en/answers/$s"; done)
  python3 -c "import statistics,sys; t=sorted(float(x)*1000 for x in sys.argv[1:]); print('$name uncached answer: median %.2f ms, max %.2f ms over %d pages' % (statistics.median(t), t[-1], len(t)))" $times
  first=${slugs%% *}
  echo "$name cached answer: $(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/en/answers/$first") s"
  echo "$name /api/v1/certifications page 1: $(curl -s -o /dev/null -w '%{time_total} s, %{size_download} bytes' "http://127.0.0.1:$port/api/v1/certifications")"
  for q in "utm_source=x" "x=random"; do
    echo "$name ?$q: $(wrk -t2 -c32 -d4s "http://127.0.0.1:$port/en/answers/$first?$q" | awk '/Requests\/sec/ {print $2}') req/s"
  done
  echo "$name server memory: $(ps -o rss= -p $pid) KB"
  kill $pid; wait $pid 2>/dev/null || true
done

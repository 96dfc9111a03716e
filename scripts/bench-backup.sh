#!/usr/bin/env bash
# How long `certwise backup` and `certwise restore` take, and how large a backup is, for
# BENCHMARKS.md: the synthetic catalog (examples/gen_catalog, 1,000 certifications, ANSWERS
# answers) is imported, a server serves it and is sent page requests throughout, and the
# backup is taken RUNS times while it serves (each to a new file). The server is then
# stopped and the last backup restored. Prints the CPU model, the sizes and the times.
#
#   scripts/bench-backup.sh [OUT_DIR]          # ANSWERS=10000 RUNS=3
#
# Loopback only; needs curl and python3. OUT_DIR (default: a temporary directory) keeps the
# generated catalog between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSWERS=${ANSWERS:-10000}
RUNS=${RUNS:-3}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-backup.sh: $tool not found" >&2; exit 1; }
done
cargo build --release --quiet --bin certwise --example gen_catalog
bin=${CARGO_TARGET_DIR:-target}/release/certwise
gen=${CARGO_TARGET_DIR:-target}/release/examples/gen_catalog

content="$work/gen-$ANSWERS"
[ -d "$content" ] || "$gen" "$content" --certs 1000 --answers "$ANSWERS" >/dev/null
db="$work/backup-$ANSWERS.db"
rm -f "$db" "$db-wal" "$db-shm" "$work"/copy-*.db
url="sqlite://$db"
"$bin" import "$content" --database "$url" 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --addr "127.0.0.1:$port" --database "$url" --content "$content" --today 2026-11-26 \
  --metrics-addr off 2>"$work/serve.log" &
server=$!
load=
trap 'kill $server $load 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# Readers throughout: one client fetching pages in a loop (bounded: at most 10 minutes).
( end=$((SECONDS + 600)); while [ $SECONDS -lt $end ]; do
    curl -fs -o /dev/null "http://127.0.0.1:$port/en/" || true
    curl -fs -o /dev/null "http://127.0.0.1:$port/en/answers/" || true
  done ) &
load=$!

seconds() { python3 -c "print(f'{$2 - $1:.2f}')"; }
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
echo "answers: $ANSWERS"
echo "database: $(du -b "$db" | cut -f1) bytes (+ $(du -b "$db-wal" 2>/dev/null | cut -f1 || echo 0) in the WAL)"
for i in $(seq 1 "$RUNS"); do
  start=$(date +%s.%N)
  "$bin" backup "$work/copy-$i.db" --database "$url" 2>/dev/null
  echo "backup $i while serving: $(seconds "$start" "$(date +%s.%N)") s, $(du -b "$work/copy-$i.db" | cut -f1) bytes"
done
curl -fs -o /dev/null -w 'server still answering: %{http_code}\n' "http://127.0.0.1:$port/en/"
kill "$load" "$server"; wait "$server" 2>/dev/null || true
start=$(date +%s.%N)
"$bin" restore "$work/copy-$RUNS.db" --database "$url" 2>/dev/null
echo "restore (server stopped; checked, copied, renamed): $(seconds "$start" "$(date +%s.%N)") s"

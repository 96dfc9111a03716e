#!/usr/bin/env bash
# The soak of issue 14: MINUTES of mixed load against one `certwise serve` (release build)
# on the 10,000-answer synthetic catalog, a line every 30 s (requests/s, p50 and p99
# latency, failed requests by kind, the server's resident memory and open descriptors, read
# every second: the interval's median and maximum) and the verdict: no failed request, no
# acknowledged consent decision or inquiry missing from the database, and memory and
# descriptors over the last minute (the median of the readings) within 10 % of those over
# minute 2. Exit status 1 otherwise. Not part of .ci/run.
#
#   scripts/soak.sh MINUTES [OUT_DIR]
#
# The catalog (examples/gen_catalog: 1,000 certifications, 10,000 answers) is generated
# once into OUT_DIR/gen-10k (default OUT_DIR: $CARGO_TARGET_DIR/soak, or target/soak) and
# imported into a fresh SQLite database in a temporary directory. A publisher account is
# added (its password is temporary: the editor changes it at its first login). The
# server listens on 127.0.0.1 (PORT, or a free port); the load comes from
# 127.0.0.2…127.0.0.9 (scripts/soak-client.py, which binds each socket to one of them):
# certwise counts its per-client limits by peer address (no --trusted-proxy here), and
# each address keeps under the default limits on its own, so no limit flag is raised.
# OUT_DIR keeps soak.tsv (the 30 s lines), soak.json (totals, failures, samples), the
# server's log and /metrics at the end.
#
# Loopback only; needs python3 and curl. Bounded: the client stops after MINUTES and the
# whole run is killed 5 minutes after that; the server and the temporary directory are
# removed on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCRIPT=soak
source scripts/lib.sh
minutes=${1:?usage: scripts/soak.sh MINUTES [OUT_DIR]}
[[ $minutes =~ ^[0-9]+$ && $minutes -ge 1 ]] || { echo "soak.sh: MINUTES must be a whole number ≥ 1" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-target}
out=${2:-$target/soak}
mkdir -p "$out"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool not found" >&2; exit 1; }
done

release_binaries gen_catalog
bin=$BIN
content=$out/gen-10k
if [ ! -f "$content/site.toml" ]; then
  rm -rf "$content"
  "$GEN" "$content" --certs 1000 --answers 10000 >/dev/null
fi

work=$(mktemp -d)
server=
client=
cleanup() {
  if [ -n "$client" ]; then
    kill "$client" 2>/dev/null || true
    wait "$client" 2>/dev/null || true
  fi
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=${PORT:-$(free_port)}
metrics_port=${METRICS_PORT:-$(free_port)}
url="sqlite://$work/soak.db"

start=$(date +%s.%N)
"$bin" import "$content" --database "$url" 2>"$out/import.log"
echo "soak: imported $content in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s"
email=soak-editor@example.com
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
echo "$password" | "$bin" user add "$email" --role publisher --password-stdin --database "$url" 2>>"$out/import.log"

"$bin" serve --addr "127.0.0.1:$port" --metrics-addr "127.0.0.1:$metrics_port" --database "$url" \
  --content "$content" --today 2026-11-26 2>"$out/serve.log" &
server=$!
# Up, then ready: search answers 503 ("starting up") until the first index is built, and
# the load starts once it is, as a load balancer's readiness check would wait for it.
ready=
for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/search?q=exam"; then ready=1; break; fi
  kill -0 "$server" 2>/dev/null || { echo "soak.sh: the server stopped; see $out/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$ready" ] || { echo "soak.sh: the server was not ready (search) within 60 s" >&2; exit 1; }

echo "soak: $minutes min against http://127.0.0.1:$port (pid $server), $(nproc) CPUs:" \
  "$(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg)"
# In the background, waited for: a signal to this script is handled at once (bash runs a
# trap only after a foreground command ends), and the trap stops the client too.
status=0
timeout --kill-after=10 $((minutes * 60 + 300)) \
  python3 scripts/soak-client.py --url "http://127.0.0.1:$port" --pid "$server" --minutes "$minutes" \
  --metrics "http://127.0.0.1:$metrics_port/metrics" --out "$out" \
  --editor-email "$email" --editor-password "$password" &
client=$!
wait "$client" || status=$?
client=

# Nothing acknowledged is lost: every consent decision and inquiry answered with its 303
# is in the database (a fresh one: nothing else wrote to it).
if [ -f "$out/soak.json" ]; then
  python3 - "$out/soak.json" "$work/soak.db" <<'PY' || status=1
import json, sqlite3, sys
acknowledged = json.load(open(sys.argv[1], encoding="utf-8"))["acknowledged"]
db = sqlite3.connect(f"file:{sys.argv[2]}?mode=ro", uri=True)
stored = {kind: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
          for kind, table in (("consent", "consent_records"), ("inquiry", "leads"))}
print("soak: acknowledged / stored: " + ", ".join(f"{kind} {acknowledged.get(kind, 0)} / {n}" for kind, n in stored.items()))
sys.exit(0 if all(acknowledged.get(kind, 0) == n for kind, n in stored.items()) else 1)
PY
fi

# What the server refused and why, as it counted it (none is expected).
curl -fs "http://127.0.0.1:$metrics_port/metrics" >"$out/metrics.txt" || true
refusals=$(grep -E '^certwise_[a-z_]*refus[a-z_]*\{' "$out/metrics.txt" | grep -v ' 0$' || true)
echo "soak: refusals counted by the server: ${refusals:-none}"
echo "soak: the database at the end: $(du -ch "$work"/soak.db* | tail -1 | cut -f1) (with its WAL)"
grep -cE ' (ERROR|WARN) ' "$out/serve.log" | sed 's/^/soak: server log lines at WARN or ERROR: /' || true
echo "soak: the record is in $out (soak.tsv, soak.json, serve.log, metrics.txt)"
if [ "$status" = 0 ]; then echo "soak: all checks passed"; else echo "soak: FAILED (exit status $status)"; fi
exit "$status"

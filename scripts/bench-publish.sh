#!/usr/bin/env bash
# How long a publish from the editors' area takes, for BENCHMARKS.md: a synthetic catalog
# (examples/gen_catalog, 1,000 certifications, ANSWERS answers) is imported, a publisher
# logs in over HTTP and publishes an edit of one answer's question RUNS times. Each figure
# is the time of `POST /admin/edit/…` with `action=publish` until its 303 — the check of the
# whole content, the transaction (revision, derived catalog, new generation) and the swap of
# this instance's snapshot (the handler waits for it) — and the public page is then fetched
# to confirm that it shows the edit. The import time of the same catalog is printed beside
# it, measured in the same run.
#
#   scripts/bench-publish.sh [OUT_DIR]          # ANSWERS=10000 RUNS=5
#
# Loopback only; needs curl and python3. OUT_DIR (default: a temporary directory) keeps the
# generated catalog between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSWERS=${ANSWERS:-10000}
RUNS=${RUNS:-5}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-publish.sh: $tool not found" >&2; exit 1; }
done
cargo build --release --quiet --bin certwise --example gen_catalog
bin=${CARGO_TARGET_DIR:-target}/release/certwise
gen=${CARGO_TARGET_DIR:-target}/release/examples/gen_catalog

content="$work/gen-$ANSWERS"
[ -d "$content" ] || "$gen" "$content" --certs 1000 --answers "$ANSWERS" >/dev/null
db="$work/publish-$ANSWERS.db"
rm -f "$db" "$db-wal" "$db-shm"
url="sqlite://$db"

start=$(date +%s.%N)
"$bin" import "$content" --database "$url" 2>/dev/null
import_s=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")

echo 'temporary password here' | "$bin" user add bench@example.ch --role publisher --password-stdin --database "$url" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --addr "127.0.0.1:$port" --database "$url" --content "$content" --today 2026-11-26 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$RUNS" "$import_s" "$ANSWERS" <<'PY'
import sys, time
sys.path.insert(0, "scripts")
from certwise_http import Staff

port, runs, import_s, answers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
staff = Staff(f"http://127.0.0.1:{port}")
staff.log_in("bench@example.ch", "temporary password here", "a publisher's own password 1")
# The first answer of the default locale.
path, locale, slug = staff.first_answer()

times = []
for i in range(runs):
    question = f"Benchmark question {i} {time.time_ns()}?"
    status, page, fields = staff.edit_form(path)
    assert status == 200, (status, page[:2000])
    fields.update({"question": question, "message": f"bench {i}"})
    # Only the POST is timed: the form is read before.
    t = time.perf_counter()
    status, body = staff.publish(path, fields)
    elapsed = time.perf_counter() - t
    assert status == 303, (status, body[:2000])
    assert question in staff.get(f"/{locale}/answers/{slug}")[1], "the public page shows the edit"
    times.append(elapsed)

times.sort()
print(f"answers: {answers}; import: {import_s} s; publish (POST to 303, live on this instance), "
      f"{runs} runs: median {times[len(times) // 2]:.2f} s, min {times[0]:.2f} s, max {times[-1]:.2f} s")
PY

#!/usr/bin/env bash
# PostgreSQL restarts under load (issue 14): two certwise instances on a throwaway
# PostgreSQL 15 cluster (scripts/with-postgres.sh), loaded with page reads and consent
# decisions (scripts/pg-restart-client.py, /healthz probed every 20 ms), while PostgreSQL
# is restarted three times: `pg_ctl restart -m fast`, `-m immediate` (a crash: recovery at
# start), and stopped for DOWN_SECONDS (longer than a request waits for a connection)
# then started. certwise is never restarted. Checks, for each restart:
#   1. each instance's /healthz answers 200 again after; and 503 while PostgreSQL is
#      down for DOWN_SECONDS (a restart shorter than the 5 s a request waits for a
#      connection is waited out: the figures say how long requests waited);
#   2. no request fails outside the down window (from `pg_ctl restart` until it returns,
#      plus GRACE_MS for the pools to reconnect); inside it only 503 (never a 500, never a
#      reset connection); pages are served throughout (from memory);
#   3. each instance listens for content changes again (a backend in `LISTEN`, per
#      pg_stat_activity) and serves the database's current generation;
#   4. a publish made after the restart (`certwise import` of a changed copy) is served by
#      both instances within LIMIT_MS (LISTEN/NOTIFY; the poll alone takes up to 500 ms).
# The same publish before the first restart gives the reference time. Prints the figures
# and exits 1 if a check fails.
#
#   scripts/pg-restart.sh
#
# Environment (optional): PORT=18220 (the instances: PORT and PORT+1), PG_PORT=18250,
# WORKERS=4 (per instance), GRACE_MS=1000, LIMIT_MS=1000, DOWN_SECONDS=8, KEEP_LOGS=DIR
# (the instances' logs and the requests are copied there). Loopback only; every process
# and file it starts or makes is stopped or removed on exit. Needs cargo, curl, python3, psql
# and the PostgreSQL 15 server binaries (`apt-get install -y postgresql-15`).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

if [[ -z ${CERTWISE_TEST_POSTGRES:-} ]]; then
    PG_PORT=${PG_PORT:-18250} exec scripts/with-postgres.sh "$0" "$@"
fi

SCRIPT=pg-restart
source "$ROOT/scripts/lib.sh"

[[ -n ${CERTWISE_TEST_PGDATA:-} ]] || die "CERTWISE_TEST_PGDATA is not set: run under scripts/with-postgres.sh"
command -v psql >/dev/null || die "psql is missing: apt-get install -y postgresql-client-15"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
as_postgres=()
((EUID != 0)) || as_postgres=(runuser -u postgres --)

PORT=${PORT:-18220}
WORKERS=${WORKERS:-4}
GRACE_MS=${GRACE_MS:-1000}
DOWN_SECONDS=${DOWN_SECONDS:-8}
LIMIT_MS=${LIMIT_MS:-1000}
TODAY=2026-11-26
PORTS=("$PORT" "$((PORT + 1))")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/certwise-pg-restart.XXXXXX")
PIDS=()
CLIENT=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_process "$CLIENT"
    for pid in "${PIDS[@]}"; do stop_process "$pid"; done
    ((rc == 0)) || show_logs "$TMP"/instance-*.log
    if [[ -n ${KEEP_LOGS:-} ]]; then
        mkdir -p "$KEEP_LOGS" && cp "$TMP"/*.log "$TMP"/*.jsonl "$KEEP_LOGS"/ 2>/dev/null \
            || echo "pg-restart: could not copy the logs to $KEEP_LOGS" >&2
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building the release binary"
release_binaries

DB="${CERTWISE_TEST_POSTGRES%/*}/certwise"
psql -q "$CERTWISE_TEST_POSTGRES" -c 'CREATE DATABASE certwise' || die "cannot create the database certwise"

now() { date +%s.%N; }
event() { echo "$1 $(now)" >>"$TMP/events"; }

for i in 0 1; do
    "$BIN" serve --addr "127.0.0.1:${PORTS[i]}" --database "$DB" --content content --trusted-proxy 127.0.0.0/8 \
        --today "$TODAY" >"$TMP/instance-$i.log" 2>&1 &
    PIDS[i]=$!
    started_or_die "${PORTS[i]}" "${PIDS[i]}" 60 "instance $i"
    say "instance $i: pid ${PIDS[i]}, http://127.0.0.1:${PORTS[i]}"
done

failed=0
fail() {
    say "FAILED: $*"
    failed=1
}

# The generation an instance serves (/healthz?verbose), or "down".
served_generation() {
    curl -fsS --max-time 2 "http://127.0.0.1:$1/healthz?verbose" 2>/dev/null \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["generation"])' 2>/dev/null || echo down
}
db_generation() { psql -tAq "$DB" -c 'SELECT max(id) FROM imports'; }
listeners() {
    psql -tAq "$DB" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'certwise' AND query ILIKE 'LISTEN%'"
}

# publish LABEL: a changed question in a copy of the content, imported; both instances
# must serve it within LIMIT_MS.
edited=$TMP/content
cp -r content "$edited"
answer=$edited/answers/en/md-102-vs-ms-102-difference.md
page=/en/answers/md-102-vs-ms-102-difference
publish() {
    local label=$1 marker published ms port body
    marker="Restart check $label $(date +%s%N)"
    python3 - "$answer" "$marker" <<'EOF'
import re, sys
path, marker = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text, n = re.subn(r'(?m)^question = "(Restart check [^:]*: )?', f'question = "{marker}: ', text, count=1)
assert n == 1, "the reference answer has no question line"
open(path, "w", encoding="utf-8").write(text)
EOF
    timeout 60 "$BIN" import "$edited" --database "$DB" --today "$TODAY" >"$TMP/import.log" 2>&1 \
        || { fail "$label: the import failed: $(tail -n 3 "$TMP/import.log")"; return; }
    published=$(date +%s%N)
    for port in "${PORTS[@]}"; do
        while :; do
            body=$(curl -fsS --max-time 2 "http://127.0.0.1:$port$page" 2>/dev/null || true)
            [[ $body == *"$marker"* ]] && break
            (($(date +%s%N) - published < 10000000000)) || break
            sleep 0.01
        done
        ms=$((($(date +%s%N) - published) / 1000000))
        if [[ $body == *"$marker"* ]] && ((ms <= LIMIT_MS)); then
            say "$label: the instance on $port serves the publish after ${ms} ms"
        else
            fail "$label: the instance on $port did not serve the publish within $LIMIT_MS ms (${ms} ms)"
        fi
    done
}

# recovered LABEL: both instances healthy and listening again, serving the current generation.
recovered() {
    local label=$1 since n generation port
    since=$(date +%s%N)
    for port in "${PORTS[@]}"; do
        until healthy "$port"; do
            (($(date +%s%N) - since < 30000000000)) || break
            sleep 0.05
        done
        healthy "$port" || fail "$label: the instance on $port is not healthy 30 s after the restart"
    done
    say "$label: /healthz 200 on both instances $((($(date +%s%N) - since) / 1000000)) ms after PostgreSQL was back"
    n=0
    for _ in $(seq 150); do
        n=$(listeners)
        ((n >= ${#PORTS[@]})) && break
        sleep 0.1
    done
    ((n >= ${#PORTS[@]})) && say "$label: $n connections listening for content changes" \
        || fail "$label: $n connections listening for content changes, not ${#PORTS[@]}"
    generation=$(db_generation)
    for port in "${PORTS[@]}"; do
        [[ $(served_generation "$port") == "$generation" ]] \
            || fail "$label: the instance on $port serves generation $(served_generation "$port"), the database holds $generation"
    done
}

pg_ctl() {
    "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$CERTWISE_TEST_PGDATA" -l "$(dirname "$CERTWISE_TEST_PGDATA")/server.log" \
        -w -t 60 "$@" >/dev/null
}

# restart MODE: `pg_ctl restart -m MODE`; MODE `down` stops it (-m fast) and starts it
# again DOWN_SECONDS later, longer than a request waits for a connection (5 s), with the
# options it ran with (postmaster.opts, which `pg_ctl start` does not read).
restart() {
    local mode=$1 opts
    event "down-$mode"
    if [[ $mode == down ]]; then
        opts=$(sed -e 's/"//g' -e 's/^[^ ]* //' -e 's/-D [^ ]* //' "$CERTWISE_TEST_PGDATA/postmaster.opts")
        pg_ctl -m fast stop || die "pg_ctl stop failed"
        sleep "$DOWN_SECONDS"
        pg_ctl -o "$opts" start || die "pg_ctl start failed"
    else
        pg_ctl -m "$mode" restart || die "pg_ctl restart -m $mode failed"
    fi
    event "up-$mode"
}

say "load: $WORKERS workers per instance (pages and consent decisions), /healthz every 20 ms"
python3 scripts/pg-restart-client.py --ports "$(IFS=,; echo "${PORTS[*]}")" --workers "$WORKERS" \
    --seconds 240 --log "$TMP/requests.jsonl" &
CLIENT=$!
event start
sleep 3
publish "before any restart"
sleep 2
for mode in fast immediate down; do
    if [[ $mode == down ]]; then
        say "pg_ctl stop -m fast under load, start ${DOWN_SECONDS} s later"
    else
        say "pg_ctl restart -m $mode under load"
    fi
    restart "$mode"
    recovered "after -m $mode"
    publish "after -m $mode"
    sleep 3
done
event end
stop_process "$CLIENT"
CLIENT=

for i in 0 1; do
    kill -0 "${PIDS[i]}" 2>/dev/null || fail "instance $i is no longer running"
done

python3 - "$TMP/requests.jsonl" "$TMP/events" "$GRACE_MS" <<'EOF' || failed=1
import collections, json, sys
records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
events = dict(line.split() for line in open(sys.argv[2]))
events = {k: float(v) for k, v in events.items()}
grace = int(sys.argv[3]) / 1000
expect = {"page": 200, "answer": 200, "consent": 303, "healthz": 200}
windows = [(m, events[f"down-{m}"], events[f"up-{m}"]) for m in ("fast", "immediate", "down")]
ok = True

def window(r):
    for mode, down, up in windows:
        if down <= r["start"] <= up + grace or down <= r["end"] <= up + grace:
            return mode
    return None

total = collections.Counter()
outside = []
inside = collections.defaultdict(collections.Counter)
for r in records:
    total[r["kind"]] += 1
    good = r["error"] is None and r["status"] == expect[r["kind"]]
    if good:
        continue
    mode = window(r)
    if mode is None:
        outside.append(r)
    else:
        inside[mode][(r["kind"], r["status"] if r["error"] is None else r["error"].split(":")[0])] += 1
print(f"pg-restart: {len(records)} requests ({', '.join(f'{k} {v}' for k, v in sorted(total.items()))})")
for mode, down, up in windows:
    counts = inside[mode]
    summary = ", ".join(f"{k[0]} {k[1]}: {v}" for k, v in sorted(counts.items(), key=str)) or "none"
    print(f"pg-restart: -m {mode}: PostgreSQL down {round((up - down) * 1000)} ms; failed in the window: {summary}")
    bad = [k for k in counts if k[1] != 503]
    if bad:
        ok = False
        print(f"pg-restart: FAILED: -m {mode}: answers other than 503 in the window: {bad}")
    during = [r for r in records if window(r) == mode]
    slowest = max((r["end"] - r["start"] for r in during if r["kind"] in ("consent", "healthz")), default=0)
    print(f"pg-restart: -m {mode}: {sum(1 for r in during if r['kind'] == 'consent' and r['status'] == 303)} consent "
          f"decisions acknowledged in the window; the slowest write or health check took {round(slowest * 1000)} ms")
    for port in sorted({r["port"] for r in records}):
        health = [r for r in records if r["kind"] == "healthz" and r["port"] == port and window(r) == mode]
        # A short outage is waited out (a request waits up to 5 s for a connection): 503
        # is required only of the long one.
        if mode == "down" and not any(r["status"] == 503 for r in health):
            ok = False
            print(f"pg-restart: FAILED: -m {mode}: /healthz on {port} never answered 503 while PostgreSQL was down")
        after = [r for r in records if r["kind"] == "healthz" and r["port"] == port and r["start"] > up + grace]
        if not after or after[0]["status"] != 200:
            ok = False
            print(f"pg-restart: FAILED: -m {mode}: /healthz on {port} not 200 after the restart")
        last = max((r["end"] for r in records if r["port"] == port and window(r) == mode
                    and not (r["error"] is None and r["status"] == expect[r["kind"]])), default=None)
        if last is not None:
            print(f"pg-restart: -m {mode}: last failed request on {port} ended {round((last - up) * 1000)} ms after PostgreSQL was back")
pages_failed = sum(v for c in inside.values() for k, v in c.items() if k[0] in ("page", "answer"))
print(f"pg-restart: pages failed while PostgreSQL was down: {pages_failed}")
print(f"pg-restart: failed outside the down windows: {len(outside)}")
for r in outside[:10]:
    print(f"  {r['kind']} on {r['port']}: {r['status'] or r['error']} {r.get('body', '')[:80]!r}")
if outside:
    ok = False
sys.exit(0 if ok else 1)
EOF

((failed == 0)) && say "all checks passed" || say "some checks FAILED"
exit "$failed"

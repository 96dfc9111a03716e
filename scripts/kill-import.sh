#!/usr/bin/env bash
# kill -9 at random points of an import of the 10,000-answer synthetic catalog (issue 14):
# the database must always hold either the old content or the new one, whole.
#
#   scripts/kill-import.sh [N]        # N kills, 50 by default
#
# Generates two versions of the catalog (examples/gen_catalog, 1,000 certifications and
# 10,000 answers, seeds 1 and 2: different content in every table), imports the
# old one into a pristine database, and imports the new one into a copy of it once, timing
# the import and the window in which it writes (the WAL grows). Then N times, on a fresh
# copy of the pristine database: `certwise import NEW`, SIGKILL at a random point (a fifth
# early, three fifths inside the write, a fifth around its end; the write's start is seen
# by the WAL growing), and checks:
#   1. the lock file (DB.lock) does not block: `flock -n -x` (what a restore takes) succeeds;
#   2. `PRAGMA integrity_check` is `ok` (after SQLite's recovery of the WAL);
#   3. the fingerprint of the whole database (every row of every table, the audit log and
#      its counter included, SHA-256, leaving out only the timestamps of the import, its
#      revisions and its audit entry) equals the old database's or the new one's, never a
#      mix: new content without the import's audit entry is a mix (they are written in
#      one transaction);
#   4. `certwise serve` starts on it and serves that same content (/api/v1/certifications
#      as served by the old or the new reference database, the one the fingerprint named).
# Last, a whole import of the new content on a fresh copy: the fingerprint is the new one.
# Prints one line per kill and a summary; exits 1 if any check failed.
#
# Loopback only (port PORT, 18210 by default); temporary files in a folder removed on exit.
# Needs cargo, python3, curl and flock (util-linux). Each import, start and check has a
# time limit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

N=${1:-50}
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || {
    echo "usage: $0 [N ≥ 1]" >&2
    exit 2
}
PORT=${PORT:-18210}
TODAY=2026-11-26
for tool in python3 curl flock; do
    command -v "$tool" >/dev/null || {
        echo "kill-import: $tool is missing" >&2
        exit 1
    }
done

SCRIPT=kill-import
source "$ROOT/scripts/lib.sh"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/certwise-kill-import.XXXXXX")
CHILD=
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CHILD ]]; then
        kill -KILL "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building the release binary and the generator"
release_binaries gen_catalog

OLD=$TMP/old
NEW=$TMP/new
"$GEN" "$OLD" --certs 1000 --answers 10000 --seed 1 --today "$TODAY" >/dev/null
"$GEN" "$NEW" --certs 1000 --answers 10000 --seed 2 --today "$TODAY" >/dev/null

url() { echo "sqlite://$1"; }

# fingerprint DB: one line, `ok <sha256>` or `fail <integrity_check's first line>`. The hash
# covers every table. Opens the database read-write, as the next certwise would: SQLite
# recovers a WAL left by a kill.
fingerprint() {
    timeout 120 python3 - "$1" <<'EOF'
import hashlib, sqlite3, sys
# The only values that differ between two imports of the same content: when.
VOLATILE = {("imports", "imported_at"), ("revisions", "created_at"), ("audit_log", "at")}
con = sqlite3.connect(sys.argv[1])
check = [row[0] for row in con.execute("PRAGMA integrity_check")]
if check != ["ok"]:
    print("fail", check[0])
    sys.exit(0)
h = hashlib.sha256()
tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
for table in tables:
    cols = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if (table, r[1]) not in VOLATILE]
    h.update(f"\0table {table} {cols}\0".encode())
    select = ", ".join(f'"{c}"' for c in cols)
    for row in con.execute(f'SELECT {select} FROM "{table}" ORDER BY {", ".join(str(i + 1) for i in range(len(cols)))}'):
        h.update(repr(row).encode())
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
print("ok", h.hexdigest())
EOF
}

# served DB: starts `certwise serve` on DB, sets SERVED to the SHA-256 of
# /api/v1/certifications as served (`not-started` if it did not answer within 60 s), stops it.
SERVED=
served() {
    local log=$TMP/serve.log
    "$BIN" serve --addr "127.0.0.1:$PORT" --database "$(url "$1")" --content "$TMP/no-content" \
        --today "$TODAY" >"$log" 2>&1 &
    CHILD=$!
    if wait_healthy "$PORT" "$CHILD" 60; then
        SERVED=$(curl -fsS --max-time 10 "http://127.0.0.1:$PORT/api/v1/certifications" | sha256sum | cut -c1-64)
    else
        SERVED="not-started"
        tail -n 5 "$log" >&2
    fi
    stop_process "$CHILD" 10
    CHILD=
}

# --- references -------------------------------------------------------------------

PRISTINE=$TMP/pristine.db
say "importing the old catalog (seed 1)"
timeout 300 "$BIN" import "$OLD" --database "$(url "$PRISTINE")" --today "$TODAY" >"$TMP/import-old.log" 2>&1 \
    || die "the old import failed: $(tail -n 3 "$TMP/import-old.log")"
# The fingerprint's connection is the last to close: it checkpoints the WAL into the file,
# so that copying the file copies the database.
read -r state OLD_FP < <(fingerprint "$PRISTINE")
[[ ! -s $PRISTINE-wal ]] || die "the old database's WAL was not checkpointed"
[[ $state == ok ]] || die "the old database is not ok: $OLD_FP"

# The new import on a copy, timed, with the WAL's size polled to find the write window.
REF=$TMP/ref-new.db
cp "$PRISTINE" "$REF"
read -r DURATION WRITE_START WRITE_END < <(timeout 300 python3 - "$BIN" "$NEW" "$(url "$REF")" "$TODAY" "$REF-wal" <<'EOF'
import os, subprocess, sys, time
bin, new, url, today, wal = sys.argv[1:]
start = time.monotonic()
p = subprocess.Popen([bin, "import", new, "--database", url, "--today", today],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
first = last = None
size = 0
while p.poll() is None:
    try:
        now_size = os.path.getsize(wal)
    except OSError:
        now_size = 0
    t = time.monotonic() - start
    if now_size > size:
        first = t if first is None else first
        last = t
    size = now_size
    time.sleep(0.002)
end = time.monotonic() - start
if p.returncode != 0:
    sys.exit(f"the new import failed ({p.returncode})")
first = first if first is not None else end * 0.5
print(f"{end:.3f} {first:.3f} {last if last is not None else end:.3f}")
EOF
)
read -r state NEW_FP < <(fingerprint "$REF")
[[ $state == ok ]] || die "the new database is not ok: $NEW_FP"
[[ $OLD_FP != "$NEW_FP" ]] || die "the old and the new database have the same fingerprint"
say "import of the new catalog: ${DURATION} s; the WAL grows from ${WRITE_START} s to ${WRITE_END} s"

# On copies: a start writes (the server's secrets), and every kill starts from the pristine file.
cp "$PRISTINE" "$TMP/served-old.db"
served "$TMP/served-old.db"
OLD_SERVED=$SERVED
served "$REF"
NEW_SERVED=$SERVED
[[ $OLD_SERVED != not-started && $NEW_SERVED != not-started ]] || die "the server did not start on a reference database"
[[ $OLD_SERVED != "$NEW_SERVED" ]] || die "the old and the new catalog are served alike"

# kill_at PID WAL K: SIGKILL to the import PID at a random point, and says when. The write
# is found by the WAL growing, so that the kills land in it however loaded the machine
# is: K=1 early (a random delay up to the calibration's start of the write),
# K=2 around its end (80 % to 120 % of the calibration's write length into it),
# otherwise inside it (up to that length into it).
kill_at() {
    timeout 300 python3 - "$1" "$2" "$3" "$WRITE_START" "$WRITE_END" <<'EOF'
import os, random, signal, sys, time
pid, wal, k = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
start, end = float(sys.argv[4]), float(sys.argv[5])
length = end - start
t0 = time.monotonic()

def alive():
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False

def wait(seconds):
    until = time.monotonic() + seconds
    while alive() and time.monotonic() < until:
        time.sleep(0.001)

if k == 1:
    wait(random.uniform(0, start))
    where = "early"
else:
    while alive():
        try:
            if os.path.getsize(wal) > 0:
                break
        except OSError:
            pass
        time.sleep(0.001)
    into = random.uniform(0.8 * length, 1.2 * length) if k == 2 else random.uniform(0, length)
    wait(into)
    where = f"{into:.3f} s into the write"
at = time.monotonic() - t0
try:
    if not alive():
        raise ProcessLookupError
    os.kill(pid, signal.SIGKILL)
    print(f"killed at {at:.3f} s, {where}")
except ProcessLookupError:
    print(f"finished at {at:.3f} s, before the kill ({where})")
EOF
}

# --- the kills --------------------------------------------------------------------

kills=0 olds=0 news=0 integrity_failures=0 mixed=0 lock_blocked=0 serve_failures=0 during_write=0
started=$(date +%s.%N)
for i in $(seq 1 "$N"); do
    db=$TMP/kill.db
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    cp "$PRISTINE" "$db"
    "$BIN" import "$NEW" --database "$(url "$db")" --today "$TODAY" >"$TMP/import.log" 2>&1 &
    CHILD=$!
    how=$(kill_at "$CHILD" "$db-wal" $((i % 5)))
    [[ $how == killed* ]] && kills=$((kills + 1))
    kill -KILL "$CHILD" 2>/dev/null || true # only if kill_at's own time ran out
    wait "$CHILD" 2>/dev/null || true
    CHILD=
    wal=0
    [[ -e $db-wal ]] && wal=$(stat -c %s "$db-wal")
    problems=()
    flock -n -x "$db.lock" true || {
        problems+=("the lock file blocks")
        lock_blocked=$((lock_blocked + 1))
    }
    read -r state fp < <(fingerprint "$db")
    if [[ $state != ok ]]; then
        problems+=("integrity_check: $fp")
        integrity_failures=$((integrity_failures + 1))
        content=broken
    elif [[ $fp == "$OLD_FP" ]]; then
        content=old
        olds=$((olds + 1))
        ((wal == 0)) || during_write=$((during_write + 1))
    elif [[ $fp == "$NEW_FP" ]]; then
        content=new
        news=$((news + 1))
    else
        content=MIXED
        problems+=("neither the old nor the new content")
        mixed=$((mixed + 1))
    fi
    if [[ $content == old || $content == new ]]; then
        expect=$OLD_SERVED
        [[ $content == new ]] && expect=$NEW_SERVED
        served "$db"
        [[ $SERVED == "$expect" ]] || {
            problems+=("the server did not serve the $content content ($SERVED)")
            serve_failures=$((serve_failures + 1))
        }
    fi
    status=ok
    ((${#problems[@]} == 0)) || status="FAILED: ${problems[*]}"
    printf 'kill-import: %3d/%d %s, WAL %s bytes: %s, %s\n' "$i" "$N" "$how" "$wal" "$content" "$status"
done
elapsed=$(python3 -c "import time; print(round(time.time() - $started))")

# --- a whole import, last ---------------------------------------------------------

final=ok
db=$TMP/kill.db
rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
cp "$PRISTINE" "$db"
timeout 300 "$BIN" import "$NEW" --database "$(url "$db")" --today "$TODAY" >"$TMP/import.log" 2>&1 \
    || final="the import after the kills failed: $(tail -n 3 "$TMP/import.log")"
read -r state fp < <(fingerprint "$db")
[[ $final != ok || ($state == ok && $fp == "$NEW_FP") ]] || final="after a whole import the database is not the new content"
say "final import of the new content: $final"

say "summary: $N runs, $kills kills ($during_write inside the write: old content with a WAL), $olds old, $news new, $mixed mixed, integrity failures=$integrity_failures, lock blocked=$lock_blocked, server failures=$serve_failures, ${elapsed} s"
((kills > 0 && mixed == 0 && integrity_failures == 0 && lock_blocked == 0 && serve_failures == 0)) && [[ $final == ok ]] || {
    say "FAILED"
    exit 1
}
say "passed"

#!/usr/bin/env bash
# Several certwise instances on one PostgreSQL behind nginx, on loopback, for anyone to try:
#
#   scripts/cluster.sh                 # http://127.0.0.1:8080/ until Ctrl-C
#   scripts/cluster.sh --check         # the checks of issue 13, then stops (exit 1 if one fails)
#   scripts/cluster.sh --bench         # wrk: the answer page through nginx and the instances,
#                                      # against nginx serving the same bytes as a file
#
# Starts a throwaway PostgreSQL 15 cluster (scripts/with-postgres.sh), builds the release
# binary, starts INSTANCES instances (the first imports the sample content into the empty
# database), and nginx in front of them (round robin; reads on kept-alive connections to
# the instances, forms on fresh ones; a refused connection passed to the next instance). Ctrl-C stops them all and removes
# every file it made.
#
# --check, instead of waiting for Ctrl-C:
#   1. publishes a changed answer through one instance (`certwise import` of a changed
#      copy of the content) and measures how long the others take to serve it (≤ 1 s);
#   2. runs scripts/cluster-client.py through nginx and kills one instance with SIGKILL
#      part-way: no request that started after the kill may fail, no more may fail than
#      were open at the kill, every inquiry acknowledged must be in the database (by its
#      email address), and at least as many consent proofs as decisions acknowledged (a
#      proof holds nothing a client could name it by: no personal data, by design;
#      tests/durability.rs checks one instance's decisions one by one).
#
# --bench: the reference answer through nginx in front of the instances, and the same
#   bytes as a static file from the same nginx (another port), with wrk, alternately
#   (static, cluster, static), in one run; the table goes to bench-results/ (git-ignored).
#
# Environment (all optional): PORT=8080 (nginx), INSTANCES=3, CONTENT=content,
# TODAY=YYYY-MM-DD (render as of this day), WORKERS=16 and SECONDS_UNDER_LOAD=20 (--check;
# KILL_CHECK=0 leaves out check 2, which needs the sample content's course and answer;
# LIMIT_MS=1000, the time allowed for check 1; KEEP_LOGS=DIR, where the logs of nginx and
# the instances and the client's report are copied at the end),
# DURATION=10s, THREADS=2, CONNECTIONS=32 (--bench).
# Needs cargo, curl, python3, psql, nginx (wrk for --bench) and the PostgreSQL 15 server
# binaries (`apt-get install -y nginx wrk postgresql-15`). Only ever listens on 127.0.0.1.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# Run inside a throwaway PostgreSQL cluster, which scripts/with-postgres.sh starts, names
# in CERTWISE_TEST_POSTGRES, and removes when this script ends.
if [[ -z ${CERTWISE_TEST_POSTGRES:-} ]]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi

MODE=serve
for arg in "$@"; do
    case $arg in
        --check) MODE=check ;;
        --bench) MODE=bench ;;
        -h | --help)
            sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "cluster: unknown argument \`$arg\` (try --help)" >&2
            exit 2
            ;;
    esac
done

PORT=${PORT:-8080}
INSTANCES=${INSTANCES:-3}
CONTENT=${CONTENT:-content}
WORKERS=${WORKERS:-16}
SECONDS_UNDER_LOAD=${SECONDS_UNDER_LOAD:-20}
today=()
[[ -n ${TODAY:-} ]] && today=(--today "$TODAY")

SCRIPT=cluster
source "$ROOT/scripts/lib.sh"

NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
[[ -n $NGINX ]] || die "nginx is missing: apt-get install -y nginx"
command -v curl >/dev/null || die "curl is missing: apt-get install -y curl"
command -v python3 >/dev/null || die "python3 is missing: apt-get install -y python3"
command -v psql >/dev/null || die "psql is missing: apt-get install -y postgresql-client-15"
[[ $MODE != bench ]] || command -v wrk >/dev/null || die "wrk is missing: apt-get install -y wrk"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/certwise-cluster.XXXXXX")
declare -a PIDS=() PORTS=()
NGINX_PID=

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_process "$NGINX_PID"
    for pid in "${PIDS[@]}"; do stop_process "$pid"; done
    wait 2>/dev/null || true
    ((rc == 0)) || show_logs "$TMP"/*.log
    if [[ -n ${KEEP_LOGS:-} ]]; then
        mkdir -p "$KEEP_LOGS" && cp "$TMP"/*.log "$TMP"/*.json "$KEEP_LOGS"/ 2>/dev/null \
            || echo "cluster: could not copy the logs to $KEEP_LOGS" >&2
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build, database ----------------------------------------------------------------

say "building the release binary"
release_binaries

# CERTWISE_TEST_POSTGRES names the cluster's maintenance database; ours is beside it.
DB="${CERTWISE_TEST_POSTGRES%/*}/certwise"
psql -q "$CERTWISE_TEST_POSTGRES" -c 'CREATE DATABASE certwise' || die "cannot create the database certwise"
say "PostgreSQL: $DB"

# --- instances ----------------------------------------------------------------------

start_instance() {
    local i=$1 port metrics
    port=$(free_port)
    metrics=$(free_port)
    "$BIN" serve --addr "127.0.0.1:$port" --metrics-addr "127.0.0.1:$metrics" \
        --database "$DB" --content "$CONTENT" --trusted-proxy 127.0.0.0/8 "${today[@]}" \
        >"$TMP/instance-$i.log" 2>&1 &
    PIDS[i]=$!
    PORTS[i]=$port
    # The first imports the content first: seconds for the sample, more at 10,000 answers.
    started_or_die "$port" "${PIDS[i]}" 120 "instance $i"
}

# One after the other: the first imports the sample content into the empty database.
for i in $(seq 1 "$INSTANCES"); do
    start_instance "$i"
    say "instance $i: pid ${PIDS[i]}, http://127.0.0.1:${PORTS[i]}"
done

# --- nginx --------------------------------------------------------------------------

upstreams=""
for i in $(seq 1 "$INSTANCES"); do upstreams+="        server 127.0.0.1:${PORTS[i]} max_fails=1 fail_timeout=5s;"$'\n'; done
STATIC_PORT=$(free_port)
PROXY_PORT=$(free_port)
mkdir -p "$TMP/static"
# As root the workers would otherwise run as `nobody` and could not read the private
# temp directory; as anyone else nginx ignores `user` and keeps the caller's identity.
nginx_user=
((EUID == 0)) && nginx_user="user root;"
cat >"$TMP/nginx.conf" <<EOF
$nginx_user
daemon off;
worker_processes auto;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    # Reads reuse kept-alive connections to the instances. Every other request (the forms'
    # POSTs) opens a fresh one: nginx never sends a POST twice, so a POST written on a
    # kept-alive connection whose instance has just closed it (died, or timed it out) would
    # fail with a 502, while a fresh connection to a dead instance is refused before
    # anything is sent and goes to the next instance. certwise closes a connection idle for
    # 10 s (its header-read limit): nginx lets go of its idle ones first.
    upstream certwise {
$upstreams        keepalive 64;
        keepalive_timeout 5s;
    }
    upstream certwise_fresh {
$upstreams    }
    map \$request_method \$certwise_upstream {
        GET certwise;
        HEAD certwise;
        default certwise_fresh;
    }
    server {
        listen 127.0.0.1:$PORT;
        location / {
            proxy_pass http://\$certwise_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            # A refused or reset connection goes to the next instance; a request that an
            # instance may have started (a POST already sent) is never sent twice.
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
        }
    }
    # --bench: the same page's bytes as a static file, from the same nginx.
    server {
        listen 127.0.0.1:$STATIC_PORT;
        root $TMP/static;
        default_type text/html;
        charset utf-8;
        sendfile on;
        tcp_nopush on;
        keepalive_requests 1000000;
        open_file_cache max=100 inactive=60s;
        location / { try_files \$uri =404; }
    }
    # --bench: the proxy's own cost, the same nginx proxying to that static file.
    upstream static { server 127.0.0.1:$STATIC_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location / {
            proxy_pass http://static;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
"$NGINX" -c "$TMP/nginx.conf" -p "$TMP" >"$TMP/nginx.log" 2>&1 &
NGINX_PID=$!
started_or_die "$PORT" "$NGINX_PID" 10 "nginx (is port $PORT free? PORT=… to choose another)"
say "nginx: http://127.0.0.1:$PORT/ in front of $INSTANCES instances"

if [[ $MODE == serve ]]; then
    say "Ctrl-C stops everything"
    wait "$NGINX_PID"
    exit 0
fi

if [[ $MODE == bench ]]; then
    page=/en/answers/md-102-vs-ms-102-difference
    mkdir -p "$TMP/static$(dirname "$page")"
    curl -fsS -o "$TMP/static$page" "http://127.0.0.1:$PORT$page" || die "the cluster did not serve $page"
    bytes=$(wc -c <"$TMP/static$page")
    DURATION=${DURATION:-10s}
    THREADS=${THREADS:-2}
    CONNECTIONS=${CONNECTIONS:-32}
    rows=()
    run() {
        local label=$1 url=$2 out rps p99
        wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$url" >/dev/null
        out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
        ! grep -q 'Non-2xx' <<<"$out" || die "$label answered errors:"$'\n'"$out"
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        say "$label: $rps requests/s, p99 $p99"
        rows+=("| $label | $(printf '%.0f' "$rps") | $p99 |")
        LAST=$rps
    }
    run "nginx, static file" "http://127.0.0.1:$STATIC_PORT$page"
    static1=$LAST
    run "nginx → $INSTANCES certwise on PostgreSQL" "http://127.0.0.1:$PORT$page"
    cluster=$LAST
    run "nginx → nginx, static file (the proxy's own cost)" "http://127.0.0.1:$PROXY_PORT$page"
    proxied=$LAST
    run "nginx, static file (again)" "http://127.0.0.1:$STATIC_PORT$page"
    static2=$LAST
    ratio=$(awk -v c="$cluster" -v a="$static1" -v b="$static2" 'BEGIN { printf "%.2f", c / ((a + b) / 2) }')
    ratio_proxied=$(awk -v c="$cluster" -v p="$proxied" 'BEGIN { printf "%.2f", c / p }')
    mkdir -p bench-results
    out="bench-results/cluster-$(date +%Y%m%d-%H%M%S).md"
    {
        echo "# $page, $bytes bytes: nginx in front of $INSTANCES instances vs nginx serving the bytes"
        echo
        echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores. wrk -t$THREADS -c$CONNECTIONS -d$DURATION, same nginx, one run."
        echo
        echo "| server | requests/s | p99 |"
        echo "|---|---|---|"
        printf '%s\n' "${rows[@]}"
        echo
        echo "Cluster / static (mean of the two static runs): **$ratio**; cluster / nginx proxying the static file: **$ratio_proxied**"
    } >"$out"
    cat "$out"
    exit 0
fi

# --- check 1: a publish through one instance is served by the others ----------------

failed=0
edited="$TMP/content"
cp -r "$CONTENT" "$edited"
answer="$edited/answers/en/md-102-vs-ms-102-difference.md"
# Another catalog (CONTENT=…, such as examples/gen_catalog's): its first English answer.
[[ -f $answer ]] || answer=$(find "$edited/answers/en" -name '*.md' | sort | sed -n 1p)
[[ -f $answer ]] || die "no English answer in $CONTENT to publish a change to"
marker="Cluster check $(date +%s%N)"
python3 - "$answer" "$marker" <<'EOF'
import re, sys
path, marker = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
text, n = re.subn(r'(?m)^question = "', f'question = "{marker}: ', text, count=1)
assert n == 1, "the reference answer has no question line"
open(path, "w", encoding="utf-8").write(text)
EOF
page=/en/answers/$(basename "$answer" .md)
# Issue 13's targets: 1 s for the sample catalog, 5 s at 10,000 answers.
LIMIT_MS=${LIMIT_MS:-1000}
"$BIN" import "$edited" --database "$DB" "${today[@]}" >"$TMP/import.log" 2>&1 || die "the import failed"
published=$(date +%s%N)
# serves_marker PORT: whether that instance's page holds the marker (no pipe into
# `grep -q`: under pipefail, curl cut off by grep's early exit would read as "no").
serves_marker() {
    local body
    body=$(curl -fsS "http://127.0.0.1:$1$page") && [[ $body == *"$marker"* ]]
}
for i in $(seq 2 "$INSTANCES"); do
    until serves_marker "${PORTS[i]}"; do
        (($(date +%s%N) - published < 10000000000)) || break
        sleep 0.01
    done
    ms=$((($(date +%s%N) - published) / 1000000))
    if serves_marker "${PORTS[i]}" && ((ms <= LIMIT_MS)); then
        say "check: instance $i serves the published change after ${ms} ms"
    else
        say "FAILED: instance $i did not serve the published change within $LIMIT_MS ms (${ms} ms)"
        failed=1
    fi
done

# --- check 2: kill -9 of an instance under load -------------------------------------

if [[ ${KILL_CHECK:-1} == 0 ]]; then
    ((failed == 0)) && say "the publish check passed (KILL_CHECK=0: no kill)" || say "the publish check FAILED"
    exit "$failed"
fi

victim=2
say "check: $WORKERS clients for ${SECONDS_UNDER_LOAD} s through nginx; SIGKILL to instance $victim after 8 s"
if ! python3 scripts/cluster-client.py --url "http://127.0.0.1:$PORT" --workers "$WORKERS" \
    --seconds "$SECONDS_UNDER_LOAD" --kill-pid "${PIDS[victim]}" --kill-after 8 \
    --report "$TMP/report.json"; then
    say "FAILED: requests failed that were not open on the killed instance"
    failed=1
fi
PIDS[victim]=
stop_process "$NGINX_PID"
NGINX_PID=
for i in $(seq 1 "$INSTANCES"); do
    stop_process "${PIDS[i]:-}"
    PIDS[i]=
done

"$BIN" leads export --from 2000-01-01 --to 2100-01-01 --format jsonl --database "$DB" >"$TMP/leads.jsonl"
"$BIN" consent export --from 2000-01-01 --to 2100-01-01 --format jsonl --database "$DB" >"$TMP/consent.jsonl"
if ! python3 - "$TMP/report.json" "$TMP/leads.jsonl" "$TMP/consent.jsonl" <<'EOF'; then
import json, sys
report = json.load(open(sys.argv[1]))
stored_emails = {json.loads(line)["email"] for line in open(sys.argv[2]) if line.strip()}
stored_consent = sum(1 for line in open(sys.argv[3]) if line.strip())
lost = [e for e in report["inquiries_acknowledged"] if e not in stored_emails]
print(f"cluster: check: {len(report['inquiries_acknowledged'])} inquiries acknowledged, "
      f"{len(lost)} missing from the database")
print(f"cluster: check: {report['consent_acknowledged']} consent decisions acknowledged, "
      f"{stored_consent} proofs in the database")
if lost or stored_consent < report["consent_acknowledged"]:
    print("cluster: FAILED: an acknowledged inquiry or consent decision is not in the database")
    sys.exit(1)
EOF
    failed=1
fi
((failed == 0)) && say "all checks passed" || say "some checks FAILED"
exit "$failed"

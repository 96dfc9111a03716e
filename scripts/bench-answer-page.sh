#!/usr/bin/env bash
# Compares certwise serving the reference answer page with nginx serving the same bytes
# as a static file: the ceiling for one HTML page over HTTP/1.1 keep-alive on this host.
#
#   scripts/bench-answer-page.sh                 # 10 s per run
#   DURATION=30s scripts/bench-answer-page.sh    # longer runs
#
# Environment (all optional):
#   DURATION=10s      wrk duration of each measured run
#   WARMUP=2s         unmeasured wrk run before each measured one ("0" to skip)
#   THREADS=2         wrk threads
#   CONNECTIONS=32    wrk connections
#   DRIFT_CHECK=1     measure nginx again after certwise, to show how much the host drifted
#   PAGE=/en/answers/md-102-vs-ms-102-difference
#   CERTWISE_PORT, NGINX_PORT   fixed ports instead of free ones
#
# Needs cargo, curl, nginx and wrk (`apt-get install -y nginx wrk`). Only ever talks to
# 127.0.0.1. Writes the results to bench-results/answer-page-<timestamp>.md (git-ignored).
# wrk runs on the same machine as the server, so on a small host the numbers are a
# comparison, not a capacity figure.

set -euo pipefail

HOST=127.0.0.1
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DRIFT_CHECK=${DRIFT_CHECK:-1}
PAGE=${PAGE:-/en/answers/md-102-vs-ms-102-difference}
TODAY=2026-11-26

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() {
    echo "bench-answer-page: error: $*" >&2
    exit 1
}

# --- tools ------------------------------------------------------------------------

NGINX=$(command -v nginx || true)
if [[ -z $NGINX && -x /usr/sbin/nginx ]]; then NGINX=/usr/sbin/nginx; fi
missing=()
[[ -n $NGINX ]] || missing+=(nginx)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
    die "missing: ${missing[*]}. Install with: apt-get install -y nginx wrk curl"
fi
command -v cargo >/dev/null || die "cargo is not on PATH"

# --- scratch space and clean-up ---------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-answer-page.XXXXXX")
CERTWISE_PID=
NGINX_PID=

stop() {
    local pid=$1
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    stop "$NGINX_PID"
    stop "$CERTWISE_PID"
    wait 2>/dev/null || true
    if ((rc != 0)); then
        for log in "$TMP/certwise.log" "$TMP/nginx-error.log"; do
            if [[ -s $log ]]; then
                echo "--- last lines of $(basename "$log") ---" >&2
                tail -n 20 "$log" >&2
            fi
        done
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A port nobody listens on now (there is a small window before the server binds it).
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local p
    for _ in $(seq 100); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "found no free port"
}

# wait_for URL PID NAME: until URL answers 2xx, or PID dies, or 30 s pass.
wait_for() {
    local url=$1 pid=$2 name=$3
    for _ in $(seq 300); do
        if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
        kill -0 "$pid" 2>/dev/null || die "$name exited before answering $url"
        sleep 0.1
    done
    die "$name did not answer $url within 30 s"
}

# --- certwise ---------------------------------------------------------------------

echo "==> cargo build --release" >&2
cargo build --release
CERTWISE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/certwise"
[[ -x $CERTWISE_BIN ]] || die "no binary at $CERTWISE_BIN"

CERTWISE_PORT=${CERTWISE_PORT:-$(free_port)}
[[ $CERTWISE_PORT =~ ^[0-9]+$ ]] || die "no port for certwise"
echo "==> certwise on http://$HOST:$CERTWISE_PORT (database $TMP/certwise.db, today $TODAY)" >&2
CERTWISE_TODAY=$TODAY "$CERTWISE_BIN" serve \
    --addr "$HOST:$CERTWISE_PORT" \
    --database "sqlite://$TMP/certwise.db" \
    --content "$ROOT/content" \
    >"$TMP/certwise.log" 2>&1 &
CERTWISE_PID=$!
wait_for "http://$HOST:$CERTWISE_PORT/healthz" "$CERTWISE_PID" certwise
CERTWISE_URL="http://$HOST:$CERTWISE_PORT$PAGE"

# --- the page as a static file for nginx ------------------------------------------

DOCROOT="$TMP/docroot"
mkdir -p "$DOCROOT$(dirname "$PAGE")"
status=$(curl -sS -o "$DOCROOT$PAGE" -w '%{http_code}' "$CERTWISE_URL")
[[ $status == 200 ]] || die "certwise answered $status for $PAGE"
PAGE_BYTES=$(wc -c <"$DOCROOT$PAGE")

# --- nginx ------------------------------------------------------------------------

NGINX_PORT=${NGINX_PORT:-$(free_port)}
[[ $NGINX_PORT =~ ^[0-9]+$ ]] || die "no port for nginx"
# As root the workers would otherwise run as `nobody` and could not read the private
# temp directory; as anyone else nginx ignores `user` and keeps the caller's identity.
nginx_user=
if ((EUID == 0)); then nginx_user="user root;"; fi
cat >"$TMP/nginx.conf" <<EOF
$nginx_user
worker_processes auto;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    # nginx at its best for one static file: descriptors and metadata cached.
    open_file_cache max=1000 inactive=60s;
    open_file_cache_valid 60s;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    fastcgi_temp_path $TMP/nginx-fastcgi;
    uwsgi_temp_path $TMP/nginx-uwsgi;
    scgi_temp_path $TMP/nginx-scgi;

    server {
        listen $HOST:$NGINX_PORT;
        root $DOCROOT;
        location / {
            try_files \$uri =404;
        }
    }
}
EOF
echo "==> nginx on http://$HOST:$NGINX_PORT (config $TMP/nginx.conf)" >&2
"$NGINX" -t -q -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" -p "$TMP" || die "nginx rejected its configuration"
"$NGINX" -e "$TMP/nginx-error.log" -c "$TMP/nginx.conf" -p "$TMP" >>"$TMP/nginx-error.log" 2>&1 &
NGINX_PID=$!
NGINX_URL="http://$HOST:$NGINX_PORT$PAGE"
wait_for "$NGINX_URL" "$NGINX_PID" nginx

# --- both serve the same bytes ----------------------------------------------------

# certwise writes a fresh CSP nonce and form token into every response (same length
# each time), so pages are compared with those two values masked.
mask() { sed -E 's/nonce="[A-Za-z0-9_-]+"/nonce="N"/g; s/name="token" value="[0-9]+\.[A-Za-z0-9_-]+"/name="token" value="T"/g' "$1"; }
check_same() {
    local name=$1 url=$2 out=$TMP/check-$1 status
    status=$(curl -sS -o "$out" -w '%{http_code}' "$url")
    [[ $status == 200 ]] || die "$name answered $status for $url"
    [[ $(wc -c <"$out") -eq $PAGE_BYTES ]] || die "$name served $(wc -c <"$out") bytes, not $PAGE_BYTES"
    cmp -s <(mask "$out") <(mask "$DOCROOT$PAGE") || die "$name served a page that differs from the reference beyond nonce and token"
}
check_same certwise "$CERTWISE_URL"
check_same nginx "$NGINX_URL"
echo "==> both answer 200 with the same $PAGE_BYTES bytes (certwise's nonce and form token differ per response)" >&2

# --- wrk --------------------------------------------------------------------------

# to_ms VALUE: wrk's "346.00us", "1.23ms", "2.00s", "1.00m" as milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
        if (f < 0) { print "?"; exit 1 }
        printf "%.3f", n * f
    }'
}

ROWS=()
RAW=()
declare -A RPS

# measure LABEL URL
measure() {
    local label=$1 url=$2 out rps p50 p99 errors non2xx
    if [[ $WARMUP != 0 ]]; then
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
    fi
    echo "==> wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $url   ($label)" >&2
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    RAW+=("### $label" "" '```' "$out" '```' "")
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    [[ -n $rps && -n $p50 && -n $p99 ]] || die "could not read wrk's output for $label:"$'\n'"$out"
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
    [[ -z $non2xx ]] || die "$label answered $non2xx non-2xx/3xx responses"
    errors=$(grep -m1 'Socket errors:' <<<"$out" | sed 's/^ *Socket errors: *//' || true)
    [[ -z $errors ]] || echo "    warning: $label socket errors: $errors" >&2
    RPS[$label]=$rps
    ROWS+=("| $label | $(printf '%.0f' "$rps") | $(to_ms "$p50") | $(to_ms "$p99") |${errors:+ socket errors: $errors}")
    echo "    $label: $rps req/s, p50 $p50, p99 $p99" >&2
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
measure nginx "$NGINX_URL"
measure certwise "$CERTWISE_URL"
if [[ $DRIFT_CHECK != 0 ]]; then
    measure "nginx (again)" "$NGINX_URL"
fi

ratio=$(awk -v c="${RPS[certwise]}" -v n="${RPS[nginx]}" 'BEGIN { printf "%.3f", c / n }')
summary="certwise/nginx throughput: **$ratio** (certwise ${RPS[certwise]} req/s vs nginx ${RPS[nginx]} req/s)"
if [[ -n ${RPS["nginx (again)"]:-} ]]; then
    drift=$(awk -v a="${RPS[nginx]}" -v b="${RPS["nginx (again)"]}" 'BEGIN { printf "%+.1f", (b - a) / a * 100 }')
    summary+=$'\n\n'"nginx drift between its two runs: $drift% (a rough noise floor for the ratio)"
fi

# --- report -----------------------------------------------------------------------

stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$ROOT/bench-results"
report="$ROOT/bench-results/answer-page-$stamp.md"
table=$(
    echo "| server | req/s | p50 (ms) | p99 (ms) |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
)
{
    echo "# Answer page: certwise vs nginx static file"
    echo
    echo "- when: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- page: \`$PAGE\` ($PAGE_BYTES bytes, CERTWISE_TODAY=$TODAY)"
    echo "- wrk: \`-t$THREADS -c$CONNECTIONS -d$DURATION --latency\`, warm-up $WARMUP, client on the same host"
    echo "- host: $(uname -srm), $(nproc) CPU(s); load average before the runs $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
    echo "- certwise: $("$CERTWISE_BIN" --version 2>/dev/null || echo unknown), release build"
    echo "- nginx: $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), worker_processes auto, sendfile, access_log off"
    echo
    echo "$table"
    echo
    echo "$summary"
    echo
    echo "## wrk output"
    echo
    printf '%s\n' "${RAW[@]}"
} >"$report"

echo
echo "$table"
echo
echo "$summary"
echo
echo "written to ${report#"$ROOT"/}"

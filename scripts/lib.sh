# What the scripts that start certwise share; sourced, never run:
#
#   SCRIPT=cluster source "$ROOT/scripts/lib.sh"
#
# SCRIPT names the script in its messages. Needs curl (healthy) and python3 (free_port).

say() { printf '%s: %s\n' "$SCRIPT" "$*"; }
die() {
    printf '%s: error: %s\n' "$SCRIPT" "$*" >&2
    exit 1
}

# A loopback port nobody listens on now (another process may take it before it is bound).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stop_process PID [SECONDS]: SIGTERM, then SIGKILL if it is still there after SECONDS
# (default 12: certwise gives open requests 10 s); reaps it when it is our child.
stop_process() {
    local pid=$1 tenths=$((${2:-12} * 10))
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq "$tenths"); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# healthy PORT: whether certwise on 127.0.0.1:PORT answers /healthz with 200.
healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; }

# wait_healthy PORT PID [SECONDS]: until the process PID answers /healthz on PORT (default
# up to 60 s); returns 1 when it stopped or did not answer in time.
wait_healthy() {
    local port=$1 pid=$2 tenths=$((${3:-60} * 10))
    for _ in $(seq "$tenths"); do
        healthy "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    healthy "$port"
}

# release_binaries [EXAMPLE...]: builds certwise (and the named examples) in release mode
# and sets BIN (and GEN, the last example's path).
release_binaries() {
    local target=${CARGO_TARGET_DIR:-$ROOT/target} example
    cargo build --release --quiet || die "cargo build --release failed"
    BIN=$target/release/certwise
    [[ -x $BIN ]] || die "no release binary at $BIN"
    for example in "$@"; do
        cargo build --release --quiet --example "$example" || die "cannot build the example $example"
        GEN=$target/release/examples/$example
    done
}

# show_logs FILE...: the last lines of each non-empty file, on stderr (after a failure).
show_logs() {
    local log
    for log in "$@"; do
        [[ -s $log ]] || continue
        echo "--- last lines of $(basename "$log") ---" >&2
        tail -n 15 "$log" >&2
    done
}

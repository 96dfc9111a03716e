# What the scripts that start certwise share; sourced, never run:
#
#   ROOT=...            # the repository (release_binaries builds there)
#   SCRIPT=cluster      # the name in its messages (default: the script's file name)
#   source "$ROOT/scripts/lib.sh"
#
# Needs curl (healthy) and python3 (free_port).

say() { printf '%s: %s\n' "${SCRIPT:-${0##*/}}" "$*"; }
die() {
    printf '%s: error: %s\n' "${SCRIPT:-${0##*/}}" "$*" >&2
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
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq "$tenths"); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# healthy PORT: whether certwise on 127.0.0.1:PORT answers /healthz with 200.
healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; }

# wait_healthy PORT PID [SECONDS]: until the process PID answers /healthz on PORT (default
# up to 60 s); returns 1 when it did not answer in time, 2 when it stopped.
wait_healthy() {
    local port=$1 pid=$2 tenths=$((${3:-60} * 10))
    for _ in $(seq "$tenths"); do
        healthy "$port" && return 0
        kill -0 "$pid" 2>/dev/null || return 2
        sleep 0.1
    done
    healthy "$port"
}

# started_or_die PORT PID SECONDS WHAT: wait_healthy, or die saying whether WHAT stopped
# or did not answer (its log follows, from the exit trap).
started_or_die() {
    local status=0
    wait_healthy "$1" "$2" "$3" || status=$?
    case $status in
        0) ;;
        2) die "$4 stopped while starting (its log follows)" ;;
        *) die "$4 did not answer /healthz on port $1 within $3 s (its log follows)" ;;
    esac
}

# release_binaries [EXAMPLE...]: builds certwise (and the named examples) in release mode
# in $ROOT's target directory (or CARGO_TARGET_DIR) and sets BIN (and GEN, the last
# example's path).
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

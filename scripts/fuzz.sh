#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/*.rs) for SECONDS each, one after the other,
# and prints per target the runs, the final coverage counters (libFuzzer's `cov` and
# `ft`), the seconds run (wall clock and the fuzzer's CPU time), the CPU seconds since
# either counter last grew (`idle`), and the corpus (files and bytes, committed plus new);
# fails when a target crashes (the input is left in fuzz/artifacts/<target>/). Idle time
# is counted in the fuzzer's own CPU time, so that a fuzzer starved by other work on a
# shared machine does not look as if it had stopped finding anything. Not part of
# .ci/run: CI replays the committed corpora on stable (tests/fuzz_corpora.rs).
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# Needs cargo-fuzz (`cargo install --locked cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly`); installs neither.
# Environment:
#   PLATEAU=S       stop a target early once neither `cov` nor `ft` grew for S seconds of
#                   the fuzzer's CPU time
#   FUZZ_TARGET_DIR where the fuzz build goes (default fuzz/target)
#   FUZZ_WORK       where new corpus entries go (default a temporary directory; the
#                   committed corpus is read, never written: run `cargo fuzz cmin` and
#                   commit by hand)
#   SANITIZER       cargo fuzz's --sanitizer (default none: the crate forbids unsafe code,
#                   and the runs are about twice as fast without AddressSanitizer)
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
shift

cd "$(dirname "$0")/../fuzz"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed (cargo install --locked cargo-fuzz); nothing run" >&2
    exit 1
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz.sh: no nightly toolchain (rustup toolchain install nightly); nothing run" >&2
    exit 1
fi

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    mapfile -t targets < <(ls fuzz_targets | sed -n 's/\.rs$//p' | sort)
fi
target_dir=${FUZZ_TARGET_DIR:-$PWD/target}
sanitizer=${SANITIZER:-none}
work=${FUZZ_WORK:-$(mktemp -d)}
plateau=${PLATEAU:-0}

# The longest input per target: enough for what it reads, small enough to stay fast.
max_len() {
    case $1 in
        content) echo 16384 ;;
        markdown | team_csv) echo 8192 ;;
        advisor_query) echo 2048 ;;
        consent_cookie | search_query) echo 1024 ;;
        *) echo 512 ;;
    esac
}

cargo +nightly fuzz build -s "$sanitizer" --target-dir "$target_dir" >&2 \
    || { echo "fuzz.sh: the fuzz targets do not build" >&2; exit 1; }
bin_dir=$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release

clock_ticks=$(getconf CLK_TCK)
# The CPU seconds process $1 has used (user and system), or nothing once it is gone.
cpu_seconds() {
    local ticks
    ticks=$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null) || return 0
    [[ -z $ticks ]] || echo $((ticks / clock_ticks))
}

printf '%-15s %12s %7s %7s %8s %6s %6s %6s %9s\n' target runs cov ft seconds cpu idle files bytes
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$work/$t" artifacts/"$t"
    log=$work/$t.log
    "$bin_dir/$t" "$work/$t" "corpus/$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=artifacts/"$t"/ \
        >"$log" 2>&1 &
    pid=$!
    start=$SECONDS cov=0 ft=0 cpu=0 cpu_new=0
    while kill -0 "$pid" 2>/dev/null; do
        sleep 2
        now=$(cpu_seconds "$pid")
        [[ -z $now ]] || cpu=$now
        read -r c f < <(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 | awk '{print $2, $4}') || true
        if [[ -n ${c:-} && ( $c -gt $cov || $f -gt $ft ) ]]; then
            cov=$c ft=$f cpu_new=$cpu
        fi
        if [[ $plateau -gt 0 && $((cpu - cpu_new)) -ge $plateau ]]; then
            kill -INT "$pid" 2>/dev/null || true
        fi
    done
    status=0
    wait "$pid" || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    read -r cov ft < <(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 | awk '{print $2, $4}') || true
    files=$(find "corpus/$t" "$work/$t" -type f | wc -l)
    bytes=$(find "corpus/$t" "$work/$t" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
    elapsed=$((SECONDS - start))
    printf '%-15s %12s %7s %7s %8s %6s %6s %6s %9s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" \
        "$elapsed" "$cpu" "$((cpu - cpu_new))" "$files" "$bytes"
    # libFuzzer exits 0 at the time limit, 72 (-interrupted) when stopped at a plateau.
    if grep -qE '^==[0-9]+== ERROR: libFuzzer|^SUMMARY: libFuzzer|panicked at|Test unit written to' "$log"; then
        echo "fuzz.sh: $t CRASHED (exit $status); the input is in fuzz/artifacts/$t/, the log in $log" >&2
        grep -E 'panicked at|Test unit written to' "$log" | head -5 >&2
        failed+=("$t")
    fi
done
echo "new corpus entries and logs: $work" >&2
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz.sh: crashed: ${failed[*]}" >&2
    exit 1
fi

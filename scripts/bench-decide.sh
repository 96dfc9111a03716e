#!/usr/bin/env bash
# The advisor and team planner figures for BENCHMARKS.md ("Advisor and team planner"): the
# criterion bench `benches/decide.rs` on a synthetic catalog of 1,000 certifications
# (examples/gen_catalog, seed 1, as of 2026-11-20), generated once into a work dir under
# target/. Usage: scripts/bench-decide.sh [extra criterion arguments, e.g. --quick]
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/bench-decide
content="$work/gen-1k"
cargo build --release --quiet --example gen_catalog
if [ ! -f "$content/site.toml" ]; then
  mkdir -p "$work"
  target/release/examples/gen_catalog "$content" --certs 1000 --answers 1000
fi
# Its own baseline, so criterion's "change" compares with the last run on this catalog, not
# with a run on the sample content.
CERTWISE_BENCH_CONTENT="$PWD/$content" cargo bench --bench decide -- --save-baseline gen-1k "$@"
lscpu | grep 'Model name'

#!/usr/bin/env bash
# schemathesis against the OpenAPI description of a running certwise:
#
#   scripts/schemathesis.sh http://127.0.0.1:8080
#
# Loads BASE_URL/api/v1/openapi.json and tests every operation it describes with
# schemathesis' default phases (examples, coverage, fuzzing, stateful) and checks, data
# that fits the schemas and data that does not. The run fails on any failure, among them:
# a 5xx (not_a_server_error), a status, content type, header or body the description does
# not document (status_code_conformance, content_type_conformance,
# response_headers_conformance, response_schema_conformance), invalid data accepted
# (negative_data_rejection), another method not answered 405 with `Allow`
# (unsupported_method). Reports (JUnit XML, and the failures as a pytest file) go to
# artifacts/schemathesis/ (git-ignored).
#
# One default check is tuned, in scripts/schemathesis.toml: positive_data_acceptance also
# accepts 400 and 422 there. Whether a well-formed value names something that exists (a
# locale, a topic, a responsibility id, a held code, the rows of a CSV) depends on the
# content, which a schema cannot state; the API answers those with the 400 or 422 the
# description documents.
#
# The advisor and planner endpoints allow 60 requests a minute per client (429 with
# `Retry-After`, documented, so it conforms); schemathesis sends far more, so start the
# server with `--limit-decide-per-minute 100000` (.ci/run does): a run whose requests
# there mostly met the limit fails (scripts/schemathesis.toml), having tested little.
# The warning that the advisor "mostly rejected generated data" is expected: random
# responsibility ids are not the catalog's (422), and only the content could list them.
#
# Needs schemathesis (PyPI) on PATH or at $SCHEMATHESIS. .ci/run installs the pinned
# version in a virtual environment (git-ignored), and starts the server as above:
#   python3 -m venv .venv-schemathesis && .venv-schemathesis/bin/pip install schemathesis==4.32.5
#
# Environment (all optional):
#   SCHEMATHESIS=schemathesis   the command
#   MAX_EXAMPLES=100            test cases per operation and phase
#   SEED=                       a seed, to repeat a run
#   OUT=artifacts/schemathesis  where the reports go (emptied first)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCHEMATHESIS=${SCHEMATHESIS:-schemathesis}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
OUT=${OUT:-$ROOT/artifacts/schemathesis}

die() {
    echo "schemathesis.sh: error: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || die "usage: scripts/schemathesis.sh BASE_URL (e.g. http://127.0.0.1:8080)"
BASE_URL=${1%/}
[[ $BASE_URL =~ ^https?://[^/]+$ ]] || die "BASE_URL must be scheme://host[:port] without a path, not \"$1\""
[[ $MAX_EXAMPLES =~ ^[1-9][0-9]*$ ]] || die "MAX_EXAMPLES must be a positive number, not \"$MAX_EXAMPLES\""
[[ -z ${SEED:-} || $SEED =~ ^[0-9]+$ ]] || die "SEED must be a number, not \"$SEED\""

command -v "$SCHEMATHESIS" >/dev/null ||
    die "$SCHEMATHESIS not found; install it: python3 -m venv .venv-schemathesis && .venv-schemathesis/bin/pip install schemathesis==4.32.5, then SCHEMATHESIS=.venv-schemathesis/bin/schemathesis"
version=$("$SCHEMATHESIS" --version) || die "\`$SCHEMATHESIS --version\` failed"

SCHEMA=$BASE_URL/api/v1/openapi.json
command -v python3 >/dev/null || die "python3 not found; install as root: apt-get install -y python3 python3-venv"
# The description answers 200 before anything is tested: a dead server is no result.
status=$(python3 -c '
import sys, urllib.request, urllib.error
try:
    print(f"status {urllib.request.urlopen(sys.argv[1], timeout=10).status}")
except urllib.error.HTTPError as e:
    print(f"status {e.code}")
except Exception as e:
    print(f"no answer ({e})")
' "$SCHEMA")
[[ $status == "status 200" ]] || die "GET $SCHEMA: $status, expected status 200"

rm -rf "$OUT"
mkdir -p "$OUT"
echo "$version against $SCHEMA, at most $MAX_EXAMPLES examples per operation${SEED:+, seed $SEED}"
args=(
    --config-file "$ROOT/scripts/schemathesis.toml"
    run "$SCHEMA"
    --max-examples "$MAX_EXAMPLES"
    --request-timeout 10
    --report junit,pytest
    --report-dir "$OUT"
)
[[ -n ${SEED:-} ]] && args+=(--seed "$SEED")
"$SCHEMATHESIS" "${args[@]}" || die "schemathesis found failures (above; reports in $OUT)"

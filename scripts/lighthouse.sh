#!/usr/bin/env bash
# Lighthouse on the home page, the reference answer page (in English and German), a search
# and the advisor of a running certwise:
#
#   scripts/lighthouse.sh http://127.0.0.1:8080
#
# Each page is audited RUNS times (default 3) with Lighthouse's default, mobile, settings
# (a 412×823 phone, simulated slow 4G and a 4× slower CPU), each run in its own headless
# Chromium with a fresh profile. The score of each category is the median of the runs. The
# script fails unless, for every page, accessibility, best practices and SEO are 100 and
# performance is at least 90. It prints every audit that cost points (with Lighthouse's
# explanation and the elements or URLs concerned) and keeps each run's report, HTML and
# JSON, in artifacts/lighthouse/ (git-ignored).
#
# Needs Node, the npm packages of package.json (`npm ci`: lighthouse is pinned, since
# scores move between versions) and Chromium (`apt-get install -y chromium`).
#
# Environment (all optional):
#   RUNS=3                      runs per page (the median of an even number is the mean of
#                               the middle two)
#   CHROME_PATH=/usr/bin/chromium
#   OUT=artifacts/lighthouse    where the reports go (emptied first)
#   PAGES="/en/ /en/answers/md-102-vs-ms-102-difference /en/search?q=intune /en/advisor /de/answers/md-102-vs-ms-102-unterschied"
#
# .ci/run starts a release build of certwise on a free loopback port over the sample
# content and a temporary database, and runs this script against it.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-3}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=${OUT:-$ROOT/artifacts/lighthouse}
PAGES=${PAGES:-/en/ /en/answers/md-102-vs-ms-102-difference /en/search?q=intune /en/advisor /de/answers/md-102-vs-ms-102-unterschied}
LIGHTHOUSE=$ROOT/node_modules/.bin/lighthouse
# The thresholds: every category at least this score (0–100).
MIN_PERFORMANCE=90
MIN_ACCESSIBILITY=100
MIN_BEST_PRACTICES=100
MIN_SEO=100

die() {
    echo "lighthouse.sh: error: $*" >&2
    exit 1
}

[[ $# -eq 1 ]] || die "usage: scripts/lighthouse.sh BASE_URL (e.g. http://127.0.0.1:8080)"
BASE_URL=${1%/}
[[ $BASE_URL =~ ^https?://[^/]+$ ]] || die "BASE_URL must be scheme://host[:port] without a path, not \"$1\""
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not \"$RUNS\""

command -v node >/dev/null || die "node not found on PATH; install as root: apt-get install -y nodejs npm"
[[ -x $LIGHTHOUSE ]] || die "$LIGHTHOUSE not found; run in the repository root: npm ci"
[[ -x $CHROME_PATH ]] || die "no Chromium at CHROME_PATH=$CHROME_PATH; install as root: apt-get install -y chromium"
version=$("$LIGHTHOUSE" --version) || die "\`$LIGHTHOUSE --version\` failed"

# The pages answer 200 before anything is measured: a 404 audited three times is no result.
for page in $PAGES; do
    status=$(node -e '
        fetch(process.argv[1]).then(
          (r) => console.log(`status ${r.status}`),
          (e) => console.log(`no answer (${e.cause?.code ?? e.cause?.errors?.[0]?.code ?? e.cause?.message ?? e.message})`),
        )' "$BASE_URL$page")
    [[ $status == "status 200" ]] || die "GET $BASE_URL$page: $status, expected status 200"
done

rm -rf "$OUT"
mkdir -p "$OUT"
PROFILES=$(mktemp -d "${TMPDIR:-/tmp}/lighthouse-profiles.XXXXXX")
trap 'rm -rf "$PROFILES"' EXIT

echo "Lighthouse $version, Chromium $("$CHROME_PATH" --version 2>/dev/null | grep -oE '[0-9]+(\.[0-9]+)+' | head -1), $RUNS run(s) per page, mobile (the default)"
started=$SECONDS
reports=()
for page in $PAGES; do
    name=$(printf '%s' "$page" | sed -e 's#^/##' -e 's#/$##' -e 's#[^A-Za-z0-9._-]#_#g')
    for run in $(seq "$RUNS"); do
        base="$OUT/$name-run$run"
        profile="$PROFILES/$name-$run"
        mkdir -p "$profile"
        printf '  %s run %d … ' "$page" "$run"
        run_started=$SECONDS
        # A run that Lighthouse itself cannot finish (a runtime error such as NO_NAVSTART,
        # the trace of a page load not recorded) is run again, up to twice, in a fresh profile: it
        # says nothing about the page. A third failure ends the script; scores are never
        # retried.
        for attempt in 1 2 3; do
            rm -rf "$profile"
            mkdir -p "$profile"
            if "$LIGHTHOUSE" "$BASE_URL$page" \
                --quiet \
                --output=json --output=html --output-path="$base" \
                --only-categories=performance,accessibility,best-practices,seo \
                --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$profile" \
                >"$base.log" 2>&1; then
                break
            fi
            if [[ $attempt == 3 ]] || ! grep -q 'Runtime error encountered' "$base.log"; then
                echo "FAILED"
                cat "$base.log" >&2
                die "lighthouse failed on $BASE_URL$page (run $run); its output is above and in $base.log"
            fi
            printf '(Lighthouse runtime error: %s; again) … ' "$(grep -o 'Runtime error encountered: [^(]*([A-Z_]*)' "$base.log" | head -1 | sed 's/Runtime error encountered: //')"
        done
        echo "$((SECONDS - run_started)) s"
        reports+=("$page=$base.report.json")
        rm -rf "$profile"
    done
done
echo "  ($((SECONDS - started)) s in all; reports in ${OUT#"$ROOT"/})"

# The medians, the verdict and what cost points.
node - "$MIN_PERFORMANCE" "$MIN_ACCESSIBILITY" "$MIN_BEST_PRACTICES" "$MIN_SEO" "${reports[@]}" <<'EOF'
const fs = require('node:fs');
const [perf, a11y, bp, seo, ...reports] = process.argv.slice(2);
const MIN = { performance: +perf, accessibility: +a11y, 'best-practices': +bp, seo: +seo };
const CATEGORIES = Object.keys(MIN);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A readable line for one item of an audit's details (an element, a URL, a value). */
const item = (i) => {
  if (i.node) return `${i.node.selector ?? ''} ${i.node.snippet ?? ''}`.trim() + (i.node.explanation ? ` — ${i.node.explanation.replace(/\s+/g, ' ')}` : '');
  const parts = [];
  for (const [k, v] of Object.entries(i)) {
    if (v === null || v === undefined || typeof v === 'object') continue;
    parts.push(`${k}: ${String(v).replace(/\s+/g, ' ')}`);
  }
  return parts.join(', ');
};

const byPage = new Map();
for (const arg of reports) {
  const at = arg.lastIndexOf('='); // the page may have a query (?q=…), the report path has no '='
  const page = arg.slice(0, at);
  const file = arg.slice(at + 1);
  const lhr = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!byPage.has(page)) byPage.set(page, []);
  byPage.get(page).push({ file, lhr });
}

let failed = false;
const problems = [];
console.log('\nmedian scores (each run in brackets); thresholds: ' + CATEGORIES.map((c) => `${c} ≥ ${MIN[c]}`).join(', '));
for (const [page, runs] of byPage) {
  for (const { file, lhr } of runs) {
    if (lhr.runtimeError) {
      failed = true;
      problems.push(`${page}: ${file}: Lighthouse could not audit the page: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    }
    for (const w of lhr.runWarnings ?? []) console.log(`  warning (${page}): ${w}`);
  }
  const cells = [];
  for (const c of CATEGORIES) {
    const scores = runs.map(({ lhr }) => lhr.categories[c]?.score);
    if (scores.some((s) => typeof s !== 'number')) {
      failed = true;
      cells.push(`${c} no score`);
      problems.push(`${page}: ${c}: a run has no score (${JSON.stringify(scores)})`);
      continue;
    }
    const points = scores.map((s) => Math.round(s * 100));
    const m = median(points);
    const ok = m >= MIN[c];
    if (!ok) {
      failed = true;
      problems.push(`${page}: ${c} ${m} (runs ${points.join(', ')}), needs ≥ ${MIN[c]}`);
    }
    cells.push(`${c} ${m} [${points.join(' ')}]${ok ? '' : ' FAIL'}`);
  }
  console.log(`  ${page}: ${cells.join(', ')}`);
}

// What cost points, in any run: each audit of a category whose score is below 1, with how
// many runs it failed in, and its details from the first run it failed in.
console.log('\naudits that cost points (runs failed / runs):');
let any = false;
for (const [page, runs] of byPage) {
  const first = runs[0].lhr;
  for (const c of CATEGORIES) {
    const category = first.categories[c];
    if (!category) continue;
    for (const ref of category.auditRefs) {
      if (ref.weight === 0 && c !== 'performance') continue;
      const failing = runs.filter(({ lhr }) => {
        const a = lhr.audits[ref.id];
        return a && typeof a.score === 'number' && a.score < (c === 'performance' ? 0.9 : 1) && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable';
      });
      if (failing.length === 0) continue;
      // Performance: only the audits that count (metrics) and the ones Lighthouse flags.
      if (c === 'performance' && ref.weight === 0 && !ref.group?.startsWith('load-opportunities') && ref.group !== 'diagnostics') continue;
      any = true;
      const a = failing[0].lhr.audits[ref.id];
      const value = a.displayValue ? ` (${a.displayValue})` : '';
      console.log(`  ${page} ${c}: ${ref.id}: ${a.title}${value} — score ${a.score}, weight ${ref.weight}, failed in ${failing.length}/${runs.length}`);
      if (a.explanation) console.log(`      why: ${a.explanation.replace(/\s+/g, ' ')}`);
      if (a.errorMessage) console.log(`      error: ${a.errorMessage.replace(/\s+/g, ' ')}`);
      const items = a.details?.items ?? [];
      for (const i of items.slice(0, 8)) {
        const line = item(i);
        if (line) console.log(`      - ${line}`);
        for (const sub of i.subItems?.items?.slice(0, 4) ?? []) {
          const s = item(sub);
          if (s) console.log(`          ${s}`);
        }
      }
      if (items.length > 8) console.log(`      … and ${items.length - 8} more`);
    }
  }
}
if (!any) console.log('  none');

if (failed) {
  console.log(`\nLighthouse: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('\nLighthouse: ok');
EOF

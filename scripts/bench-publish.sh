#!/usr/bin/env bash
# How long a publish from the editors' area takes, for BENCHMARKS.md: a synthetic catalog
# (examples/gen_catalog, 1,000 certifications, ANSWERS answers) is imported, a publisher
# logs in over HTTP and publishes an edit of one answer's question RUNS times. Each figure
# is the time of `POST /admin/edit/…` with `action=publish` until its 303 — the check of the
# whole content, the transaction (revision, derived catalog, new generation) and the swap of
# this instance's snapshot (the handler waits for it) — and the public page is then fetched
# to confirm that it shows the edit. The import time of the same catalog is printed beside
# it, measured in the same run.
#
#   scripts/bench-publish.sh [OUT_DIR]          # ANSWERS=10000 RUNS=5
#
# Loopback only; needs curl and python3. OUT_DIR (default: a temporary directory) keeps the
# generated catalog between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSWERS=${ANSWERS:-10000}
RUNS=${RUNS:-5}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "bench-publish.sh: $tool not found" >&2; exit 1; }
done
cargo build --release --quiet --bin certwise --example gen_catalog
bin=${CARGO_TARGET_DIR:-target}/release/certwise
gen=${CARGO_TARGET_DIR:-target}/release/examples/gen_catalog

content="$work/gen-$ANSWERS"
[ -d "$content" ] || "$gen" "$content" --certs 1000 --answers "$ANSWERS" >/dev/null
db="$work/publish-$ANSWERS.db"
rm -f "$db" "$db-wal" "$db-shm"
url="sqlite://$db"

start=$(date +%s.%N)
"$bin" import "$content" --database "$url" 2>/dev/null
import_s=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")

echo 'temporary password here' | "$bin" user add bench@example.ch --role publisher --password-stdin --database "$url" 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --addr "127.0.0.1:$port" --database "$url" --content "$content" --today 2026-11-26 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

python3 - "$port" "$RUNS" "$import_s" "$ANSWERS" <<'PY'
import http.cookiejar, re, sys, time, urllib.parse, urllib.request

port, runs, import_s, answers = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None

opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
ORIGIN = {"Origin": base}

def get(path):
    with opener.open(urllib.request.Request(base + path)) as r:
        return r.read().decode()

def post(path, fields):
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(base + path, data=data, headers=ORIGIN)
    try:
        with opener.open(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()

token = lambda html: re.search(r'name="token" value="([^"]*)"', html).group(1)
status, _ = post("/admin/login", {"email": "bench@example.ch", "password": "temporary password here",
                                  "token": token(get("/admin/login")), "next": "/admin/"})
assert status == 303, status
new = "a publisher's own password 1"
status, _ = post("/admin/password", {"current": "temporary password here", "new": new, "repeat": new,
                                     "token": token(get("/admin/password"))})
assert status in (200, 303), status

# The first answer of the default locale.
page = get("/admin/content?kind=answers")
path = re.search(r'href="/admin/edit/(answers/[^"]+)"', page).group(1)
locale, slug = re.match(r"answers/([^/]+)/(.+)\.md", path).groups()

def fields_of(html):
    form = html[html.index('class="admin-edit"'):]
    form = form[:form.index("</form>")]
    unescape = lambda s: (s.replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<")
                          .replace("&gt;", ">").replace("&amp;", "&"))
    out = {}
    for m in re.finditer(r'<input[^>]*\bname="([^"]+)"[^>]*>', form):
        v = re.search(r'\bvalue="([^"]*)"', m.group(0))
        out[m.group(1)] = unescape(v.group(1)) if v else ""
    for m in re.finditer(r'(?s)<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', form):
        text = m.group(2)
        out[m.group(1)] = unescape(text[1:] if text.startswith("\n") else text)
    for m in re.finditer(r'(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', form):
        s = re.search(r"<option selected>([^<]*)</option>", m.group(2))
        out[m.group(1)] = unescape(s.group(1)) if s else ""
    return out

times = []
for i in range(runs):
    fields = fields_of(get(f"/admin/edit/{path}"))
    question = f"Benchmark question {i} {time.time_ns()}?"
    fields.update({"question": question, "action": "publish", "message": f"bench {i}"})
    t = time.perf_counter()
    status, body = post(f"/admin/edit/{path}", fields)
    elapsed = time.perf_counter() - t
    assert status == 303, (status, body[:2000])
    assert question in get(f"/{locale}/answers/{slug}"), "the public page shows the edit"
    times.append(elapsed)

times.sort()
print(f"answers: {answers}; import: {import_s} s; publish (POST to 303, live on this instance), "
      f"{runs} runs: median {times[len(times) // 2]:.2f} s, min {times[0]:.2f} s, max {times[-1]:.2f} s")
PY

#!/usr/bin/env python3
"""The soak's load and its record (issue 14): a mixed load against one `certwise serve`
for MINUTES, a line every 30 s, and the verdict. Run by scripts/soak.sh.

Readers come from several loopback addresses (`--sources`, default 127.0.0.2…127.0.0.9;
each worker binds its socket to one): the server counts limits per peer address, so no
address is refused for being one busy client. Each address stays under the per-client
POST limits of INTERFACES.md on its own (`Budget`, below), so a 429 is an error like any
other. Every worker, in a loop, picks one of:

- a page in en, de or fr: home, an answer of the catalog, a certification, a course, the
  lists (answers, certifications, courses, topics) at a random page, a topic;
- a search (the page, or `/api/v1/search`);
- the advisor page with choices (its canonical redirect followed), the advisor API, the
  planner API with a team CSV, or the planner page with the CSV uploaded as a file;
- a consent decision (the form's token from a page it read, the 303 followed);
- a course inquiry (the course page read for its token and a session, the 303 to the
  thanks page followed).

One editor (a publisher, from the last source address) publishes an edit of an answer's
question every 10 s (or at once after the previous one when that took longer) through the
editors' area (the edit form read, `action=publish`, until its 303) and then reads the
public page, which must show the new question.

A request fails when the connection fails or times out, or the status is not the one
expected (200 for pages and the API, 303 for the forms and the publish). Every 30 s a
line: requests/s, p50 and p99 latency of the readers' requests (the editor's are slower
by design and reported apart), failures, and the server's resident memory (VmRSS) and
open descriptors (/proc/PID/fd), read every second: the median of the interval and its
maximum. The verdict: no failed request, every worker still running at the end (one that
died of an exception counts as a failure, by the exception's kind), at least one
publish per 10 s less one, and RSS and descriptors over the last minute (the median of
its readings) within 10 % of those over minute 2. Exit status 1 otherwise.

Standard library only (http.client and threads).
"""

import argparse
import collections
import gzip
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse

from certwise_http import SESSION, TOKEN, Staff

LOCALES = ("en", "de", "fr")
LOC = re.compile(r"<loc>([^<]+)</loc>")
RESPONSIBILITY = re.compile(r'<select id="r-[^"]+" name="([^"]+)"')
WORDS = ("azure", "security", "exam", "difference", "administrator", "cloud", "data", "network",
         "renewal", "cost", "prüfung", "sécurité", "md-102", "teams", "identity", "path")
FIRST_NAMES = ("Alex", "Sam", "Robin", "Kim", "Noa", "Luca", "Mia", "Jan")


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


class Budget:
    """One source address's POSTs, counted as the server counts them: a fixed window per
    wall-clock minute (`web::limits::RateLimiter`, `Utc::now()` on the same clock). Each
    kind may use `share` of its limit per window, spread evenly over the minute, and none
    is sent in the last `quiet` seconds of a minute, so a request queued behind others
    still reaches the server in the window it was counted in. A worker whose budget is
    spent for now reads a page instead."""

    def __init__(self, limits, share=0.8, quiet=6):
        self.allowed = {kind: max(1, int(limit * share)) for kind, limit in limits.items()}
        self.quiet = quiet
        self.lock = threading.Lock()
        self.used = {}

    def take(self, kind):
        now = time.time()
        minute, second = divmod(now, 60)
        if second >= 60 - self.quiet:
            return False
        with self.lock:
            key = (kind, int(minute))
            due = min(self.allowed[kind], 1 + int(second / (60 - self.quiet) * self.allowed[kind]))
            if self.used.get(key, 0) >= due:
                return False
            self.used = {k: v for k, v in self.used.items() if k[1] == int(minute)}
            self.used[key] = self.used.get(key, 0) + 1
            return True


class Stats:
    """Every request's kind, latency and failure; read per interval and in total."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []  # readers' requests of this interval, ms
        self.editor_ms = []  # publishes of this interval, ms
        self.interval_requests = 0
        self.interval_failures = collections.Counter()
        self.kinds = collections.Counter()
        self.failures = collections.Counter()
        self.examples = []  # the first failures in detail
        self.acknowledged = collections.Counter()  # writes the server confirmed (303)

    def record(self, kind, ms, failure=None, detail=None, editor=False):
        with self.lock:
            self.kinds[kind] += 1
            self.interval_requests += 1
            if editor:
                if kind == "publish" and failure is None:
                    self.editor_ms.append(ms)
            else:
                self.latencies.append(ms)
            if failure is None and kind in ("consent", "inquiry", "publish"):
                self.acknowledged[kind] += 1
            if failure is not None:
                self.failures[failure] += 1
                self.interval_failures[failure] += 1
                if len(self.examples) < 30:
                    self.examples.append({"failure": failure, **(detail or {})})

    def interval(self):
        with self.lock:
            taken = (self.interval_requests, sorted(self.latencies), sorted(self.editor_ms),
                     self.interval_failures)
            self.latencies, self.editor_ms, self.interval_requests = [], [], 0
            self.interval_failures = collections.Counter()
            return taken


class Connection:
    """A keep-alive connection from one source address, with the cookies a browser would
    keep (the consent decision). `request` returns `(status, headers, text)` or raises
    OSError / HTTPException."""

    def __init__(self, host, port, source, timeout=30):
        self.host, self.port, self.source, self.timeout = host, port, source, timeout
        self.conn = None
        self.cookies = {}

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def request(self, method, path, body=None, content_type=None, extra=None):
        headers = {"Host": f"{self.host}:{self.port}", "Accept-Encoding": "gzip",
                   "User-Agent": "certwise-soak"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        headers.update(extra or {})
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout,
                                                   source_address=(self.source, 0))
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except BaseException:
            self.close()
            raise
        if response.getheader("Content-Encoding", "") == "gzip":
            raw = gzip.decompress(raw)
        for value in response.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            name, _, cookie = pair.partition("=")
            if "max-age=0" in value.lower() or not cookie:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie.strip()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.headers, raw.decode("utf-8", "replace")


class Catalog:
    """What there is to read, from the sitemap (every public page of every locale) and the
    advisor's form (the responsibilities)."""

    def __init__(self):
        self.pages = collections.defaultdict(list)  # kind -> paths
        self.responsibilities = []
        self.codes = []

    def discover(self, conn):
        def get(path):
            status, _, text = conn.request("GET", path)
            if status != 200:
                raise RuntimeError(f"discovery: GET {path} answered {status}")
            return text

        index = get("/sitemap.xml")
        parts = [urllib.parse.urlsplit(u).path for u in LOC.findall(index)]
        urls = []
        if any(p.startswith("/sitemaps/") for p in parts):
            for part in parts:
                urls += [urllib.parse.urlsplit(u).path for u in LOC.findall(get(part))]
        else:
            urls = parts
        for path in urls:
            segments = path.strip("/").split("/")
            if len(segments) == 3 and segments[0] in LOCALES:
                self.pages[segments[1]].append(path)
            elif len(segments) == 1 and segments[0] in LOCALES:
                self.pages["home"].append(path)
        self.responsibilities = RESPONSIBILITY.findall(get("/en/advisor"))
        self.codes = [p.rsplit("/", 1)[1].upper() for p in self.pages["certifications"] if p.startswith("/en/")]
        for kind in ("answers", "certifications", "courses", "topics"):
            if not self.pages[kind]:
                raise RuntimeError(f"discovery: the sitemap lists no {kind}")
        if not self.responsibilities:
            raise RuntimeError("discovery: the advisor page lists no responsibilities")
        return {kind: len(paths) for kind, paths in sorted(self.pages.items())}


class Reader(threading.Thread):
    """One simulated reader on one source address."""

    ACTIONS = (  # (action, weight)
        ("home", 8), ("answer", 30), ("answer_list", 4), ("certification", 10), ("certification_list", 3),
        ("course", 5), ("course_list", 2), ("topic", 3), ("topic_list", 1), ("search_page", 7),
        ("search_api", 4), ("advisor_page", 5), ("advisor_api", 3), ("plan_api", 1), ("plan_upload", 1),
        ("consent", 6), ("inquiry", 2),
    )

    def __init__(self, number, host, port, source, budget, catalog, stats, stop):
        super().__init__(daemon=True, name=f"reader-{number}")
        self.number, self.budget, self.catalog, self.stats, self.stop = number, budget, catalog, stats, stop
        self.conn = Connection(host, port, source)
        self.random = random.Random(number)
        self.token = None  # (token, when read)
        self.inquiries = 0
        actions, weights = zip(*self.ACTIONS)
        self.choose = lambda: self.random.choices(actions, weights)[0]

    # -- one request, counted ------------------------------------------------------------

    def call(self, kind, method, path, body=None, content_type=None, expect=200, extra=None):
        started = time.monotonic()
        status, headers, text, failure = None, None, "", None
        try:
            status, headers, text = self.conn.request(method, path, body, content_type, extra)
            if status not in (expect if isinstance(expect, tuple) else (expect,)):
                failure = f"{kind}: HTTP {status}"
        except (OSError, http.client.HTTPException) as e:
            failure = f"{kind}: {type(e).__name__}"
            text = str(e)
        ms = (time.monotonic() - started) * 1000
        detail = {"path": path, "status": status, "body": text[:300]} if failure else None
        self.stats.record(kind, ms, failure, detail)
        if failure is None:
            match = TOKEN.search(text)
            if match:
                self.token = (match.group(1), time.monotonic())
        return failure is None, headers, text

    # -- the actions ---------------------------------------------------------------------

    def locale(self):
        return self.random.choice(LOCALES)

    def pick(self, kind):
        return self.random.choice(self.catalog.pages[kind])

    def page_of_list(self, path, pages):
        n = self.random.randint(1, pages)
        return path if n == 1 else f"{path}?page={n}"

    def run(self):
        while not self.stop.is_set():
            action = self.choose()
            getattr(self, "do_" + action)()

    def do_home(self):
        self.call("page:home", "GET", f"/{self.locale()}/")

    def do_answer(self):
        self.call("page:answer", "GET", self.pick("answers"))

    def do_answer_list(self):
        # 20 a page (INTERFACES.md); each locale has its share of the catalog.
        locale = self.locale()
        pages = max(1, sum(1 for p in self.catalog.pages["answers"] if p.startswith(f"/{locale}/")) // 20)
        self.call("page:list", "GET", self.page_of_list(f"/{locale}/answers/", pages))

    def do_certification(self):
        self.call("page:certification", "GET", self.pick("certifications"))

    def do_certification_list(self):
        pages = max(1, len(self.catalog.codes) // 20)
        self.call("page:list", "GET", self.page_of_list(f"/{self.locale()}/certifications/", pages))

    def do_course(self):
        self.call("page:course", "GET", self.pick("courses"))

    def do_course_list(self):
        self.call("page:list", "GET", f"/{self.locale()}/courses/")

    def do_topic(self):
        self.call("page:topic", "GET", self.pick("topics"))

    def do_topic_list(self):
        self.call("page:list", "GET", f"/{self.locale()}/topics/")

    def query(self):
        words = self.random.sample(WORDS, self.random.randint(1, 2))
        if self.random.random() < 0.3 and self.catalog.codes:
            words = [self.random.choice(self.catalog.codes)]
        return urllib.parse.quote(" ".join(words))

    def do_search_page(self):
        self.call("search", "GET", f"/{self.locale()}/search?q={self.query()}")

    def do_search_api(self):
        self.call("search", "GET", f"/api/v1/search?q={self.query()}")

    def needs(self):
        ids = self.random.sample(self.catalog.responsibilities, self.random.randint(1, 3))
        return {i: self.random.randint(1, 3) for i in ids}

    def do_advisor_page(self):
        locale = self.locale()
        query = urllib.parse.urlencode(self.needs())
        # A query in another order than the canonical one is redirected to it (303).
        ok, headers, _ = self.call("advisor", "GET", f"/{locale}/advisor?{query}", expect=(200, 303))
        location = headers.get("Location") if ok else None
        if location:
            self.call("advisor", "GET", location)

    def do_advisor_api(self):
        if not self.budget.take("decide"):
            return self.do_answer()
        held = self.random.sample(self.catalog.codes, 1) if self.catalog.codes else []
        body = json.dumps({"responsibilities": self.needs(), "held": held})
        self.call("advisor", "POST", "/api/v1/advisor", body, "application/json")

    def team_csv(self):
        rows = ["name,responsibilities,held,assigned"]
        for i in range(self.random.randint(2, 12)):
            needs = ";".join(f"{k}:{v}" for k, v in self.needs().items())
            assigned = self.random.choice(self.catalog.codes) if self.random.random() < 0.3 else ""
            rows.append(f"{self.random.choice(FIRST_NAMES)} {i},{needs},,{assigned}")
        return "\n".join(rows) + "\n"

    def do_plan_api(self):
        if not self.budget.take("decide"):
            return self.do_answer()
        self.call("planner", "POST", "/api/v1/plan", self.team_csv(), "text/csv; charset=utf-8")

    def do_plan_upload(self):
        if not self.budget.take("decide"):
            return self.do_answer()
        boundary = f"soak{self.random.getrandbits(64):016x}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csv"\r\n\r\n\r\n',
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="team.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n{self.team_csv()}\r\n",
            f"--{boundary}--\r\n",
        ]
        self.call("planner", "POST", f"/{self.locale()}/plan", "".join(parts).encode(),
                  f"multipart/form-data; boundary={boundary}")

    def fresh_token(self, locale):
        # Tokens are valid for a while; one older than a minute is read again.
        if self.token is None or time.monotonic() - self.token[1] > 60:
            self.call("page:cookies", "GET", f"/{locale}/cookies")
        return self.token[0] if self.token else None

    def do_consent(self):
        if not self.budget.take("consent"):
            return self.do_answer()
        locale = self.locale()
        token = self.fresh_token(locale)
        if token is None:
            return
        action = self.random.choice(("accept_all", "reject_all", "withdraw"))
        form = urllib.parse.urlencode({"token": token, "action": action, "return_to": f"/{locale}/"})
        ok, headers, _ = self.call("consent", "POST", "/consent", form, expect=303)
        if ok:
            self.call("page:home", "GET", headers.get("Location"))

    def do_inquiry(self):
        if not self.budget.take("inquiry"):
            return self.do_answer()
        course = self.pick("courses")
        ok, _, page = self.call("page:course", "GET", course)
        token = TOKEN.search(page) if ok else None
        if not token:
            return
        session = SESSION.search(page)
        self.inquiries += 1
        form = urllib.parse.urlencode({
            "token": token.group(1),
            "name": "Soak Reader",
            "email": f"soak-{self.number}-{self.inquiries}-{os.getpid()}@example.com",
            "session": session.group(1) if session else "",
            "message": "A question from the soak test.",
            "agree": "yes",
            "website": "",
        })
        ok, headers, _ = self.call("inquiry", "POST", f"{course}/inquiry", form, expect=303)
        if ok:
            self.call("page:thanks", "GET", headers.get("Location"))


class Editor(threading.Thread):
    """A publisher: logs in (changing the temporary password), then every `every` seconds
    publishes a new question for one of a few answers and checks the public page shows it."""

    def __init__(self, base, source, email, password, catalog, stats, stop, every=10.0):
        super().__init__(daemon=True, name="editor")
        self.base, self.source, self.email, self.password = base, source, email, password
        self.catalog, self.stats, self.stop, self.every = catalog, stats, stop, every
        self.published = 0

    def timed(self, kind, fn, expect, detail):
        started = time.monotonic()
        failure, result = None, (None, "")
        try:
            result = fn()
            if result[0] != expect:
                failure = f"{kind}: HTTP {result[0]}"
        except (OSError, http.client.HTTPException) as e:
            failure = f"{kind}: {type(e).__name__}"
            result = (None, str(e))
        ms = (time.monotonic() - started) * 1000
        info = {**detail, "status": result[0], "body": result[1][:300]} if failure else None
        self.stats.record(kind, ms, failure, info, editor=True)
        return failure is None, result

    def run(self):
        staff = Staff(self.base, self.source)
        try:
            staff.log_in(self.email, self.password, "a soak publisher's own password 1")
        except (OSError, http.client.HTTPException, RuntimeError) as e:
            self.stats.record("editor:login", 0, f"editor:login: {e}", editor=True)
            return
        self.stats.record("editor:login", 0, editor=True)
        # A few answers in each locale, edited in turn.
        answers = [p for p in self.catalog.pages["answers"]][:: max(1, len(self.catalog.pages["answers"]) // 9)][:9]
        reader = Connection(urllib.parse.urlsplit(self.base).hostname, urllib.parse.urlsplit(self.base).port,
                            self.source)
        next_at = time.monotonic()
        while not self.stop.wait(max(0.0, next_at - time.monotonic())):
            # Every `every` seconds; a publish slower than that is followed by the next at once.
            next_at = max(next_at + self.every, time.monotonic())
            public = answers[self.published % len(answers)]
            _, locale, _, slug = public.split("/")
            question = f"Soak question {self.published} {time.time_ns()}?"
            ok, _ = self.timed(
                "publish",
                lambda: staff.publish_question(f"answers/{locale}/{slug}.md", question, f"soak {self.published}"),
                303,
                {"path": public},
            )
            self.published += 1
            if not ok:
                continue
            # The public page (a reader's request, no staff cookie) shows the edit.
            ok, (_, text) = self.timed("editor:check", lambda: reader.request("GET", public)[::2], 200,
                                       {"path": public})
            reader.close()  # the next check is 10 s away: no keep-alive left to go stale
            if ok and question not in text:
                self.stats.record("editor:check", 0, "editor:check: edit not served", {"path": public},
                                  editor=True)


def process(pid):
    """`(VmRSS, RssAnon, open descriptors)` of the server (KiB, KiB, count), or None once
    it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        kib = lambda name: int(fields[name].split()[0])  # noqa: E731
        return kib("VmRSS"), kib("RssAnon"), len(os.listdir(f"/proc/{pid}/fd"))
    except (OSError, KeyError, ValueError):
        return None


def scrape(url):
    """The gauges of the server's /metrics that say what it holds, or {} without them."""
    if not url:
        return {}
    target = urllib.parse.urlsplit(url)
    try:
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        conn.request("GET", target.path or "/metrics")
        text = conn.getresponse().read().decode()
        conn.close()
    except (OSError, http.client.HTTPException):
        return {}
    wanted = ("certwise_page_cache_bytes", "certwise_page_cache_pages", "certwise_content_generation")
    return {name: float(value) for name, _, value in (line.partition(" ") for line in text.splitlines())
            if name in wanted}


def within(value, base, share=0.10):
    return abs(value - base) <= share * base


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT (loopback only)")
    parser.add_argument("--pid", type=int, required=True, help="the server's process id")
    parser.add_argument("--minutes", type=float, required=True)
    parser.add_argument("--out", required=True, help="directory for soak.tsv and soak.json")
    parser.add_argument("--sources", default="127.0.0.2-9", help="127.0.0.A-B: the readers' addresses")
    parser.add_argument("--workers-per-source", type=int, default=2)
    parser.add_argument("--editor-email", required=True)
    parser.add_argument("--editor-password", required=True, help="its temporary password")
    parser.add_argument("--interval", type=float, default=30)
    parser.add_argument("--metrics", help="the server's /metrics URL (page cache and generation in soak.tsv)")
    parser.add_argument("--baseline", type=float, default=120, help="seconds: where memory is compared from")
    # The server's per-client limits (INTERFACES.md defaults); each address keeps under them.
    parser.add_argument("--consent-per-minute", type=int, default=30)
    parser.add_argument("--inquiry-per-minute", type=int, default=5)
    parser.add_argument("--decide-per-minute", type=int, default=60)
    args = parser.parse_args()

    target = urllib.parse.urlsplit(args.url)
    if target.hostname != "127.0.0.1":
        sys.exit("soak-client: load is only ever sent to 127.0.0.1")
    prefix, _, span = args.sources.rpartition(".")
    first, _, last = span.partition("-")
    sources = [f"{prefix}.{n}" for n in range(int(first), int(last or first) + 1)]
    if not prefix.startswith("127."):
        sys.exit("soak-client: sources must be loopback addresses")

    stats, stop, catalog = Stats(), threading.Event(), Catalog()
    found = catalog.discover(Connection(target.hostname, target.port, sources[0]))
    print("soak: catalog from the sitemap: " + ", ".join(f"{n} {k}" for k, n in found.items())
          + f"; {len(catalog.responsibilities)} responsibilities", flush=True)
    limits = {"consent": args.consent_per_minute, "inquiry": args.inquiry_per_minute,
              "decide": args.decide_per_minute}
    budgets = {source: Budget(limits) for source in sources}
    threads = [
        Reader(n, target.hostname, target.port, sources[n % len(sources)], budgets[sources[n % len(sources)]],
               catalog, stats, stop)
        for n in range(len(sources) * args.workers_per_source)
    ]
    threads.append(Editor(args.url, sources[-1], args.editor_email, args.editor_password, catalog, stats, stop))
    print(f"soak: {len(threads) - 1} readers on {sources[0]}…{sources[-1]}, one editor on {sources[-1]}; "
          f"per address and minute at most {', '.join(f'{b} {k}' for k, b in budgets[sources[0]].allowed.items())}",
          flush=True)

    os.makedirs(args.out, exist_ok=True)
    tsv = open(os.path.join(args.out, "soak.tsv"), "w", encoding="utf-8")
    columns = ["seconds", "requests", "req_per_s", "p50_ms", "p99_ms", "failures", "publishes",
               "publish_median_ms", "rss_kib", "rss_max_kib", "fds", "fds_max", "rss_anon_kib", "page_cache_kib",
               "generation", "load1"]
    tsv.write("\t".join(columns) + "\n")
    print(f"{'time':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'failed':>6} {'publ.':>5} {'publ. ms':>8} "
          f"{'RSS MiB':>8} {'(max)':>7} {'fds':>4} {'(max)':>5} {'load':>5}", flush=True)

    # A worker that dies of an exception its own handling does not expect (a page that
    # is not what it parses, a broken gzip body) is a failure, counted by its kind; the
    # verdict also wants every worker still running at the end.
    def crashed(hook):
        threading.__excepthook__(hook)
        name = hook.thread.name if hook.thread else "thread"
        stats.record("crash", 0, f"{name.split('-')[0]}: {hook.exc_type.__name__}",
                     {"thread": name, "error": str(hook.exc_value)[:300]})

    threading.excepthook = crashed
    started = time.monotonic()
    for t in threads:
        t.start()
    duration = args.minutes * 60
    # The server's memory and descriptors are read every second; an interval's figure is
    # the median of its readings, its maximum shown beside. A publish holds two snapshots
    # and builds a search index for seconds, with the allocator returning freed pages
    # only later: RSS is a sawtooth of ±20 % under this load, so one reading — or one
    # 30 s interval — depends on where in the cycle it fell. The verdict compares whole
    # minutes: the median of the readings of minute 2 with that of the last minute.
    intervals = []  # (end in seconds, RSS median, RSS max, fds median, fds max)
    every = []  # (seconds, RSS, RssAnon, fds): every reading
    server_gone = False
    last = 0.0
    while not server_gone and last < duration:
        at = min(last + args.interval, duration)
        readings = []
        while True:
            proc = process(args.pid)
            if proc is None:
                server_gone = True
                break
            readings.append(proc)
            every.append((round(time.monotonic() - started, 1), *proc))
            left = started + at - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(1.0, left))
        count, latencies, publishes, failures = stats.interval()
        rss = sorted(r[0] for r in readings) or [0]
        anon = sorted(r[1] for r in readings) or [0]
        fds = sorted(r[2] for r in readings) or [0]
        memory = (at, rss[len(rss) // 2], rss[-1], fds[len(fds) // 2], fds[-1])
        held = scrape(args.metrics)
        intervals.append(memory)
        load1 = os.getloadavg()[0]
        row = [round(at), count, round(count / (at - last), 1), round(percentile(latencies, 50), 1),
               round(percentile(latencies, 99), 1), sum(failures.values()), len(publishes),
               round(percentile(publishes, 50)), *memory[1:], anon[len(anon) // 2],
               round(held.get("certwise_page_cache_bytes", -1024) / 1024),
               round(held.get("certwise_content_generation", -1)), round(load1, 2)]
        tsv.write("\t".join(str(v) for v in row) + "\n")
        tsv.flush()
        print(f"{row[0]:>5}s {row[2]:>7} {row[3]:>7} {row[4]:>7} {row[5]:>6} {row[6]:>5} {row[7]:>8} "
              f"{memory[1] / 1024:>8.1f} {memory[2] / 1024:>7.1f} {memory[3]:>4} {memory[4]:>5} {load1:>5.2f}"
              + ("  " + "; ".join(f"{k} ×{n}" for k, n in failures.most_common()) if failures else ""),
              flush=True)
        last = at
    stopped = [t.name for t in threads if not t.is_alive()]
    stop.set()
    for t in threads:
        t.join(timeout=60)
    tsv.close()
    seconds = time.monotonic() - started

    total = sum(stats.kinds.values())
    failed = sum(stats.failures.values())
    def minute(until):
        """`(median, min, max)` of RSS and of descriptors over the minute before `until`."""
        taken = [r for r in every if until - 60 < r[0] <= until + 1] or [(0, 0, 0, 0)]
        rss, fds = sorted(r[1] for r in taken), sorted(r[3] for r in taken)
        return (rss[len(rss) // 2], rss[0], rss[-1]), (fds[len(fds) // 2], fds[0], fds[-1])

    baseline_at = min(args.baseline, duration)
    (rss_base, fds_base), (rss_end, fds_end) = minute(baseline_at), minute(duration)
    rss_ok = not server_gone and within(rss_end[0], rss_base[0])
    fds_ok = not server_gone and within(fds_end[0], fds_base[0])
    print(f"soak: {total} requests in {seconds:.0f} s ({total / seconds:.1f}/s), {failed} failed")
    print("soak: requests by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(stats.kinds.items())))
    for failure, n in stats.failures.most_common():
        print(f"soak: failed: {failure} ×{n}")
    for example in stats.examples[:10]:
        print(f"soak:   e.g. {json.dumps(example)[:400]}", file=sys.stderr)
    # One publish every 10 s, the first at once; one may be cut off by the end.
    publishes, publishes_due = stats.acknowledged["publish"], int(duration // 10) - 1
    if stopped:
        print(f"soak: workers no longer running before the end: {', '.join(stopped)}")
    if publishes < publishes_due:
        print(f"soak: publishes: {publishes}, fewer than the {publishes_due} due")
    if server_gone:
        print("soak: the server is gone")
    else:
        mib = lambda v: f"{v[0] / 1024:.1f} MiB (min {v[1] / 1024:.1f}, max {v[2] / 1024:.1f})"  # noqa: E731
        print(f"soak: RSS, median of the readings of the minute to {baseline_at:.0f} s: {mib(rss_base)}; "
              f"of the last minute: {mib(rss_end)}; {(rss_end[0] - rss_base[0]) / rss_base[0]:+.1%}: "
              f"{'within' if rss_ok else 'NOT within'} 10 %")
        print(f"soak: descriptors, the same: {fds_base[0]} (min {fds_base[1]}, max {fds_base[2]}); "
              f"{fds_end[0]} (min {fds_end[1]}, max {fds_end[2]}); {(fds_end[0] - fds_base[0]) / fds_base[0]:+.1%}: "
              f"{'within' if fds_ok else 'NOT within'} 10 %")
    passed = failed == 0 and not stopped and publishes >= publishes_due and rss_ok and fds_ok
    print(f"soak: verdict: {'PASS' if passed else 'FAIL'}")
    with open(os.path.join(args.out, "soak.json"), "w", encoding="utf-8") as out:
        json.dump({"seconds": round(seconds), "requests": total, "failed": failed, "kinds": stats.kinds,
                   "acknowledged": stats.acknowledged,
                   "failures": stats.failures, "examples": stats.examples, "intervals": intervals,
                   "readings": every, "passed": passed}, out, indent=1)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A client that counts: mixed load against certwise (usually nginx in front of several
instances), optionally killing one instance with SIGKILL part-way, then a report of every
request that failed and of what the server acknowledged.

Each worker, in a loop: reads a page (and its form token), records a consent decision,
reads the reference answer, and every fourth round sends a course inquiry with an email
address of its own. Every request carries an `X-Forwarded-For` client address of its own
(certwise_http.Proxied), so the per-client limits of INTERFACES.md are not what is
measured: certwise must trust the proxy in front (`--trusted-proxy 127.0.0.0/8`).

A request counts as failed when the connection fails or the status is not the expected
one (200 for pages, 303 for the two forms). With --kill-pid, the report says how many
requests were open while the instance died — from the signal until every thread of the
process is gone (its sockets closed), which takes about 5 to 55 milliseconds here — and checks
that every failed request was one of them: a request started after the death must not
fail.

Writes JSON to --report: the counts, the failures, and the acknowledged inquiries'
emails and consent decisions, for scripts/cluster.sh to compare with the database.

Standard library only (http.client and threads): it runs wherever python3 does.
"""

import argparse
import itertools
import json
import os
import signal
import sys
import threading
import time
import urllib.parse

from certwise_http import SESSION, TOKEN, Proxied

COURSE = "/en/courses/md-102-endpoint-administrator"
ANSWER = "/en/answers/md-102-vs-ms-102-difference"

lock = threading.Lock()
open_requests = {}  # id -> start time (monotonic)
request_ids = itertools.count(1)
state = {
    "requests": 0,
    "failures": [],
    "consent_acknowledged": 0,
    "inquiries_acknowledged": [],
    "kill_at": None,
    "dead_at": None,
    "open_at_kill": None,
    "dying": None,  # ids of the requests open between the signal and the death
}


class Worker(threading.Thread):
    def __init__(self, host, port, number, stop):
        super().__init__(daemon=True)
        self.number, self.stop = number, stop
        self.connection = Proxied(host, port)
        self.token = None
        self.session = None
        self.round = 0

    def request(self, kind, method, path, body=None, expect=200):
        rid = next(request_ids)
        started = time.monotonic()
        with lock:
            open_requests[rid] = started
            state["requests"] += 1
            if state["dying"] is not None and state["dead_at"] is None:
                state["dying"].add(rid)
        status, text, error = self.connection.send(method, path, body)
        ended = time.monotonic()
        with lock:
            del open_requests[rid]
            ok = error is None and status == expect
            if not ok:
                state["failures"].append(
                    {
                        "id": rid,
                        "kind": kind,
                        "status": status,
                        "error": error,
                        "started": started,
                        "ended": ended,
                        "body": text[:200],
                    }
                )
        return ok, text

    def run(self):
        while not self.stop.is_set():
            self.round += 1
            if self.session is None:
                ok, page = self.request("page", "GET", COURSE)
                match = SESSION.search(page) if ok else None
                self.session = match.group(1) if match else ""
            if self.token is None or self.round % 10 == 1:
                ok, page = self.request("page", "GET", "/en/")
                match = TOKEN.search(page) if ok else None
                if match:
                    self.token = match.group(1)
                if self.token is None:
                    time.sleep(0.05)
                    continue
            action = "accept_all" if self.round % 2 else "withdraw"
            form = urllib.parse.urlencode({"token": self.token, "action": action, "return_to": "/en/"})
            ok, _ = self.request("consent", "POST", "/consent", form, expect=303)
            if ok:
                with lock:
                    state["consent_acknowledged"] += 1
            self.request("answer", "GET", ANSWER)
            if self.round % 4 == 0:
                email = f"w{self.number}-r{self.round}-{os.getpid()}@example.com"
                form = urllib.parse.urlencode(
                    {
                        "token": self.token,
                        "name": "Load Test",
                        "email": email,
                        "session": self.session,
                        "message": "Counting client",
                        "agree": "yes",
                        "website": "",
                    }
                )
                ok, _ = self.request("inquiry", "POST", COURSE + "/inquiry", form, expect=303)
                if ok:
                    with lock:
                        state["inquiries_acknowledged"].append(email)


def gone(pid):
    """Whether the process has ended and its sockets are closed: no longer there, or a
    zombie whose threads have all exited. The main thread of a multi-threaded process can
    be a zombie while its other threads are still exiting; the sockets, which the threads
    share, are closed only when the last one has (it then leaves /proc/PID/task)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] != "Z":
                return False
        return len(os.listdir(f"/proc/{pid}/task")) <= 1
    except (FileNotFoundError, ProcessLookupError):
        # Gone before the open, or reaped between the open and the read (ESRCH).
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT (loopback only)")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--kill-pid", type=int, help="send SIGKILL to this process part-way")
    parser.add_argument("--kill-after", type=float, default=8, help="seconds into the run")
    parser.add_argument("--report", required=True, help="where to write the JSON report")
    args = parser.parse_args()

    target = urllib.parse.urlsplit(args.url)
    if target.hostname not in ("127.0.0.1", "localhost"):
        sys.exit("cluster-client: load is only ever sent to loopback")
    stop = threading.Event()
    workers = [Worker(target.hostname, target.port, n, stop) for n in range(args.workers)]
    started = time.monotonic()
    for w in workers:
        w.start()
    if args.kill_pid:
        time.sleep(args.kill_after)
        with lock:
            state["kill_at"] = time.monotonic()
            state["dying"] = set(open_requests)
            os.kill(args.kill_pid, signal.SIGKILL)
        while not gone(args.kill_pid):
            time.sleep(0.001)
        with lock:
            state["dead_at"] = time.monotonic()
            state["open_at_kill"] = len(state["dying"])
    time.sleep(max(0.0, args.seconds - (time.monotonic() - started)))
    stop.set()
    for w in workers:
        w.join(timeout=60)

    failures = state["failures"]
    kill_at = state["kill_at"]
    # A request that started after the death had every chance to reach a live instance.
    after_kill = [f for f in failures if kill_at is None or f["id"] not in state["dying"]]
    report = {
        "seconds": round(time.monotonic() - started, 1),
        "workers": args.workers,
        "requests": state["requests"],
        "failed": len(failures),
        "failed_started_after_kill": len(after_kill),
        "open_at_kill": state["open_at_kill"],
        "consent_acknowledged": state["consent_acknowledged"],
        "inquiries_acknowledged": state["inquiries_acknowledged"],
        "died_in_ms": None if kill_at is None else round((state["dead_at"] - kill_at) * 1000, 1),
        "failures": [{k: v for k, v in f.items() if k not in ("id", "started", "ended")} for f in failures],
        # When each failure that was not open at the death started and ended, in ms after it.
        "after_death_ms": [
            (round((f["started"] - state["dead_at"]) * 1000, 1), round((f["ended"] - state["dead_at"]) * 1000, 1))
            for f in after_kill
        ]
        if kill_at is not None
        else [],
    }
    with open(args.report, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=1)
    print(
        f"cluster-client: {report['requests']} requests in {report['seconds']} s, "
        f"{report['failed']} failed"
        + (
            f" (open while the instance died, {report['died_in_ms']} ms: {report['open_at_kill']};"
            f" failed that were not: {len(after_kill)})"
            if kill_at is not None
            else ""
        )
        + f"; acknowledged: {report['consent_acknowledged']} consent decisions, "
        f"{len(report['inquiries_acknowledged'])} inquiries"
    )
    bad = after_kill or (kill_at is not None and len(failures) > state["open_at_kill"])
    if kill_at is None:
        bad = bool(failures)
    for f in report["failures"][:10]:
        print(f"  failed {f['kind']}: {f['status'] or f['error']} {f['body'][:80]!r}", file=sys.stderr)
    for start, end in report["after_death_ms"][:10]:
        print(f"  not open at the death: started {start} ms after it, ended {end} ms after it", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

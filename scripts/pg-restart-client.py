#!/usr/bin/env python3
"""Load for scripts/pg-restart.sh: every request recorded, for the restarts' windows.

Workers, spread over the instances, loop: read a page (and its form token every tenth
round), record a consent decision (a write: POST /consent, 303 expected), read the
reference answer. One prober per instance asks /healthz every 20 ms. Every request is
written to --log as one JSON line: wall-clock start and end (time.time(), the clock the
script's own events use), instance, kind, status (or the connection error), and runs until
SIGTERM or --seconds. Each request carries an X-Forwarded-For address of its own
(certwise_http.Proxied), so that the per-client limits are not what is measured
(`--trusted-proxy`).

Standard library only; loopback only.
"""

import argparse
import itertools
import json
import signal
import sys
import threading
import time
import urllib.parse

from certwise_http import TOKEN, Proxied

ANSWER = "/en/answers/md-102-vs-ms-102-difference"

lock = threading.Lock()


class Client:
    def __init__(self, port, out):
        self.port, self.out = port, out
        self.connection = Proxied("127.0.0.1", port)

    def request(self, kind, method, path, body=None):
        started = time.time()
        status, text, error = self.connection.send(method, path, body)
        record = {
            "start": started,
            "end": time.time(),
            "port": self.port,
            "kind": kind,
            "status": status,
            "error": error,
        }
        if status is not None and status >= 400:
            record["body"] = text[:120]
        line = json.dumps(record)
        with lock:
            self.out.write(line + "\n")
        return status, text


def worker(port, out, stop):
    client = Client(port, out)
    token = None
    for round_ in itertools.count(1):
        if stop.is_set():
            return
        if token is None or round_ % 10 == 1:
            status, page = client.request("page", "GET", "/en/")
            match = TOKEN.search(page) if status == 200 else None
            if match:
                token = match.group(1)
            if token is None:
                time.sleep(0.05)
                continue
        action = "accept_all" if round_ % 2 else "withdraw"
        form = urllib.parse.urlencode({"token": token, "action": action, "return_to": "/en/"})
        client.request("consent", "POST", "/consent", form)
        client.request("answer", "GET", ANSWER)
        time.sleep(0.01)


def prober(port, out, stop):
    client = Client(port, out)
    while not stop.is_set():
        client.request("healthz", "GET", "/healthz")
        time.sleep(0.02)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", required=True, help="the instances' ports, comma-separated (127.0.0.1)")
    parser.add_argument("--workers", type=int, default=4, help="per instance")
    parser.add_argument("--seconds", type=float, default=120, help="the longest it runs")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    ports = [int(p) for p in args.ports.split(",")]
    with open(args.log, "w", encoding="utf-8", buffering=1) as out:
        threads = [threading.Thread(target=prober, args=(p, out, stop), daemon=True) for p in ports]
        threads += [
            threading.Thread(target=worker, args=(p, out, stop), daemon=True)
            for p in ports
            for _ in range(args.workers)
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + args.seconds
        while not stop.is_set() and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(timeout=40)
    sys.exit(0)


if __name__ == "__main__":
    main()

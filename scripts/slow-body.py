#!/usr/bin/env python3
# The slow-body attack of BENCHMARKS.md: 1,100 connections from 127.0.0.1 send a POST's
# headers and never its body; meanwhile another client (127.0.0.2) reads a page.
# Usage: start certwise under `ulimit -n 1024` on PORT, then: scripts/slow-body.py PORT
import socket, time, subprocess, sys, os
port = int(sys.argv[1])
held, refused = [], 0
for i in range(1100):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"POST /consent HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
        held.append(s)
    except OSError:
        refused += 1
time.sleep(1)
answered_503 = 0
for s in held:
    s.settimeout(0.01)
    try:
        if s.recv(64).startswith(b"HTTP/1.1 503"): answered_503 += 1
    except OSError:
        pass
# another client (127.0.0.2) reading a page while the attack holds its connections
t = time.time()
c = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0))
c.sendall(b"GET /en/answers/md-102-vs-ms-102-difference HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
data = b""
while True:
    chunk = c.recv(65536)
    if not chunk: break
    data += chunk
print(f"attack: 1100 slow-body connections from 127.0.0.1: {answered_503} answered 503 at once, {refused} refused; "
      f"another client meanwhile: {data[:12].decode()} in {1000*(time.time()-t):.1f} ms")

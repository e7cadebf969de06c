#!/usr/bin/env python3
"""Keeps N connections to the catalog each trickling a request body, one byte a second, from
127.0.0.2 (another client than a load generator on 127.0.0.1), reopening every connection the server
closes, for HOLD seconds. Usage: bench/slow-bodies.py N PORT HOLD. docs/reliability.md has the run."""
import socket, sys, time
n = int(sys.argv[1]); port = int(sys.argv[2]); hold = float(sys.argv[3])
HEAD = b"POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
def connect():
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0)); s.sendall(HEAD); s.setblocking(False); return s
    except Exception:
        return None
socks = [s for s in (connect() for _ in range(n)) if s]
print("open", len(socks), flush=True)
end = time.time() + hold; opened = len(socks); minimum = len(socks)
while time.time() < end:
    alive = []
    for s in socks:
        try:
            if s.recv(4096) == b"":
                s.close(); continue
        except BlockingIOError:
            pass
        except Exception:
            s.close(); continue
        try:
            s.sendall(b" "); alive.append(s)
        except Exception:
            s.close()
    minimum = min(minimum, len(alive))
    while len(alive) < n:
        s = connect()
        if s is None: break
        alive.append(s); opened += 1
    socks = alive
    time.sleep(1)
print("connections opened in all", opened, "fewest open at a check", minimum, "open at the end", len(socks), flush=True)

"""The sandbox's own latency: a kept-alive connection against a fresh one.

    python -m tests.benchmarks.bench_server

Every loopback floor in the other benchmarks (raw httpx against the client, against the UI)
talks to the sandbox over kept-alive connections, so a stall in the server is in the floor too
and hides as a "1.00×" (issue 11: ~40 ms per request from Nagle and delayed ACK). A fresh
connection per request cannot share that stall: the first exchange on a connection is ACKed at
once. So this prints the median GET on one kept-alive connection beside the median GET on a
new connection each time, as a ratio. A healthy server keeps it near or under 1× (reusing a
connection saves the handshake); a stall shows as 10× or more. Target: ≤ 2×.

It measures the `sandbox` command as users run it (its own process), and, for comparison, the
same app served the old way (a protocol-0 listener and uvicorn's stock protocol, so no
TCP_NODELAY): the figure the fix removed. Figures only, no assertions.
"""

from __future__ import annotations

import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.processes import start_sandbox

KEY = "sk_test_admin"
ROUNDS = 200


@dataclass(frozen=True)
class Latency:
    kept_alive_ms: float
    fresh_ms: float

    @property
    def ratio(self) -> float:
        return self.kept_alive_ms / self.fresh_ms

    def line(self, label: str) -> str:
        verdict = "ok" if self.ratio <= 2 else "STALL: kept-alive requests wait"
        return (
            f"  {label:<34} kept-alive {self.kept_alive_ms:6.2f} ms   fresh connection "
            f"{self.fresh_ms:6.2f} ms   ratio {self.ratio:5.2f}×  ({verdict}; target ≤ 2×)"
        )


def _request(url: str) -> tuple[tuple[str, int], bytes]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = f"{parts.path}/campaigns?limit=1"
    raw = (
        f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {KEY}\r\nAccept: application/json\r\n\r\n"
    ).encode()
    return (host, port), raw


def _read_response(sock: socket.socket, buffer: bytearray) -> None:
    """Read one response with a Content-Length body off `sock` (leftovers stay in `buffer`)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-response")
        buffer += chunk
    head, _, _ = bytes(buffer).partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    total = len(head) + 4 + length
    while len(buffer) < total:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-body")
        buffer += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(head.split(b"\r\n", 1)[0].decode())
    del buffer[:total]


def raw_socket_latency(url: str, rounds: int = ROUNDS) -> Latency:
    """Both halves over plain sockets, so no client library's cost is in either."""
    address, request = _request(url)
    kept = []
    with socket.create_connection(address) as sock:
        buffer = bytearray()
        for i in range(rounds + 1):
            started = time.perf_counter()
            sock.sendall(request)
            _read_response(sock, buffer)
            if i:  # the first request on a connection is the fresh kind
                kept.append(time.perf_counter() - started)
    fresh = []
    for _ in range(rounds):
        started = time.perf_counter()
        with socket.create_connection(address) as sock:
            sock.sendall(request)
            _read_response(sock, bytearray())
        fresh.append(time.perf_counter() - started)
    return Latency(statistics.median(kept) * 1000, statistics.median(fresh) * 1000)


def httpx_latency(url: str, rounds: int = ROUNDS) -> Latency:
    """As scripts and the client do: one kept-alive httpx.Client, against the same client
    asking for a new connection each time (`Connection: close`; a new Client would also
    build an SSL context, ~20 ms, which is not the server's time)."""
    headers = {"Authorization": f"Bearer {KEY}"}
    target = f"{url}/campaigns?limit=1"
    kept = []
    with httpx.Client(headers=headers) as http:
        http.get(target).raise_for_status()
        for _ in range(rounds):
            started = time.perf_counter()
            http.get(target).raise_for_status()
            kept.append(time.perf_counter() - started)
        fresh = []
        for _ in range(rounds):
            started = time.perf_counter()
            http.get(target, headers={"Connection": "close"}).raise_for_status()
            fresh.append(time.perf_counter() - started)
    return Latency(statistics.median(kept) * 1000, statistics.median(fresh) * 1000)


def stall_check(url: str) -> str:
    """One line for beside a loopback floor: does the server stall kept-alive requests?"""
    return raw_socket_latency(url, rounds=50).line("floor check: sandbox latency")


def _with_old_listener(measure: Callable[[str], Latency]) -> Latency:
    """The in-process sandbox served as before the fix: a listener made as `socket(family,
    SOCK_STREAM)` reports protocol 0, so asyncio leaves Nagle on for its connections, and
    uvicorn's stock protocol does not turn it off either."""
    import uvicorn

    from skipup_campaigns.sandbox import SandboxSettings, create_app, open_store
    from skipup_campaigns.sandbox.server import base_url

    store = open_store(":memory:")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store, SandboxSettings(rate_limit=0)), log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        return measure(base_url(sock))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    print(f"\nsandbox latency, GET /campaigns?limit=1, median of {rounds}")
    with tempfile.TemporaryDirectory() as directory:
        sandbox, url = start_sandbox(Path(directory) / "latency.db")
        try:
            print(raw_socket_latency(url, rounds).line("sandbox process, raw sockets"))
            print(httpx_latency(url, rounds).line("sandbox process, httpx"))
        finally:
            sandbox.terminate()
            sandbox.wait(timeout=30)
    # Fewer rounds: each kept-alive request there waits ~40 ms.
    old_rounds = min(rounds, 40)
    print(
        _with_old_listener(lambda u: raw_socket_latency(u, old_rounds)).line(
            "old listener (protocol 0), raw"
        )
    )


if __name__ == "__main__":
    main()

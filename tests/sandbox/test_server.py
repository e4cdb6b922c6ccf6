"""The sandbox served on a real loopback port: how its sockets behave."""

from __future__ import annotations

import socket
import statistics
import time

import httpx

from skipup_campaigns.sandbox.server import bind
from tests.conftest import ADMIN


def test_kept_alive_requests_do_not_wait_for_delayed_acks(live_url: str) -> None:
    """Issue 11: every request after the first on a connection waited ~40 ms (Nagle against the
    client's delayed ACK) because accepted sockets lacked TCP_NODELAY. The bound is generous
    (a loopback GET takes about a millisecond); the benchmark measures the real figure."""
    took, local_ports = [], set()
    with httpx.Client(headers={"Authorization": f"Bearer {ADMIN}"}) as http:
        http.get(f"{live_url}/campaigns?limit=1").raise_for_status()  # opens the connection
        for _ in range(20):
            started = time.perf_counter()
            response = http.get(f"{live_url}/campaigns?limit=1")
            took.append(time.perf_counter() - started)
            response.raise_for_status()
            stream = response.extensions["network_stream"]
            local_ports.add(stream.get_extra_info("client_addr")[1])
    assert len(local_ports) == 1  # all on one kept-alive connection
    assert statistics.median(took) < 0.025, [round(t * 1000, 1) for t in took]


def test_the_listening_socket_is_tcp_with_nodelay() -> None:
    """asyncio turns TCP_NODELAY on for a connection only when its socket reports IPPROTO_TCP
    (accepted sockets inherit the listener's protocol)."""
    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)

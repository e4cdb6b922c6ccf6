"""The sandbox served on a real loopback port: how its sockets behave, and which keys it
serves on which addresses."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from skipup_campaigns.sandbox import parse_key_spec
from skipup_campaigns.sandbox.app import default_keys
from skipup_campaigns.sandbox.exposure import is_loopback, keys_to_serve
from skipup_campaigns.sandbox.server import bind, serve_in_thread
from tests.conftest import ADMIN
from tests.processes import start_sandbox


def _median_kept_alive_get(url: str) -> float:
    took, local_ports = [], set()
    with httpx.Client(headers={"Authorization": f"Bearer {ADMIN}"}) as http:
        http.get(f"{url}/campaigns?limit=1").raise_for_status()  # opens the connection
        for _ in range(20):
            started = time.perf_counter()
            response = http.get(f"{url}/campaigns?limit=1")
            took.append(time.perf_counter() - started)
            response.raise_for_status()
            stream = response.extensions["network_stream"]
            local_ports.add(stream.get_extra_info("client_addr")[1])
    assert len(local_ports) == 1  # all on one kept-alive connection
    return statistics.median(took)


def test_kept_alive_requests_do_not_wait_for_delayed_acks(live_url: str) -> None:
    """Issue 11: every request after the first on a connection waited ~40 ms (Nagle against the
    client's delayed ACK) because accepted sockets lacked TCP_NODELAY. The bound is generous
    (a loopback GET takes about a millisecond); the benchmark measures the real figure."""
    assert _median_kept_alive_get(live_url) < 0.025


def test_even_a_listener_made_the_old_way_does_not_stall(sandbox_app: object) -> None:
    """A socket made as `socket(family, SOCK_STREAM)` reports protocol 0, so asyncio leaves
    Nagle on; the server turns TCP_NODELAY on for each connection it accepts anyway."""
    old = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    old.bind(("127.0.0.1", 0))
    old.listen(16)
    assert old.proto == 0
    with serve_in_thread(sandbox_app, sock=old) as url:  # type: ignore[arg-type]
        assert _median_kept_alive_get(url) < 0.025


def test_the_listening_socket_is_tcp_with_nodelay() -> None:
    """asyncio turns TCP_NODELAY on for a connection only when its socket reports IPPROTO_TCP
    (accepted sockets inherit the listener's protocol)."""
    with bind("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


# -- which keys are served where (issue 16 §6) --------------------------------------------------
# 192.0.2.1 is TEST-NET-1: never this machine's address, so these runs cannot listen on it.
UNREACHABLE_HOST = "192.0.2.1"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"])
def test_loopback_hosts_serve_the_built_in_keys_quietly(host: str) -> None:
    serving = keys_to_serve(host, {}, allow_test_credentials=False)
    assert set(serving.keys) == set(default_keys())
    assert serving.warning is None and serving.refusal is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]", UNREACHABLE_HOST, "10.1.2.3"])
def test_reachable_hosts_refuse_the_public_test_keys(host: str) -> None:
    assert not is_loopback(host)
    refused = keys_to_serve(host, {}, allow_test_credentials=False)
    assert refused.keys == {} and refused.refusal and "--allow-test-credentials" in refused.refusal
    own = parse_key_spec("sk_live_mine=campaigns.read")
    only_own = keys_to_serve(host, {own.key: own}, allow_test_credentials=False)
    assert only_own.keys == {own.key: own} and only_own.refusal is None
    assert only_own.warning and "test keys are off" in only_own.warning
    allowed = keys_to_serve(host, {}, allow_test_credentials=True)
    assert set(allowed.keys) == set(default_keys()) and allowed.refusal is None
    assert allowed.warning and "public" in allowed.warning


def _sandbox_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skipup_campaigns", "sandbox", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_refuses_a_reachable_host_before_listening() -> None:
    done = _sandbox_cli("--host", UNREACHABLE_HOST)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("skipup-campaigns sandbox: refusing to serve the built-in")
    assert "cannot listen" not in done.stderr and done.stdout == ""  # it never tried to bind


def test_the_command_warns_when_told_to_serve_them_anyway() -> None:
    done = _sandbox_cli("--host", UNREACHABLE_HOST, "--allow-test-credentials")
    assert "warning: listening on 192.0.2.1" in done.stderr and "public" in done.stderr
    # Then it tries to listen, which TEST-NET cannot give it: one line, no traceback.
    assert done.returncode == 1 and "cannot listen on 192.0.2.1" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("limit", "shown"), [("0", "rate limit: off   "), ("30", "rate limit: 30/min")]
)
def test_the_banner_says_the_rate_limit(tmp_path: Path, limit: str, shown: str) -> None:
    """No limit read "off/min" (found in a user test)."""
    process, _ = start_sandbox(tmp_path / "s.db", "--rate-limit", limit)
    try:
        assert process.stdout is not None
        settings = ""
        for line in process.stdout:  # the banner is printed at once, the line is in it
            if line.startswith("Database: "):
                settings = line
                break
        assert shown in settings and "off/min" not in settings
    finally:
        process.terminate()
        process.wait(timeout=10)

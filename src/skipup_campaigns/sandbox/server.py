"""Serving the sandbox over HTTP with uvicorn: in the foreground for the `sandbox` command, or
in a background thread for tests and tools that need a real loopback port."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from skipup_campaigns.sandbox.app import API_PREFIX


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one (read it back from the socket).

    Made with protocol IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on an accepted connection
    only when its socket says it is TCP, and accepted sockets inherit the listener's protocol.
    Without it a response's two writes meet Nagle and delayed ACK: ~40 ms per kept-alive
    request. TCP_NODELAY on the listener too (Linux copies it to accepted connections)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{API_PREFIX}"


class _NoDelayH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, turning TCP_NODELAY on for each accepted connection
    itself, so that no listener, however it was made, brings the stall back."""

    # uvicorn declares a BaseTransport; the one it passes is a Transport (get_extra_info).
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # already closed by the peer: nothing to speed up
                pass
        super().connection_made(transport)


def make_server(app: ASGIApp, *, forwarded_allow_ips: str | None = None) -> uvicorn.Server:
    """uvicorn for the sandbox; run it with `sockets=[bind(...)]`.

    `X-Forwarded-For` and `X-Forwarded-Proto` are believed only from the addresses in
    `forwarded_allow_ips` (comma-separated, as uvicorn takes them; "*" for any). By default
    none: uvicorn would trust them from loopback, and then any local process could pose as
    any address to the wrong-key lock-out (guess without limit, or lock another address out)."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        http=_NoDelayH11,
        timeout_graceful_shutdown=2,
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or "",
    )
    return uvicorn.Server(config)


def serve_forever(
    app: ASGIApp, sock: socket.socket, *, forwarded_allow_ips: str | None = None
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    make_server(app, forwarded_allow_ips=forwarded_allow_ips).run(sockets=[sock])


@contextmanager
def serve_in_thread(
    app: ASGIApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    sock: socket.socket | None = None,
    forwarded_allow_ips: str | None = None,
) -> Iterator[str]:
    """Serve `app` on a loopback port (or on `sock`, already listening, which it closes
    afterwards) in a daemon thread; yields the API base URL."""
    sock = sock or bind(host, port)
    server = make_server(app, forwarded_allow_ips=forwarded_allow_ips)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="skipup-sandbox"
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)
    try:
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()

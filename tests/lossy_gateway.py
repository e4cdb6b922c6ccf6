"""A gateway that loses answers, in front of the sandbox on 127.0.0.1: what production traffic
meets (reference §11) and the sandbox alone cannot produce.

    with LossyGateway(origin_url, fate=first_patch("drop")) as url:
        ...  # clients of `url` reach the sandbox through it

For each request `fate(method, path, seen)` (seen: how many times this method and path came
before) says what the gateway does:
- "pass": forward it and return the origin's answer;
- "drop": forward it (the origin applies it), then close the connection without an answer;
- "503": forward it, then answer 503 as a gateway does when the origin's answer is lost;
- "late": forward it, then hold the answer `late_seconds` (past the client's deadline);
- "refuse": answer 503 without forwarding (the origin never sees it).
`after_forward(method, path)` runs once the origin answered and before the client is answered
(a second writer acting in that moment). Raw sockets, HTTP/1.1 with Content-Length bodies
(what httpx sends); each forwarded request is a new connection to the origin.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal
from urllib.parse import urlsplit

Fate = Literal["pass", "drop", "503", "late", "refuse"]
FateFor = Callable[[str, str, int], Fate]

_PAGE = b"<html><body>503 Service Unavailable</body></html>\n"
GATEWAY_503 = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\n"
    b"content-length: " + str(len(_PAGE)).encode() + b"\r\n\r\n" + _PAGE
)


def first_patch(fate: Fate) -> FateFor:
    """`fate` for the first PATCH of each path; everything else passes."""

    def decide(method: str, path: str, seen: int) -> Fate:
        return fate if method == "PATCH" and seen == 0 else "pass"

    return decide


class LossyGateway:
    """See the module docstring. `forwarded` counts requests that reached the origin, by
    (method, path); `fates` what was done to each."""

    def __init__(
        self,
        origin_url: str,
        fate: FateFor,
        *,
        late_seconds: float = 1.5,
        after_forward: Callable[[str, str], None] | None = None,
    ) -> None:
        origin = urlsplit(origin_url)
        self.origin_host = origin.hostname or "127.0.0.1"
        self.origin_port = origin.port or 80
        self.prefix = origin.path
        self.fate = fate
        self.late_seconds = late_seconds
        self.after_forward = after_forward
        self.forwarded: Counter[tuple[str, str]] = Counter()
        self.fates: Counter[Fate] = Counter()
        self._seen: Counter[tuple[str, str]] = Counter()
        self._loop: asyncio.AbstractEventLoop | None = None

    @contextmanager
    def serving(self) -> Iterator[str]:
        """Run the gateway in a thread of its own; yields its API base URL."""
        ready = threading.Event()
        address: list[tuple[str, int]] = []
        stop: list[asyncio.Event] = []

        async def main() -> None:
            server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
            address.append(server.sockets[0].getsockname()[:2])
            stop.append(asyncio.Event())
            self._loop = asyncio.get_running_loop()
            ready.set()
            async with server:
                await stop[0].wait()

        thread = threading.Thread(
            target=asyncio.run, args=(main(),), daemon=True, name="lossy-gateway"
        )
        thread.start()
        if not ready.wait(10):
            raise RuntimeError("the lossy gateway did not start")
        host, port = address[0]
        try:
            yield f"http://{host}:{port}{self.prefix}"
        finally:
            assert self._loop is not None
            self._loop.call_soon_threadsafe(stop[0].set)
            thread.join(5)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = [line for line in header_lines if line]
                length = next(
                    (
                        int(line.split(":", 1)[1])
                        for line in headers
                        if line.lower().startswith("content-length:")
                    ),
                    0,
                )
                body = await reader.readexactly(length) if length else b""
                path = target.split("?", 1)[0]
                key = (method, path)
                fate = self.fate(method, path, self._seen[key])
                self._seen[key] += 1
                self.fates[fate] += 1
                if fate == "refuse":
                    writer.write(GATEWAY_503)
                    await writer.drain()
                    continue
                answer = await self._forward(request_line, headers, body)
                self.forwarded[key] += 1
                if self.after_forward is not None:
                    await asyncio.to_thread(self.after_forward, method, path)
                if fate == "drop":
                    return  # closed below without a byte of answer
                if fate == "503":
                    writer.write(GATEWAY_503)
                elif fate == "late":
                    await asyncio.sleep(self.late_seconds)
                    writer.write(answer)
                else:
                    writer.write(answer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _forward(self, request_line: str, headers: list[str], body: bytes) -> bytes:
        """The request to the origin on a connection of its own; the whole answer."""
        reader, writer = await asyncio.open_connection(self.origin_host, self.origin_port)
        try:
            kept = [line for line in headers if not line.lower().startswith("connection:")]
            head = "\r\n".join([request_line, *kept, "Connection: close", "", ""])
            writer.write(head.encode("latin-1") + body)
            await writer.drain()
            answer = await reader.read()
        finally:
            writer.close()
        # The origin closes after it: tell our client to keep its connection instead.
        head, _, rest = answer.partition(b"\r\n\r\n")
        lines = [
            line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")
        ]
        return b"\r\n".join(lines) + b"\r\n\r\n" + rest

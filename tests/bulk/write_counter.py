"""Counts the writes the sandbox carried out: a PATCH or deactivate its handler answered 2xx
(injected faults answer before the handler, so they are not counted)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

_WRITE = re.compile(r"/campaigns/([^/]+)(/deactivate)?$")


class WriteCounter:
    """ASGI wrapper: counts successful PATCH and deactivate requests per campaign id."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.counts: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        match = _WRITE.search(scope.get("path", "")) if scope["type"] == "http" else None
        writes = match is not None and scope["method"] in ("PATCH", "POST")
        if not writes:
            await self.app(scope, receive, send)
            return

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                self.counts[match.group(1)] += 1
            await send(message)

        await self.app(scope, receive, counting_send)

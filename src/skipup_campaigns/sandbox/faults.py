"""What the sandbox does to clients on purpose: rate limits, a lock-out for guessed keys,
latency and injected failures."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import JSONResponse, PlainTextResponse, Response

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    """Epoch second at which the current window ends."""

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.reset - now))


class RateLimiter:
    """Requests per minute per key, in fixed one-minute windows (0 turns limiting off)."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> RateDecision | None:
        """Count one request; None when limiting is off."""
        if self.per_minute <= 0:
            return None
        now = self.clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            start, used = self._windows.get(key, (window, 0))
            if start != window:
                start, used = window, 0
            used += 1
            self._windows[key] = (start, used)
        reset = (window + 1) * WINDOW_SECONDS
        return RateDecision(
            allowed=used <= self.per_minute,
            limit=self.per_minute,
            remaining=max(0, self.per_minute - used),
            reset=reset,
        )


class FailedKeyGuard:
    """Locks out a client address that sent `limit` wrong keys within one minute's window:
    its wrong keys are answered 429 until the window ends. Only failures are counted and only
    they are refused (the caller checks the key first): a valid key from that address is
    always served, so a local process guessing cannot lock the real user out. 0 turns it
    off."""

    MAX_TRACKED = 10_000
    """Addresses remembered at once (bounded memory): past windows are forgotten first, and if
    the current one alone fills it, all of it (someone guessing from 10,000 addresses at once
    starts over; the lock-out slows guessing, it is not a firewall)."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.clock = clock
        self._failures: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int | None:
        """Seconds until `client` may try again, or None when it is not locked out."""
        if self.limit <= 0:
            return None
        now = self.clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            start, failures = self._failures.get(client, (window, 0))
        if start != window or failures < self.limit:
            return None
        return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))

    def failed(self, client: str) -> None:
        """Count one wrong key from `client`."""
        if self.limit <= 0:
            return
        window = int(self.clock() // WINDOW_SECONDS)
        with self._lock:
            if len(self._failures) >= self.MAX_TRACKED:
                self._failures = {c: v for c, v in self._failures.items() if v[0] == window}
                if len(self._failures) >= self.MAX_TRACKED:
                    self._failures.clear()
            start, failures = self._failures.get(client, (window, 0))
            if start != window:
                start, failures = window, 0
            self._failures[client] = (start, failures + 1)


_PROXY_PAGE = "<html><body><h1>{status} {reason}</h1><p>upstream trouble</p></body></html>"


class FaultInjector:
    """Answers a fraction of requests with the failures a client must survive."""

    def __init__(self, fail_rate: float, rng: random.Random) -> None:
        self.fail_rate = fail_rate
        self._rng = rng
        self._lock = threading.Lock()

    def pick(self) -> Response | None:
        """A failure response for this request, or None to let it through."""
        if self.fail_rate <= 0:
            return None
        with self._lock:
            if self._rng.random() >= self.fail_rate:
                return None
            kind = self._rng.randrange(5)
        if kind == 0:
            return JSONResponse(
                {"error": {"type": "internal_error", "message": "Injected internal error"}}, 500
            )
        if kind == 1:
            return PlainTextResponse(
                _PROXY_PAGE.format(status=502, reason="Bad Gateway"), 502, media_type="text/html"
            )
        if kind == 2:
            return JSONResponse(
                {"error": {"type": "internal_error", "message": "Service temporarily unavailable"}},
                503,
            )
        if kind == 3:
            return PlainTextResponse(
                _PROXY_PAGE.format(status=503, reason="Service Unavailable"),
                503,
                media_type="text/html",
            )
        return JSONResponse(
            {"error": {"type": "rate_limited", "message": "Too many requests, please retry later"}},
            429,
            headers={"Retry-After": "1"},
        )

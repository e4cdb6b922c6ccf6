"""The one record of the client's waits for the rate limit, so whoever shows progress can say
"rate limited: next request in 12 s, 60 a minute" instead of looking hung.

Every pause a request takes for the rate limit (the client pacing itself when the window is
used up, a 429's Retry-After, the bulk engine waiting for room) goes through
`RateLimitWaits.sleep`. A listener hears the wait that ends soonest (the next request to go)
each time it changes, and None only when no request is waiting any more: pages read ahead and
several bulk workers wait at once, and one of them ending does not end the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

log = logging.getLogger("skipup_campaigns.api")

PACED = "rate limited"
"""Why a request waits when the rate limit's window is used up."""
REFUSED = "rate limited (429)"
"""Why a request waits when the server refused it for the rate limit."""


@dataclass(frozen=True, eq=False)
class RateLimitWait:
    """One request waiting for the rate limit. Compared by identity: two waits alike are still
    two requests."""

    until: float
    """When it ends, on the clock of the `RateLimitWaits` that holds it."""
    reason: str
    per_minute: int | None = None
    """The limit the server last stated (None: it stated none)."""


Listener = Callable[["RateLimitWait | None", float], None]
"""Called with the wait that ends soonest and the seconds left of it (None and 0: no wait)."""


@dataclass
class RateLimitWaits:
    """The waits in progress for one client."""

    clock: Callable[[], float] = time.monotonic
    _waits: list[RateLimitWait] = field(default_factory=list)
    _listeners: list[Listener] = field(default_factory=list)
    _shown: RateLimitWait | None = None

    @property
    def current(self) -> RateLimitWait | None:
        """The wait that ends soonest (None when no request waits)."""
        return min(self._waits, key=lambda wait: wait.until, default=None)

    def seconds_left(self, wait: RateLimitWait) -> float:
        return max(0.0, wait.until - self.clock())

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Hear every change of the current wait from now on; returns the way to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    async def sleep(
        self,
        seconds: float,
        reason: str,
        per_minute: int | None,
        sleep: Callable[[float], Awaitable[object]],
    ) -> None:
        """`await sleep(seconds)`, announced as a wait for the rate limit while it lasts."""
        wait = RateLimitWait(self.clock() + seconds, reason, per_minute)
        log.debug("waiting %.1fs for the rate limit (%s)", seconds, reason)
        self._waits.append(wait)
        self._changed()
        try:
            await sleep(seconds)
        finally:
            self._waits.remove(wait)
            self._changed()

    def _changed(self) -> None:
        current = self.current
        if current is self._shown:
            return
        self._shown = current
        left = 0.0 if current is None else self.seconds_left(current)
        for listener in list(self._listeners):
            listener(current, left)

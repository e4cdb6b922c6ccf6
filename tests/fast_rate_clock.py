"""The rate limit's minute, made shorter: the sandbox's rate clock and a client that run
`speed` times faster than real time, so a run through many windows of a tight limit takes
seconds. Only the rate limit's time is faster; requests, deadlines and gaps are real."""

from __future__ import annotations

import asyncio
import time

from skipup_campaigns.api import SkipUpClient


class FastClock:
    """Epoch seconds running `speed` times faster than real ones, from now."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self.real_start = time.time()

    def __call__(self) -> float:
        return self.real_start + (time.time() - self.real_start) * self.speed


def fast_client(clock: FastClock) -> type[SkipUpClient]:
    """A SkipUpClient whose rate-limit clock is `clock` and whose waits last 1/speed as long
    (a Retry-After of 60 s on `clock` is one real second at speed 60)."""

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / clock.speed)

    class FastClient(SkipUpClient):
        _sleep = staticmethod(sleep)

        def _now(self) -> float:
            return clock()

    return FastClient

"""The bulk run's pacing without a server: it waits for the rate limit's window, waits out a
429 the client gave up on (the server refused it: sending again is safe) and repeats nothing
else, so a write the server may have applied is never sent a second time."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from skipup_campaigns.api.client import RateLimitStatus
from skipup_campaigns.api.errors import InternalServerError, RateLimitError
from skipup_campaigns.api.rate_wait import RateLimitWaits
from skipup_campaigns.bulk.engine import MAX_RATE_LIMIT_WAITS, _Pacer


class FakeClient:
    rate_limit: RateLimitStatus | None = None
    per_minute = None

    def __init__(self) -> None:
        self.waits = RateLimitWaits()


class Sleeps(list):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def answers(*outcomes: Any) -> tuple[list[int], Any]:
    """A request that raises or returns each outcome in turn, counting its calls."""
    calls: list[int] = []

    async def request() -> Any:
        calls.append(1)
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return calls, request


def too_many(retry_after: str | None = "3") -> RateLimitError:
    headers = httpx.Headers({"Retry-After": retry_after} if retry_after else {})
    return RateLimitError(429, "rate_limited", "Too many requests", headers)


async def test_a_429_after_the_clients_retries_is_waited_out_and_sent_again() -> None:
    sleeps = Sleeps()
    calls, request = answers(too_many("3"), too_many(None), "ok")
    assert await _Pacer(FakeClient(), sleeps).call(request) == "ok"
    assert len(calls) == 3 and sleeps == [3.0, 2.0]


async def test_any_other_failure_is_not_repeated() -> None:
    sleeps = Sleeps()
    calls, request = answers(InternalServerError(500, "internal_error", "boom"), "ok")
    with pytest.raises(InternalServerError):
        await _Pacer(FakeClient(), sleeps).call(request)
    assert len(calls) == 1 and sleeps == []


async def test_429s_are_waited_out_a_bounded_number_of_times() -> None:
    sleeps = Sleeps()
    calls, request = answers(too_many("1"))
    with pytest.raises(RateLimitError):
        await _Pacer(FakeClient(), sleeps).call(request)
    assert len(calls) == MAX_RATE_LIMIT_WAITS + 1


async def test_a_request_waits_for_the_window_when_the_quota_is_spoken_for() -> None:
    client, sleeps = FakeClient(), Sleeps()
    pacer = _Pacer(client, sleeps)
    client.rate_limit = RateLimitStatus(limit=30, remaining=1, reset=time.time() + 20)
    pacer.in_flight = 1  # another worker's request will use the last one
    _, request = answers("ok")
    await pacer.call(request)
    assert len(sleeps) == 1 and 15 < sleeps[0] <= 20
    client.rate_limit = RateLimitStatus(limit=30, remaining=5, reset=time.time() + 20)
    await pacer.call(request)
    assert len(sleeps) == 1  # room left: no wait


def test_the_estimate_counts_the_windows_the_rate_limit_still_makes_us_wait() -> None:
    from skipup_campaigns.bulk.engine import _rate_limited_seconds

    client = FakeClient()
    assert _rate_limited_seconds(client, 500) == 0.0  # nothing stated yet
    client.rate_limit = RateLimitStatus(limit=120, remaining=20, reset=time.time() + 30)
    assert _rate_limited_seconds(client, 20) == 0.0
    assert 29 < _rate_limited_seconds(client, 21) <= 30  # the next window
    assert 89 < _rate_limited_seconds(client, 20 + 120 + 1) <= 90  # and one more

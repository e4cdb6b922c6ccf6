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


async def test_slots_are_taken_beside_those_not_yet_answered_and_two_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from skipup_campaigns.api import SkipUpClient

    sleeps = Sleeps()
    monkeypatch.setattr(SkipUpClient, "_sleep", staticmethod(sleeps))
    async with SkipUpClient("sk_test", "http://127.0.0.1:9/api/v1") as client:
        client.rate_limit = RateLimitStatus(limit=30, remaining=2, reset=time.time() + 20)
        await client._take(1)  # another task's request, not answered yet
        async with client.reserved(2):  # a check and its write: only one slot is free
            assert len(sleeps) == 1 and 15 < sleeps[0] <= 20
        # After the wait the window is new: both were taken together, no wait between them.
        assert client.rate_limit.remaining == 30 and client._unanswered == 1
        async with client.reserved(2):
            assert len(sleeps) == 1  # room left: no wait


def test_the_estimate_counts_the_windows_the_rate_limit_still_makes_us_wait() -> None:
    from skipup_campaigns.bulk.engine import _rate_limited_seconds

    client = FakeClient()
    assert _rate_limited_seconds(client, 500) == 0.0  # nothing stated yet
    client.rate_limit = RateLimitStatus(limit=120, remaining=20, reset=time.time() + 30)
    assert _rate_limited_seconds(client, 20) == 0.0
    assert 29 < _rate_limited_seconds(client, 21) <= 30  # the next window
    assert 89 < _rate_limited_seconds(client, 20 + 120 + 1) <= 90  # and one more


async def test_answers_arriving_out_of_order_keep_the_smallest_count_of_their_window() -> None:
    import httpx

    from skipup_campaigns.api import SkipUpClient

    reset = str(int(time.time()) + 30)

    def headers(remaining: int, at: str = reset) -> httpx.Headers:
        return httpx.Headers(
            {
                "X-RateLimit-Limit": "3",
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": at,
            }
        )

    async with SkipUpClient("sk_test", "http://127.0.0.1:9/api/v1") as client:
        client._note_rate_limit(headers(1))
        client._note_rate_limit(headers(2))  # the earlier request's answer, read later
        assert client.rate_limit is not None and client.rate_limit.remaining == 1
        client._note_rate_limit(headers(3, str(int(reset) + 60)))  # a new window: as said
        assert client.rate_limit.remaining == 3


async def test_a_stop_during_a_checked_writes_429_pause_ends_it_unsent() -> None:
    import asyncio

    import httpx

    from skipup_campaigns.api import SkipUpClient
    from skipup_campaigns.checked_write import WriteOutcome, checked_update

    seen: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(
            429,
            headers={"Retry-After": "30"},
            json={"error": {"type": "rate_limited", "message": "slow"}},
        )

    stop = asyncio.Event()
    async with SkipUpClient(
        "sk_test", "http://127.0.0.1:9/api/v1", max_retries=0, transport=httpx.MockTransport(refuse)
    ) as client:
        with client.stoppable(stop):
            write = asyncio.ensure_future(
                checked_update(client, "cmp_1", {"description": "x"}, expected=None)
            )
            while not client.waits.current:  # the 30 s pause after the GET's 429
                await asyncio.sleep(0.01)
            stop.set()
            result = await asyncio.wait_for(write, 5)
    assert result.outcome is WriteOutcome.NOT_SENT and seen == ["GET"]

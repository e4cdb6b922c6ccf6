"""The client against a hostile or broken server (issue 16, sections 2-4): every read ends, in
bounded time and memory, with the good data or a clear `SkipUpError`, and never with the key
in a message. Served over real loopback HTTP by tests/hostile_server.py."""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import (
    APIResponseError,
    APITimeoutError,
    ConfigurationError,
    InternalServerError,
    RateLimitError,
    SkipUpClient,
    SkipUpError,
    UnprocessableEntityError,
)
from skipup_campaigns.api.errors import MAX_SERVER_MESSAGE, PaginationError, ResponseTooLargeError
from skipup_campaigns.api.models import MAX_COUNT
from tests.hostile_server import (
    BAD_NUMBERS,
    ECHOED_KEY_SHAPE,
    HOSTILE_TEXTS,
    campaign,
)

KEY = "sk_test_admin_secret_value"
SRC = Path(__file__).parents[2] / "src" / "skipup_campaigns"
Serve = Callable[[str], str]


def bounded(coroutine: Any) -> Any:
    """No test may hang on today's code: a loop that never ends fails after 20 s instead."""
    return asyncio.wait_for(coroutine, timeout=20)


async def all_campaigns(url: str, **kwargs: Any) -> list[Any]:
    async with SkipUpClient(KEY, url, max_retries=0, **kwargs) as client:
        return [page async for page in client.iter_campaign_pages()]


async def all_teams(url: str) -> list[Any]:
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        return [team async for team in client.iter_teams()]


# -- pagination that would never end -------------------------------------------------------------


@pytest.mark.parametrize(
    "behaviour", ["repeating_cursor", "cursor_cycle", "empty_has_more", "same_page"]
)
async def test_campaign_pages_that_never_end_stop_with_a_pagination_error(
    hostile_server: Serve, behaviour: str
) -> None:
    url = hostile_server(behaviour)
    with pytest.raises(PaginationError):
        await bounded(all_campaigns(url))


@pytest.mark.parametrize(
    "behaviour", ["repeating_cursor", "cursor_cycle", "empty_has_more", "same_page"]
)
async def test_team_pages_that_never_end_stop_with_a_pagination_error(
    hostile_server: Serve, behaviour: str
) -> None:
    url = hostile_server(behaviour)
    with pytest.raises(PaginationError):
        await bounded(all_teams(url))


@pytest.mark.parametrize(
    "behaviour", ["repeating_cursor", "cursor_cycle", "empty_has_more", "same_page"]
)
async def test_the_lists_load_stops_as_the_models_pages_do(
    hostile_server: Serve, behaviour: str
) -> None:
    """The list's load reads ahead (the next request goes before a page's checks that need
    its campaigns): the same pages delivered, then the same error, as the model's pages."""
    url = hostile_server(behaviour)
    outcomes = []
    for method in ("iter_campaign_pages", "iter_campaign_records"):
        pages: list[Any] = []

        async def collect(client: SkipUpClient, method: str, pages: list[Any]) -> None:
            async for page in getattr(client, method)():
                pages.append(len(page.data))  # (the server makes fresh ids each time)

        async with SkipUpClient(KEY, url, max_retries=0) as client:
            with pytest.raises(PaginationError) as raised:
                await bounded(collect(client, method, pages))
        outcomes.append((pages, str(raised.value)))
    assert outcomes[0] == outcomes[1]


async def test_pages_before_the_repeat_are_still_delivered(hostile_server: Serve) -> None:
    url = hostile_server("repeating_cursor")
    pages = []
    async with SkipUpClient(KEY, url) as client:
        with pytest.raises(PaginationError, match="cursor it had sent before"):
            async for page in client.iter_campaign_pages():
                pages.append(page)
    assert len(pages) == 2 and all(len(page.data) == 2 for page in pages)


async def test_teams_with_more_but_no_cursor_is_an_error_as_for_campaigns() -> None:
    """One pagination loop: teams used to stop silently where campaigns raised."""
    body = {
        "data": [{"id": "tm_1", "name": "S", "slug": "s", "mode": "pool"}],
        "meta": {"has_more": True},
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    async with SkipUpClient(KEY, "https://api.example.test/api/v1", transport=transport) as client:
        with pytest.raises(PaginationError, match="no cursor"):
            [team async for team in client.iter_teams()]


# -- size and time -------------------------------------------------------------------------------


async def test_a_dripping_body_ends_at_the_overall_deadline(hostile_server: Serve) -> None:
    url = hostile_server("drip")
    async with SkipUpClient(KEY, url, deadline=1.0, max_retries=0) as client:
        with pytest.raises(APITimeoutError, match="within 1 s"):
            await bounded(client.list_campaigns())


def test_the_deadline_has_a_sensible_default() -> None:
    default = inspect.signature(SkipUpClient).parameters["deadline"].default
    assert 10 <= default <= 300


async def test_a_gzip_bomb_is_refused_without_inflating_it(hostile_server: Serve) -> None:
    url = hostile_server("gzip_bomb")
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError, match="larger than 16,777,216 bytes"):
                await bounded(client.list_campaigns())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{peak:,} bytes at peak for a 1 GiB bomb"


async def test_a_body_past_the_cap_is_refused(hostile_server: Serve) -> None:
    url = hostile_server("huge_body")
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        with pytest.raises(ResponseTooLargeError):
            await bounded(client.list_campaigns())


async def test_an_ordinary_gzip_page_is_read(hostile_server: Serve) -> None:
    url = hostile_server("gzipped")
    async with SkipUpClient(KEY, url) as client:
        page = await bounded(client.list_campaigns())
    assert [c.id for c in page.data] == [f"cmp_{n}" for n in range(5)]


async def test_a_page_with_more_items_than_asked_is_refused(hostile_server: Serve) -> None:
    url = hostile_server("oversized_page")
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        with pytest.raises(ResponseTooLargeError, match="1,000 items .* 100 were asked"):
            await bounded(client.list_campaigns(limit=100))
        with pytest.raises(ResponseTooLargeError, match="1,000 items .* 25 were asked"):
            await bounded(client.list_campaigns(limit=25))
        with pytest.raises(ResponseTooLargeError):
            await bounded(client.list_teams())


# -- numbers and dates ----------------------------------------------------------------------------


async def test_bad_numbers_and_dates_skip_their_campaign_not_the_page(
    hostile_server: Serve,
) -> None:
    url = hostile_server("bad_numbers")
    async with SkipUpClient(KEY, url) as client:
        page = await bounded(client.list_campaigns())
    assert [c.id for c in page.data] == ["cmp_0", "cmp_1", "cmp_2"]
    assert sorted(item.id for item in page.skipped) == sorted(
        f"cmp_bad_{name}" for name in BAD_NUMBERS
    )
    reasons = {item.id: item.reason for item in page.skipped}
    assert "meetings_booked_count" in reasons["cmp_bad_huge_booked"]
    assert "booking_rate" in reasons["cmp_bad_nan_rate"]
    assert "created_at" in reasons["cmp_bad_before_year_1"]
    assert [item.position for item in page.skipped] == [1, 2, 3, 5, 6, 7]
    for good in page.data:
        assert math.isfinite(good.booking_rate) and good.meetings_booked_count <= MAX_COUNT


async def test_one_bad_campaign_by_id_is_a_validation_error_not_a_crash(
    hostile_server: Serve,
) -> None:
    url = hostile_server("bad_numbers")
    async with SkipUpClient(KEY, url) as client:
        with pytest.raises(APIResponseError, match="meetings_booked_count"):
            await bounded(client.get_campaign("cmp_bad"))


def raw_campaign(campaign_id: str, **raw: str) -> str:
    """A campaign as JSON text, with `raw` fields written as given (not JSON-encoded)."""
    fields = {name: json.dumps(value) for name, value in campaign(0, id=campaign_id).items()}
    fields.update(raw)
    return "{" + ",".join(f'"{name}":{value}' for name, value in fields.items()) + "}"


@pytest.mark.parametrize(
    "field, value",
    [
        ("created_at", '"0001-01-01T00:00:00+01:00"'),
        ("updated_at", '"9999-12-31T23:59:59-00:30"'),
        ("booking_rate", "Infinity"),
        ("booking_rate", "NaN"),
        ("booking_rate", "1e999"),
        ("meeting_request_count", "1" + "0" * 400),
    ],
)
async def test_out_of_range_values_are_skipped_errors(field: str, value: str) -> None:
    """Raw bytes on the wire, as a server would send them (NaN/Infinity are not JSON)."""
    items = [raw_campaign("cmp_1"), raw_campaign("cmp_2", **{field: value})]
    body = ('{"data":[' + ",".join(items) + '],"meta":{"has_more":false}}').encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    async with SkipUpClient(KEY, "https://api.example.test/api/v1", transport=transport) as client:
        page = await client.list_campaigns()
    assert [c.id for c in page.data] == ["cmp_1"]
    assert [(s.id, s.position) for s in page.skipped] == [("cmp_2", 1)]
    assert field in page.skipped[0].reason


# -- hostile text --------------------------------------------------------------------------------


async def test_hostile_strings_in_every_field_arrive_intact(hostile_server: Serve) -> None:
    """The client keeps server text as data (the display escapes it); nothing is lost."""
    url = hostile_server("hostile_strings")
    pages = await bounded(all_campaigns(url))  # the cursor between them is hostile too
    teams = await bounded(all_teams(url))
    assert len(pages) == 2 and not any(page.skipped for page in pages)
    ids = [c.id for page in pages for c in page.data]
    assert len(ids) == len(HOSTILE_TEXTS) and set(ids) <= set(HOSTILE_TEXTS)
    assert teams and all(team.id in HOSTILE_TEXTS for team in teams)


async def test_hostile_timestamps_make_their_campaigns_unreadable(hostile_server: Serve) -> None:
    url = hostile_server("hostile_timestamps")
    async with SkipUpClient(KEY, url) as client:
        page = await bounded(client.list_campaigns())
    assert not page.data and len(page.skipped) == len(HOSTILE_TEXTS)


# -- messages and the key ------------------------------------------------------------------------


async def test_a_huge_server_message_is_cut(hostile_server: Serve) -> None:
    url = hostile_server("huge_error")
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        with pytest.raises(InternalServerError) as caught:
            await bounded(client.list_campaigns())
    assert len(caught.value.message) < MAX_SERVER_MESSAGE + 50
    assert len(str(caught.value)) < MAX_SERVER_MESSAGE + 100
    assert "more characters" in caught.value.message


async def test_a_server_echoing_the_key_does_not_get_it_into_the_error(
    hostile_server: Serve,
) -> None:
    url = hostile_server("key_echo")
    async with SkipUpClient(KEY, url) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await bounded(client.list_campaigns())
    for text in (str(caught.value), caught.value.message, repr(caught.value.args)):
        assert KEY not in text and ECHOED_KEY_SHAPE not in text
    assert "«redacted»" in caught.value.message


@pytest.mark.parametrize(
    "key",
    [
        "sk_live_ab\x1bcd",
        "sk_live_ab\ncd",
        "sk_live_\x7f",
        "sk_live_a b",
        "sk_live_\u202eab",
        "sk_live_\x9b",
    ],
)
def test_a_key_with_a_control_character_is_refused_at_construction(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        SkipUpClient(key, "https://api.example.test/api/v1")
    assert key not in str(caught.value)
    assert isinstance(caught.value, SkipUpError)


# -- one place for the environment's names -------------------------------------------------------


def test_the_environment_variable_names_are_written_once() -> None:
    for module in ("config.py", "api/client.py"):
        text = (SRC / module).read_text()
        assert '"SKIPUP_API_KEY"' not in text and '"SKIPUP_BASE_URL"' not in text, module
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, skipup_campaigns.config as c; "
            "from skipup_campaigns.env_names import API_KEY_ENV; "
            "assert c.API_KEY_ENV is API_KEY_ENV; assert 'httpx' not in sys.modules",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# -- waits the server asks for -------------------------------------------------------------------

DAY = 86_400.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120.0),
        ("-5", 0.0),
        ("1e20", DAY),
        ("1e308", DAY),
        ("inf", None),
        ("Infinity", None),
        ("nan", None),
        ("1e400", None),
        ("Fri, 31 Dec 9999 23:59:59 GMT", DAY),
    ],
)
async def test_retry_after_is_finite_and_at_most_a_day(
    hostile_server: Serve, header: str, seconds: float | None
) -> None:
    """Finding 4: `Retry-After: inf` or 1e20 came back as is, and a load then ended with an
    OverflowError (or said "rate limited until year 5195") instead of retrying."""
    url = hostile_server("bad_waits")
    url.state.retry_after = header
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        with pytest.raises(RateLimitError) as caught:
            await bounded(client.list_campaigns())
    assert caught.value.retry_after == seconds


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-RateLimit-Reset", "inf"),
        ("X-RateLimit-Reset", "-inf"),
        ("X-RateLimit-Reset", "nan"),
        ("X-RateLimit-Reset", "1e400"),
        ("X-RateLimit-Reset", "1e300"),
        ("X-RateLimit-Limit", "-1"),
        pytest.param("X-RateLimit-Limit", "9" * 400, id="limit-400-digits"),
        ("X-RateLimit-Remaining", "-5"),
        ("X-RateLimit-Remaining", "1_000"),
        ("X-RateLimit-Remaining", "1e3"),
    ],
)
async def test_rate_limit_headers_not_as_documented_are_ignored(
    hostile_server: Serve, header: str, value: str
) -> None:
    """Finding 3 (client half): `X-RateLimit-Reset: inf` was kept, and a bulk run's estimate
    built on it raised. Counts must be 0..2**53, the reset a finite epoch within a day."""
    import time

    url = hostile_server("bad_waits")
    url.state.retry_after = None
    good = {
        "X-RateLimit-Limit": "120",
        "X-RateLimit-Remaining": "7",
        "X-RateLimit-Reset": str(int(time.time()) + 30),
    }
    url.state.rate_headers = good
    async with SkipUpClient(KEY, url, max_retries=0) as client:
        await bounded(client.list_campaigns())
        assert client.rate_limit is not None and client.rate_limit.remaining == 7  # control
        url.state.rate_headers = good | {header: value}
        await bounded(client.list_campaigns())
        assert client.rate_limit is None

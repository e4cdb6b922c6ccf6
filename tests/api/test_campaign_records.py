"""The list's fast read of campaign pages (api/records.py) reads what the model reads: the same
campaigns kept with the same values, the same ones skipped, the same pages refused. Pages the
sandbox would never send are served by a canned transport."""

from __future__ import annotations

import json
import sys
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import APIResponseError, SkipUpClient, records
from skipup_campaigns.api.errors import ResponseTooLargeError
from skipup_campaigns.api.records import FIELDS, CampaignRecord
from tests.conftest import ADMIN, IN_PROCESS_URL

URL = "https://api.example.test/api/v1"
PLAIN = {
    "id": "cmp_1",
    "name": "Plain",
    "slug": "plain",
    "description": "D",
    "team_id": "tm_1",
    "email_address": "p.acme@skipup.co",
    "team_name": "Sales",
    "active": True,
    "starts_at": "2026-06-01T00:00:00Z",
    "ends_at": None,
    "deactivated_at": None,
    "meeting_request_count": 50,
    "meetings_booked_count": 21,
    "booking_rate": 42.0,
    "created_at": "2026-06-01T00:00:00Z",
    "updated_at": "2026-06-02T03:04:05Z",
}
VARIANTS: dict[str, dict[str, Any]] = {
    "fraction of a second": {"created_at": "2026-06-01T00:00:00.5Z"},
    "an offset": {"updated_at": "2026-06-01T02:00:00+02:00"},
    "a week date": {"created_at": "2026-W01-1T00:00:00Z"},
    "an integer rate": {"booking_rate": 42},
    "a count as 5.0": {"meeting_request_count": 5.0},
    "a count as a bool": {"meetings_booked_count": True},
    "a count too big": {"meeting_request_count": 2**53 + 1},
    "a negative count": {"meetings_booked_count": -1},
    "an unknown field": {"colour": "blue"},
    "a name as a number": {"name": 5},
    "active as a string": {"active": "true"},
    "no description": {"description": ...},
    "no counts": {"meeting_request_count": ..., "meetings_booked_count": ...},
    "no created_at": {"created_at": ...},
    "a huge rate": {"booking_rate": 10**400},
    "a null team": {"team_id": None},
    "a date out of range": {"ends_at": "0000-01-01T00:00:00Z"},
    "a space for the T": {"starts_at": "2026-06-01 00:00:00Z"},
    "a date without dashes": {"updated_at": "20260601T00:00:00Z  "},
    "an e-mail as a number": {"email_address": 7},
    "a null slug": {"slug": None},
    "a description as a list": {"description": ["D"]},
}
PARSED_APART: dict[str, dict[str, Any]] = {
    "a count past 64 bits": {"meetings_booked_count": 2**70},
    "a rate past 64 bits": {"booking_rate": 2**70},
    "a timestamp past 64 bits": {"created_at": 2**70},
    "an id past 64 bits": {"id": 2**70},
    "active past 64 bits": {"active": 2**70},
    "a rate that is not a number": {"booking_rate": float("nan")},
    "an infinite rate": {"booking_rate": float("inf")},
}
"""Numbers orjson reads otherwise than json (past 64 bits: a float, not an int) or refuses
(json reads the page then), each in a page of its own (one refused would send the page to
json)."""


def variant(n: int, changes: dict[str, Any]) -> dict[str, Any]:
    item = {**PLAIN, "id": f"cmp_{n}"}
    for name, value in changes.items():
        if value is ...:
            del item[name]
        else:
            item[name] = value
    return item


def serving(body: bytes) -> SkipUpClient:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return SkipUpClient("sk_test_x", URL, transport=httpx.MockTransport(handle), max_retries=0)


async def both_readings(body: bytes) -> tuple[Any, Any]:
    """(the model's pages, the records' pages) of the same body, or the error each raised."""
    out = []
    for method in ("iter_campaign_pages", "iter_campaign_records"):
        async with serving(body) as client:
            try:
                out.append([page async for page in getattr(client, method)()])
            except Exception as exc:  # noqa: BLE001 - compared below
                out.append(type(exc))
    return out[0], out[1]


def values(campaign: Any) -> dict[str, Any]:
    return {name: getattr(campaign, name) for name in FIELDS}


async def test_every_item_reads_as_the_model_reads_it() -> None:
    items = [variant(0, {})] + [
        variant(n + 1, changes) for n, changes in enumerate(VARIANTS.values())
    ]
    body = json.dumps({"data": items, "meta": {"has_more": False}}).encode()
    model_pages, record_pages = await both_readings(body)
    (by_model,), (by_records,) = model_pages, record_pages
    assert [values(c) for c in by_records.data] == [values(c) for c in by_model.data]
    assert by_records.skipped == by_model.skipped and by_model.skipped
    assert isinstance(by_records.data[0], CampaignRecord)  # the plain one took the fast read


@pytest.mark.parametrize("changes", PARSED_APART.values(), ids=list(PARSED_APART))
async def test_numbers_the_fast_parser_reads_apart_keep_and_skip_the_same(
    changes: dict[str, Any],
) -> None:
    body = json.dumps({"data": [variant(0, {}), variant(1, changes)], "meta": {}}).encode()
    (by_model,), (by_records,) = await both_readings(body)
    assert [values(c) for c in by_records.data] == [values(c) for c in by_model.data]
    assert by_records.skipped == by_model.skipped


async def test_without_orjson_json_reads_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson: ImportError
    monkeypatch.setattr(records, "_fast_loads", None)
    body = json.dumps({"data": [variant(0, {}), variant(1, {"name": 5})], "meta": {}}).encode()
    (by_model,), (by_records,) = await both_readings(body)
    assert [values(c) for c in by_records.data] == [values(c) for c in by_model.data]
    assert by_records.skipped == by_model.skipped and len(by_records.skipped) == 1
    assert records._fast_loads is records._json_loads


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": [], "meta": {"has_more": "no"}}',
        b'{"data": {}, "meta": {}}',
        b'{"data": [], "meta": null}',
        b'\xef\xbb\xbf{"data": [], "meta": {}}',
        json.dumps({"data": [variant(1, {"name": "a\ud800b"})], "meta": {}}).encode(),
        b'{"data": [1, 2',
        b"[]",
    ],
)
async def test_a_page_not_plain_is_read_or_refused_by_the_model(body: bytes) -> None:
    by_model, by_records = await both_readings(body)
    if isinstance(by_model, type):
        assert by_records is by_model
        assert issubclass(by_model, APIResponseError)
    else:
        assert [p.skipped for p in by_records] == [p.skipped for p in by_model]
        assert [[values(c) for c in p.data] for p in by_records] == [
            [values(c) for c in p.data] for p in by_model
        ]


async def test_more_items_than_asked_for_is_refused_as_before() -> None:
    body = json.dumps({"data": [variant(n, {}) for n in range(101)], "meta": {}}).encode()
    assert await both_readings(body) == (ResponseTooLargeError, ResponseTooLargeError)


async def test_the_sandbox_pages_are_read_as_records_that_give_back_the_model(
    sandbox_app: Any,
) -> None:
    async with SkipUpClient(
        ADMIN, IN_PROCESS_URL, transport=httpx.ASGITransport(sandbox_app)
    ) as client:
        records = [c async for page in client.iter_campaign_records(page_size=7) for c in page.data]
        models = [c async for c in client.iter_campaigns(page_size=7)]
    assert records and all(isinstance(c, CampaignRecord) for c in records)
    assert [r.model() for r in records] == models


LOAD_WITHOUT_MODELS = """
import asyncio, json, sys
import httpx
from skipup_campaigns.api.client import SkipUpClient
from skipup_campaigns.workspace import Workspace

body = json.dumps({"data": [PLAIN], "meta": {"has_more": False}}).encode()
transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
workspace = Workspace(SkipUpClient("sk_test_x", "https://api.example.test", transport=transport))
state = asyncio.run(workspace.load())
assert state.error is None and len(workspace.collection) == 1, state
loaded = [m for m in sys.modules if m.startswith("pydantic") or m.endswith(".models")]
print(json.dumps(sorted(loaded)))
"""


def test_a_load_of_plain_pages_never_imports_the_models() -> None:
    """The list's load reads plain pages as records: pydantic and the models (~0.1 s and
    ~10 MB) stay out of the process (a fresh interpreter, as the UI's)."""
    import subprocess
    import sys

    code = f"PLAIN = {PLAIN!r}\n{LOAD_WITHOUT_MODELS}"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


async def test_the_next_pages_request_is_on_its_way_while_the_caller_holds_a_page(
    live_url: str, sandbox_app: Any, store: Any
) -> None:
    """The list's load: the server makes page N+1 while the caller merges page N (over real
    loopback HTTP, where httpcore says when a request is written). Without reading ahead the
    request would wait for the caller to ask, and the count below would never move."""
    import asyncio

    from tests.conftest import campaigns_on_server

    held = 0
    async with SkipUpClient(ADMIN, live_url) as client:
        async for page in client.iter_campaign_records(page_size=7):
            held += 1
            if page.has_more:
                for _ in range(500):  # the server counts it on its own thread
                    if sandbox_app.methods["GET"] >= held + 1:
                        break
                    await asyncio.sleep(0.01)
                assert sandbox_app.methods["GET"] == held + 1
    assert sandbox_app.methods["GET"] == held == -(-len(campaigns_on_server(store)) // 7)


def refusing_every_request() -> SkipUpClient:
    """A client that must not send anything (its first answer was handed to it)."""

    def handle(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"asked again: {request.url}")

    return SkipUpClient("sk_test_x", URL, transport=httpx.MockTransport(handle), max_retries=0)


async def handed_and_fetched(body: bytes) -> tuple[Any, Any]:
    """(the pages read from `body` handed over as the first answer, the pages the client read
    fetching it itself), or the error each raised."""
    from skipup_campaigns.api.records import FirstAnswer, plain_page

    out = []
    answer = FirstAnswer(200, {}, body, 100, plain_page(body, 100))
    for client, first in ((refusing_every_request(), answer), (serving(body), None)):
        async with client:
            try:
                out.append([page async for page in client.iter_campaign_records(first=first)])
            except Exception as exc:  # noqa: BLE001 - compared below
                out.append(type(exc))
    return out[0], out[1]


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"data": [variant(n, {}) for n in range(3)], "meta": {}}).encode(),
        json.dumps(
            {
                "data": [variant(0, {})]
                + [variant(n + 1, changes) for n, changes in enumerate(VARIANTS.values())],
                "meta": {"has_more": False},
            }
        ).encode(),
        b'{"data": [], "meta": {"has_more": "no"}}',
        json.dumps({"data": [variant(1, {"name": "a\ud800b"})], "meta": {}}).encode(),
        b'{"data": [1, 2',
        json.dumps({"data": [variant(n, {}) for n in range(101)], "meta": {}}).encode(),
    ],
)
async def test_a_first_answer_handed_over_reads_as_the_clients_own(body: bytes) -> None:
    """The UI's early page: the same campaigns kept, skipped or refused as when the client
    asks for page one itself, and nothing asked again."""
    handed, fetched = await handed_and_fetched(body)
    if isinstance(fetched, type):
        assert handed is fetched
    else:
        assert [p.skipped for p in handed] == [p.skipped for p in fetched]
        assert [[values(c) for c in p.data] for p in handed] == [
            [values(c) for c in p.data] for p in fetched
        ]


async def test_the_pages_go_on_from_a_first_answer_and_its_rate_limit_is_counted() -> None:
    from skipup_campaigns.api.records import FirstAnswer, plain_page

    asked: list[str] = []
    second = json.dumps({"data": [variant(2, {})], "meta": {"has_more": False}}).encode()

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url.params))
        return httpx.Response(200, content=second)

    body = json.dumps(
        {"data": [variant(1, {})], "meta": {"has_more": True, "next_cursor": "c2"}}
    ).encode()
    limits = {"x-ratelimit-limit": "60", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "0"}
    first = FirstAnswer(200, limits, body, 100, plain_page(body, 100))
    client = SkipUpClient("sk_test_x", URL, transport=httpx.MockTransport(handle))
    async with client:
        pages = [page async for page in client.iter_campaign_records(first=first)]
        assert client.rate_limit is not None and client.rate_limit.remaining == 7
        # Not this request's answer (another page size, a filter) or not a 200: asked again.
        for other, kwargs in ((first, {"page_size": 50}), (first, {"active": True})):
            [page async for page in client.iter_campaign_records(first=other, **kwargs)]
        refused = FirstAnswer(429, {}, None, 100, None)
        [page async for page in client.iter_campaign_records(first=refused)]
    assert [[c.id for c in p.data] for p in pages] == [["cmp_1"], ["cmp_2"]]
    assert asked == ["limit=100&cursor=c2", "limit=50", "active=true&limit=100", "limit=100"]

"""What the client must survive from the real service, and faults the sandbox cannot produce.

The sandbox is strict in what it sends, so the real service's documented variations (section 8
of the reference) and lost responses are played here by transports: canned responses, or the
sandbox itself with a response thrown away on the way back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from skipup_campaigns.api import (
    APIConnectionError,
    APIResponseError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InternalServerError,
    RateLimitError,
    SkipUpClient,
    check_base_url,
)
from skipup_campaigns.api.client import USER_AGENT
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

URL = "https://api.example.test/api/v1"
KEY = "sk_live_recognisable_secret_1234"

CAMPAIGN = {
    "id": "cmp_1",
    "name": "Real",
    "slug": "real",
    "description": None,
    "email_address": "real.acme@skipup.co",
    "team_id": "tm_1",
    "team_name": "Sales",
    "active": True,
    "starts_at": None,
    "ends_at": None,
    "deactivated_at": None,
    "meeting_request_count": 50,
    "meetings_booked_count": 21,
    "booking_rate": 42,
    "created_at": "2026-06-01T00:00:00.123456Z",
    "updated_at": "2026-06-01T02:00:00+00:00",
}


@pytest.fixture(autouse=True)
def no_waiting(recorded_waits: list[float]) -> list[float]:
    return recorded_waits


def canned(
    *responses: httpx.Response | Exception, seen: list[httpx.Request] | None = None
) -> httpx.MockTransport:
    """A transport answering each request with the next canned response (the last repeats)."""
    queue = list(responses)

    def handle(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return httpx.MockTransport(handle)


def client_with(transport: httpx.AsyncBaseTransport, **kwargs: Any) -> SkipUpClient:
    return SkipUpClient(KEY, URL, transport=transport, **kwargs)


# -- tolerance (reference, section 8) --------------------------------------------------------


async def test_extra_fields_fractional_timestamps_offsets_and_integer_rate() -> None:
    body = {"data": {**CAMPAIGN, "brand_new_field": {"x": 1}}}
    async with client_with(canned(httpx.Response(200, json=body))) as client:
        campaign = await client.get_campaign("cmp_1")
    assert campaign.booking_rate == 42.0 and isinstance(campaign.booking_rate, float)
    assert campaign.created_at == datetime(2026, 6, 1, 0, 0, 0, 123456, tzinfo=timezone.utc)
    assert campaign.updated_at == datetime(2026, 6, 1, 2, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "meta",
    [
        {"limit": 25, "has_more": False},
        {"has_more": False, "next_cursor": None},
        {"has_more": False},
        None,
    ],
)
async def test_list_meta_in_every_documented_shape(meta: dict[str, Any] | None) -> None:
    body: dict[str, Any] = {"data": [CAMPAIGN]}
    if meta is not None:
        body["meta"] = meta
    async with client_with(canned(httpx.Response(200, json=body))) as client:
        every = [c async for c in client.iter_campaigns()]
    assert [c.id for c in every] == ["cmp_1"]


async def test_more_pages_without_a_cursor_is_an_error_not_a_loop() -> None:
    body = {"data": [CAMPAIGN], "meta": {"has_more": True}}
    async with client_with(canned(httpx.Response(200, json=body))) as client:
        with pytest.raises(APIResponseError):
            [c async for c in client.iter_campaigns()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "Missing authorization token"}, "Missing authorization token"),
        ({"error": "Invalid or expired API key"}, "Invalid or expired API key"),
        ({"error": {"type": "authentication_error", "message": "Bad key"}}, "Bad key"),
        ({"error": {"type": "unauthorized"}}, "unauthorized"),
    ],
)
async def test_every_401_shape(body: dict[str, Any], message: str) -> None:
    async with client_with(canned(httpx.Response(401, json=body))) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_campaigns()
    assert caught.value.message == message


async def test_non_json_error_body_becomes_a_readable_error(no_waiting: list[float]) -> None:
    page = httpx.Response(
        502, text="<html><body>Bad Gateway</body></html>", headers={"Content-Type": "text/html"}
    )
    async with client_with(canned(page), max_retries=1) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.list_campaigns()
    assert caught.value.status == 502 and "<html>" not in caught.value.message
    assert "502" in caught.value.message


async def test_429_without_retry_after_backs_off_exponentially(no_waiting: list[float]) -> None:
    limited = httpx.Response(429, json={"error": {"type": "rate_limited", "message": "slow"}})
    async with client_with(canned(limited), max_retries=4) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.list_campaigns()
    assert caught.value.retry_after is None
    assert len(no_waiting) == 4
    for attempt, wait in enumerate(no_waiting):
        ceiling = min(8.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= wait <= ceiling


async def test_retry_after_as_an_http_date(no_waiting: list[float]) -> None:
    limited = httpx.Response(
        429,
        headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
        json={"error": {"type": "rate_limited", "message": "later"}},
    )
    ok = httpx.Response(200, json={"data": [], "meta": {"has_more": False}})
    async with client_with(canned(limited, ok)) as client:
        await client.list_campaigns()
    assert no_waiting == [0.0]  # a date in the past: retry at once


async def test_success_body_that_is_not_the_documented_shape() -> None:
    async with client_with(canned(httpx.Response(200, text="<html>hi</html>"))) as client:
        with pytest.raises(APIResponseError):
            await client.get_campaign("cmp_1")


# -- what is retried -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "patch_attempts"),
    [
        (httpx.ReadTimeout("late"), 1),  # sent: it may have landed, so never repeated
        (httpx.RemoteProtocolError("reset mid-body"), 1),
        (httpx.Response(500, json={"error": {"type": "internal_error", "message": "x"}}), 1),
        (httpx.Response(502, text="bad gateway"), 1),
        (httpx.ConnectError("refused"), 3),  # never reached the server
        (httpx.ConnectTimeout("no route"), 3),
        # A gateway may answer 503 after the origin applied it: read back, never resent blindly.
        (httpx.Response(503, text="unavailable"), 1),
        (httpx.Response(504, text="gateway timeout"), 1),
        (httpx.Response(429, json={"error": {"type": "rate_limited", "message": "x"}}), 3),
    ],
)
async def test_patch_is_retried_only_when_the_server_did_not_act(
    failure: httpx.Response | Exception, patch_attempts: int
) -> None:
    patches: list[httpx.Request] = []
    gets: list[httpx.Request] = []
    async with client_with(canned(failure, seen=patches), max_retries=2) as client:
        with pytest.raises((APIConnectionError, InternalServerError, RateLimitError)):
            await client.update_campaign("cmp_1", name="x")
    async with client_with(canned(failure, seen=gets), max_retries=2) as client:
        with pytest.raises((APIConnectionError, InternalServerError, RateLimitError)):
            await client.get_campaign("cmp_1")
    assert len(patches) == patch_attempts
    assert len(gets) == 3
    once: list[httpx.Request] = []  # a checked write repeats its check, not the client
    async with client_with(canned(failure, seen=once), max_retries=2) as client:
        with pytest.raises((APIConnectionError, InternalServerError, RateLimitError)):
            await client.update_campaign("cmp_1", name="x", retry=False)
    assert len(once) == 1


async def test_timeouts_raise_the_timeout_error() -> None:
    async with client_with(canned(httpx.ReadTimeout("late")), max_retries=0) as client:
        with pytest.raises(APITimeoutError):
            await client.list_campaigns()


class LosesFirstResponse(httpx.AsyncBaseTransport):
    """The sandbox, except that the first answer to matching requests is lost on the way
    back: the server acted, the client saw a timeout."""

    def __init__(self, inner: httpx.AsyncBaseTransport, lose: Callable[[httpx.Request], bool]):
        self.inner, self.lose, self.lost, self.requests = inner, lose, False, []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        response = await self.inner.handle_async_request(request)
        if not self.lost and self.lose(request):
            self.lost = True
            await response.aread()
            raise httpx.ReadTimeout("response lost", request=request)
        return response


async def test_create_retried_after_a_lost_response_makes_one_campaign(
    sandbox_app: Any, store: Store
) -> None:
    transport = LosesFirstResponse(httpx.ASGITransport(sandbox_app), lambda r: r.method == "POST")
    async with SkipUpClient(
        "sk_test_admin", "http://127.0.0.1/api/v1", transport=transport
    ) as client:
        team = [t async for t in client.iter_teams()][-1]
        created = await client.create_campaign(name="Exactly once", team_id=team.id)
    posts = [r for r in transport.requests if r.method == "POST"]
    assert len(posts) == 2
    assert posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    rows, _ = store.list_campaigns(MAIN_WORKSPACE, active=None, limit=100, cursor=None)
    assert [r["id"] for r in rows if r["name"] == "Exactly once"] == [created.id]


async def test_deactivate_retried_after_a_lost_response_reports_success(
    sandbox_app: Any, store: Store
) -> None:
    transport = LosesFirstResponse(
        httpx.ASGITransport(sandbox_app), lambda r: r.url.path.endswith("/deactivate")
    )
    async with SkipUpClient(
        "sk_test_admin", "http://127.0.0.1/api/v1", transport=transport
    ) as client:
        target = (await client.list_campaigns(active=True, limit=1)).data[0]
        done = await client.deactivate_campaign(target.id)
    assert done.id == target.id and done.active is False
    assert store.get_campaign(MAIN_WORKSPACE, target.id)["deactivated_at"] is not None


async def test_user_agent_and_auth_header_are_sent() -> None:
    seen: list[httpx.Request] = []
    ok = httpx.Response(200, json={"data": [], "meta": {"has_more": False}})
    async with client_with(canned(ok, seen=seen)) as client:
        await client.list_campaigns(active=False, limit=10)
    request = seen[0]
    assert request.headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("skipup-campaigns/")
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert str(request.url) == f"{URL}/campaigns?active=false&limit=10"


# -- configuration and secrets ---------------------------------------------------------------


def test_missing_key_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match="SKIPUP_API_KEY"):
        SkipUpClient()
    with pytest.raises(ConfigurationError):
        SkipUpClient("   ")


def test_key_and_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKIPUP_API_KEY", KEY)
    monkeypatch.setenv("SKIPUP_BASE_URL", "http://localhost:9999/api/v1/")
    client = SkipUpClient()
    assert client.base_url == "http://localhost:9999/api/v1"
    assert SkipUpClient(base_url=URL).base_url == URL  # an argument beats the environment
    monkeypatch.delenv("SKIPUP_BASE_URL")
    assert SkipUpClient().base_url == "https://api.skipup.ai/api/v1"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8765/api/v1",
        "http://127.0.0.1/api/v1",
        "http://127.8.9.10:1/api/v1",
        "http://[::1]:8765/api/v1",
        "http://[::ffff:127.0.0.1]:80/api/v1",
        "http://LOCALHOST/x",
        "https://api.skipup.ai/api/v1",
        "https://10.0.0.1/api/v1",
    ],
)
def test_base_urls_that_are_safe(url: str) -> None:
    assert check_base_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost.evil.com/api/v1",
        "http://127.0.0.1.nip.io/api/v1",
        "http://[::ffff:10.0.0.1]/api/v1",
        "http://10.0.0.1/api/v1",
        "http://api.skipup.ai/api/v1",
        "http://0.0.0.0/api/v1",
        "ftp://localhost/x",
        "localhost:8765",
        "https://",
        "not a url",
    ],
)
def test_base_urls_that_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        SkipUpClient(KEY, url)


async def test_the_key_appears_in_no_repr_error_or_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    failures = canned(
        httpx.Response(500, text="oops"),
        httpx.ConnectError("refused"),
        httpx.Response(403, json={"error": {"type": "forbidden", "message": "nope"}}),
    )
    client = client_with(failures, max_retries=1)
    texts = [repr(client)]
    for _ in range(2):
        try:
            await client.list_campaigns()
        except Exception as exc:  # noqa: BLE001 - we want the text of whatever it is
            texts += [str(exc), repr(exc)]
    await client.aclose()
    texts += [record.getMessage() for record in caplog.records]
    assert len(texts) >= 5
    assert not any(KEY in text or "recognisable" in text for text in texts)


def test_update_model_sends_only_what_was_set() -> None:
    from skipup_campaigns.api import CampaignCreate, CampaignUpdate

    assert CampaignUpdate(description=None).to_body() == {"description": None}
    assert CampaignUpdate().to_body() == {}
    moment = datetime(2026, 6, 1, 9, 30, 15, 999, tzinfo=timezone.utc)
    assert CampaignUpdate(ends_at=moment).to_body() == {"ends_at": "2026-06-01T09:30:15Z"}
    assert CampaignCreate(name="n", team_id="t").to_body() == {"name": "n", "team_id": "t"}
    with pytest.raises(ValueError):
        CampaignUpdate(name=None)
    with pytest.raises(ValueError):
        CampaignUpdate(starts_at=datetime(2026, 6, 1))  # naive: ambiguous
    with pytest.raises(ValueError):
        CampaignCreate(name="n", team_id="t", colour="red")
    assert json.loads(json.dumps(CampaignCreate(name="n", team_id="t").to_body()))

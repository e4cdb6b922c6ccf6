"""`SkipUpClient`: the async client for SkipUp's Campaigns API, on `httpx.AsyncClient`.

    async with SkipUpClient() as client:            # SKIPUP_API_KEY, SKIPUP_BASE_URL
        async for campaign in client.iter_campaigns(active=True):
            print(campaign.name, campaign.booking_rate)

Retries follow what is safe to repeat: reads, deactivate and creates (which carry one
`Idempotency-Key` across attempts) are retried on any transient failure; a PATCH only when the
server cannot have processed it (connection refused, 429, 503).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import random
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
import pydantic

from skipup_campaigns import __version__
from skipup_campaigns.api.errors import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    InvalidRequestError,
    SkipUpError,
    make_status_error,
    retry_after_seconds,
)
from skipup_campaigns.api.models import (
    Campaign,
    CampaignCreate,
    CampaignUpdate,
    ListEnvelope,
    ObjectEnvelope,
    Page,
    Team,
)

log = logging.getLogger("skipup_campaigns.api")
wire_log = logging.getLogger("skipup_campaigns.api.wire")
"""Whole requests and responses, for `--log FILE` (see skipup_campaigns.debug_log)."""

DEFAULT_BASE_URL = "https://api.skipup.ai/api/v1"
API_KEY_ENV = "SKIPUP_API_KEY"
BASE_URL_ENV = "SKIPUP_BASE_URL"
USER_AGENT = f"skipup-campaigns/{__version__} (python-httpx/{httpx.__version__})"

MAX_PAGE_SIZE = 100
WIRE_LOG_BODY = 4000
BACKOFF_BASE = 0.5
"""Seconds before the first retry when the server gave no Retry-After; doubles each time."""
BACKOFF_CAP = 8.0

# "safe": repeating cannot do harm (reads, deactivate, idempotent create).
# "unsent": retry only when the server surely did not act on the request (PATCH).
RetryPolicy = Literal["safe", "unsent"]
_RETRY_IF_SAFE = {408, 429, 500, 502, 503, 504}
_RETRY_IF_UNSENT = {429, 503}

M = TypeVar("M", bound=pydantic.BaseModel)


def is_loopback_host(host: str) -> bool:
    """True for `localhost` and loopback addresses only (`localhost.evil.com` is not)."""
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def check_base_url(url: str) -> str:
    """The base URL, if it is safe to send a key to: https anywhere, plain http to loopback."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"Base URL {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(
            f"Base URL {url!r} must start with https:// and name a host")
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise ConfigurationError(
            f"Refusing plain http:// to {parsed.host}: the API key would travel unencrypted. "
            "Use https://, or http:// only to localhost or 127.0.0.1.")
    return url.rstrip("/")


@dataclass(frozen=True)
class RateLimitStatus:
    """The server's last word on our rate limit (`X-RateLimit-*` headers)."""

    limit: int
    remaining: int
    reset: float
    """Epoch seconds at which the window resets."""


class SkipUpClient:
    """Async client for the SkipUp Campaigns API. Use as `async with SkipUpClient() as c:`."""

    # Indirection so tests can observe waits without sleeping.
    _sleep = staticmethod(asyncio.sleep)

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Explicit arguments win, then `SKIPUP_API_KEY` / `SKIPUP_BASE_URL`, then defaults.

        `transport` replaces the network (e.g. `httpx.ASGITransport(sandbox_app)`);
        `max_retry_wait` caps how long a `Retry-After` may make one retry wait.
        """
        key = api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")
        if not key.strip():
            raise ConfigurationError(
                f"No SkipUp API key: set {API_KEY_ENV} or pass api_key= to SkipUpClient")
        self.base_url = check_base_url(base_url or os.environ.get(BASE_URL_ENV)
                                       or DEFAULT_BASE_URL)
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.rate_limit: RateLimitStatus | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers={"Authorization": f"Bearer {key.strip()}", "User-Agent": USER_AGENT,
                     "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    def __repr__(self) -> str:
        return f"SkipUpClient(base_url={self.base_url!r}, api_key='***')"

    async def __aenter__(self) -> SkipUpClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- campaigns -----------------------------------------------------------------------------

    async def list_campaigns(
        self, *, active: bool | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Page[Campaign]:
        """One page of campaigns, newest first. `active=True` only active ones, `False` only
        inactive ones, None all."""
        params: dict[str, Any] = {} if active is None else {
            "active": "true" if active else "false"}
        params.update(_page_params(limit, cursor))
        response = await self._send("GET", "/campaigns", params=params)
        return _decode(ListEnvelope[Campaign], response).page()

    async def iter_campaign_pages(
        self, *, active: bool | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[Page[Campaign]]:
        """Every page in turn (what a UI needs to show rows as they arrive)."""
        cursor = None
        while True:
            page = await self.list_campaigns(active=active, limit=page_size, cursor=cursor)
            yield page
            if not page.has_more:
                return
            if not page.next_cursor:
                raise APIResponseError("The server said there are more pages but sent no cursor")
            cursor = page.next_cursor

    async def iter_campaigns(
        self, *, active: bool | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[Campaign]:
        """Every campaign, across pages."""
        async for page in self.iter_campaign_pages(active=active, page_size=page_size):
            for campaign in page.data:
                yield campaign

    async def get_campaign(self, campaign_id: str) -> Campaign:
        response = await self._send("GET", f"/campaigns/{_segment(campaign_id)}")
        return _decode(ObjectEnvelope[Campaign], response).data

    async def create_campaign(
        self,
        data: CampaignCreate | None = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> Campaign:
        """Create a campaign from a `CampaignCreate` or keyword fields. One `Idempotency-Key`
        (yours, or a fresh one) covers every retry, so a retry never makes two."""
        body = (data or CampaignCreate(**fields)).to_body()
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        response = await self._send("POST", "/campaigns", json_body=body, headers=headers)
        return _decode(ObjectEnvelope[Campaign], response).data

    async def update_campaign(
        self, campaign_id: str, data: CampaignUpdate | None = None, **fields: Any
    ) -> Campaign:
        """Change only the fields given; None for description or a date clears it."""
        body = (data or CampaignUpdate(**fields)).to_body()
        response = await self._send("PATCH", f"/campaigns/{_segment(campaign_id)}",
                                    json_body=body, retry="unsent")
        return _decode(ObjectEnvelope[Campaign], response).data

    async def deactivate_campaign(self, campaign_id: str) -> Campaign:
        """Deactivate a campaign (SkipUp offers no way back)."""
        path = f"/campaigns/{_segment(campaign_id)}/deactivate"
        try:
            response = await self._send("POST", path)
        except InvalidRequestError as exc:
            # A retry after an unanswered attempt may find our own first attempt's work done.
            if exc.attempts > 1:
                campaign = await self.get_campaign(campaign_id)
                if campaign.deactivated_at is not None:
                    return campaign
            raise
        return _decode(ObjectEnvelope[Campaign], response).data

    # -- teams ---------------------------------------------------------------------------------

    async def list_teams(self, *, limit: int | None = None,
                         cursor: str | None = None) -> Page[Team]:
        response = await self._send("GET", "/teams", params=_page_params(limit, cursor))
        return _decode(ListEnvelope[Team], response).page()

    async def iter_teams(self, *, page_size: int = MAX_PAGE_SIZE) -> AsyncIterator[Team]:
        cursor = None
        while True:
            page = await self.list_teams(limit=page_size, cursor=cursor)
            for team in page.data:
                yield team
            if not page.has_more or not page.next_cursor:
                return
            cursor = page.next_cursor

    async def get_team(self, team_id: str) -> Team:
        response = await self._send("GET", f"/teams/{_segment(team_id)}")
        return _decode(ObjectEnvelope[Team], response).data

    # -- transport -----------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry: RetryPolicy = "safe",
    ) -> httpx.Response:
        """One call with retries; returns a 2xx response or raises a `SkipUpError`."""
        attempt = 0
        while True:
            await self._pace()
            response: httpx.Response | None = None
            error: SkipUpError
            try:
                response = await self._http.request(method, path, params=params, json=json_body,
                                                    headers=headers)
            except httpx.TimeoutException as exc:
                unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                error = APITimeoutError()
                retryable = retry == "safe" or unsent
            except httpx.TransportError as exc:
                unsent = isinstance(exc, httpx.ConnectError)
                error = APIConnectionError(
                    f"Could not reach the SkipUp API at {self.base_url} "
                    f"({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})")
                retryable = retry == "safe" or unsent
            else:
                log.debug("%s %s -> %s", method, response.url.path, response.status_code)
                if wire_log.isEnabledFor(logging.DEBUG):
                    _log_exchange(response)
                self._note_rate_limit(response.headers)
                if response.is_success:
                    return response
                error = make_status_error(response)
                allowed = _RETRY_IF_SAFE if retry == "safe" else _RETRY_IF_UNSENT
                retryable = response.status_code in allowed
            error.attempts = attempt + 1
            log.debug("%s %s failed (attempt %d): %s", method, path, attempt + 1, error)
            if not retryable or attempt >= self.max_retries:
                raise error
            delay = self._retry_delay(attempt, response)
            log.debug("retrying %s %s in %.2fs after %s", method, path, delay,
                      type(error).__name__)
            await self._sleep(delay)
            self.rate_limit = None  # that wait was the pause; do not pace again on top of it
            attempt += 1

    async def _pace(self) -> None:
        """Stay under the server's rate limit rather than run into 429s: with nothing left
        in this window, wait for it to reset (as the last X-RateLimit-* headers said)."""
        status = self.rate_limit
        if status is None or status.remaining > 0:
            return
        wait = status.reset - time.time()
        self.rate_limit = None  # a new window starts; the next answer says how much is left
        if wait > 0:
            log.debug("rate limit used up; waiting %.1fs for the window to reset", wait)
            await self._sleep(min(wait, self.max_retry_wait))

    def _retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        """The server's Retry-After (capped) or exponential backoff with jitter."""
        if response is not None:
            asked = retry_after_seconds(response.headers)
            if asked is not None:
                return min(asked, self.max_retry_wait)
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        try:
            self.rate_limit = RateLimitStatus(
                limit=int(headers["x-ratelimit-limit"]),
                remaining=int(headers["x-ratelimit-remaining"]),
                reset=float(headers["x-ratelimit-reset"]))
        except (KeyError, ValueError):
            pass


def _page_params(limit: int | None, cursor: str | None) -> dict[str, Any]:
    """A list call's `limit` and `cursor`, leaving out what is not given."""
    return {name: value for name, value in (("limit", limit), ("cursor", cursor))
            if value is not None}


def _log_exchange(response: httpx.Response) -> None:
    """The request and its answer, for `--log`: headers with Authorization replaced, bodies
    cut at WIRE_LOG_BODY characters."""
    request = response.request

    def headers(pairs: httpx.Headers) -> str:
        return ", ".join(
            f"{name}: {'Bearer «redacted»' if name.lower() == 'authorization' else value}"
            for name, value in pairs.items())

    def body(content: bytes) -> str:
        text = content.decode("utf-8", "replace")
        return text if len(text) <= WIRE_LOG_BODY else (
            f"{text[:WIRE_LOG_BODY]}… ({len(content):,} bytes in all)")

    wire_log.debug("> %s %s | %s | %s", request.method, request.url, headers(request.headers),
                   body(request.content))
    wire_log.debug("< %s | %s | %s", response.status_code, headers(response.headers),
                   body(response.content))


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another route (dots too, so `..`
    is not resolved away)."""
    return quote(value, safe="").replace(".", "%2E")


def _decode(model: type[M], response: httpx.Response) -> M:
    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise APIResponseError(
            f"Unexpected response from {response.request.method} {response.url.path}: "
            f"{exc.error_count()} field(s) not as documented "
            f"({exc.errors()[0]['loc']}: {exc.errors()[0]['msg']})") from None


__all__ = ["APIStatusError", "DEFAULT_BASE_URL", "SkipUpClient", "check_base_url"]

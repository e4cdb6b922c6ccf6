"""`SkipUpClient`: the async client for SkipUp's Campaigns API, on `httpx.AsyncClient`.

    async with SkipUpClient() as client:            # SKIPUP_API_KEY, SKIPUP_BASE_URL
        async for campaign in client.iter_campaigns(active=True):
            print(campaign.name, campaign.booking_rate)

Retries follow what is safe to repeat: reads, deactivate and creates (which carry one
`Idempotency-Key` across attempts) are retried on any transient failure; a PATCH only when the
server cannot have processed it (connection refused, 429). A 503 may come from a gateway after
the origin applied the change, so it is not repeated: `skipup_campaigns.checked_write` reads
such a campaign back instead.

Rate limit: a request starts only when the last `X-RateLimit-*` headers leave room for it beside
this client's requests not yet answered; `reserved(n)` takes n slots at once, so a check and
its write go out with no pacing wait between them. `stoppable(event)` makes every wait of the
calling task (for a slot, before a retry) end at once when the event is set: the request is then
never sent (`RequestNotSent`).

Bounded against a broken or hostile server: each attempt has an overall `deadline` (default
60 s, however slowly the body drips), a body may decode to at most `max_response_bytes`
(default 16 MiB, gzip included), a page may not hold more items than asked, pagination stops
with `PaginationError` on a cursor seen before or a page that adds nothing, and server error
messages are cut to 500 characters with the key redacted.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import ipaddress
import logging
import math
import operator
import os
import random
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar
from urllib.parse import quote

from skipup_campaigns import __version__
from skipup_campaigns.api._http import httpx
from skipup_campaigns.api.errors import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    APITimeoutError,
    ConfigurationError,
    InvalidRequestError,
    PaginationError,
    RateLimitError,
    RequestNotSent,
    ResponseTooLargeError,
    SkipUpError,
    make_status_error,
    retry_after_seconds,
)
from skipup_campaigns.api.rate_wait import PACED, REFUSED, RateLimitWaits
from skipup_campaigns.api.records import (
    NOT_PLAIN,
    CampaignRecord,
    FirstAnswer,
    RecordPage,
    campaign_record,
    items_as_json_reads_them,
    plain_envelope,
)
from skipup_campaigns.env_names import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from skipup_campaigns.number_limits import MAX_WAIT_SECONDS, checked_count

if TYPE_CHECKING:
    # The models (pydantic) are imported where used, not here: the list's load reads plain
    # pages as records (api/records.py) and never needs them (~0.1 s and ~10 MB at start).
    import pydantic

    from skipup_campaigns.api.models import (
        Campaign,
        CampaignCreate,
        CampaignUpdate,
        ListEnvelope,
        Page,
        Team,
        Unreadable,
    )

log = logging.getLogger("skipup_campaigns.api")
wire_log = logging.getLogger("skipup_campaigns.api.wire")
_httpx_log = logging.getLogger("httpx")
"""Whole requests and responses, for `--log FILE` (see skipup_campaigns.debug_log)."""

USER_AGENT = f"skipup-campaigns/{__version__} (python-httpx/{httpx.__version__})"

MAX_PAGE_SIZE = 100
DEFAULT_DEADLINE = 60.0
"""Seconds one attempt may take in all, connecting to the last byte of the body."""
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""A body's decoded size cap: a full page of 100 campaigns is about 60 KB."""
WIRE_LOG_BODY = 4000
BACKOFF_BASE = 0.5
"""Seconds before the first retry when the server gave no Retry-After; doubles each time."""
BACKOFF_CAP = 8.0

RATE_WINDOW_SECONDS = 60.0
"""SkipUp's rate limit is per minute: a window that reset is assumed full for this long, until
an answer says otherwise."""

# "safe": repeating cannot do harm (reads, deactivate, idempotent create).
# "unsent": retry only when the server surely did not act on the request (PATCH): refused
#   before any byte left, or a 429 (the limit is checked before anything is done).
# "never": send once; the caller decides what a failure means (a checked write).
RetryPolicy = Literal["safe", "unsent", "never"]
_RETRY_IF_SAFE = {408, 429, 500, 502, 503, 504}
_RETRY_IF_UNSENT = {429}


@dataclass
class _Reservation:
    """Slots of the rate limit a task took together (`SkipUpClient.reserved`)."""

    client: SkipUpClient
    left: int


_RESERVED: contextvars.ContextVar[_Reservation | None] = contextvars.ContextVar(
    "skipup_reserved", default=None
)
_STOP: contextvars.ContextVar[asyncio.Event | None] = contextvars.ContextVar(
    "skipup_stop", default=None
)

M = TypeVar("M", bound="pydantic.BaseModel")


class _ListPage(Protocol):
    """What the pagination loop reads of a page: a model's `Page` or a `RecordPage`."""

    @property
    def data(self) -> Sequence[Any]: ...
    @property
    def has_more(self) -> bool: ...
    @property
    def next_cursor(self) -> str | None: ...
    @property
    def skipped(self) -> Sequence[Unreadable]: ...


P = TypeVar("P", bound=_ListPage)


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
        raise ConfigurationError(f"Base URL {url!r} must start with https:// and name a host")
    if parsed.scheme == "http" and not is_loopback_host(parsed.host):
        raise ConfigurationError(
            f"Refusing plain http:// to {parsed.host}: the API key would travel unencrypted. "
            "Use https://, or http:// only to localhost or 127.0.0.1."
        )
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
        deadline: float = DEFAULT_DEADLINE,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Explicit arguments win, then `SKIPUP_API_KEY` / `SKIPUP_BASE_URL`, then defaults.

        `transport` replaces the network (e.g. `httpx.ASGITransport(sandbox_app)`);
        `timeout` bounds each wait for the network, `deadline` one whole attempt (a body
        dripping a byte at a time never resets it); `max_response_bytes` caps a decoded body;
        `max_retry_wait` caps how long a `Retry-After` may make one retry wait.
        """
        key = (api_key if api_key is not None else os.environ.get(API_KEY_ENV, "")).strip()
        if not key:
            raise ConfigurationError(
                f"No SkipUp API key: set {API_KEY_ENV} or pass api_key= to SkipUpClient"
            )
        if not (key.isascii() and key.isprintable()) or " " in key:
            # Never echo it: the point is that it holds bytes a terminal or a header would act on.
            raise ConfigurationError(
                "The SkipUp API key contains a control character, a space or a non-ASCII "
                "character; copy it again from SkipUp"
            )
        self._secrets = (key,)
        self._urls: dict[str, httpx.URL] = {}
        self.deadline = deadline
        self.max_response_bytes = max_response_bytes
        self.base_url = check_base_url(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.rate_limit: RateLimitStatus | None = None
        self._unanswered = 0
        """Slots taken by requests whose answer has not come (or reserved, not yet sent)."""
        self.waits = RateLimitWaits()
        """Every wait for the rate limit in progress (a 429's Retry-After, the window's
        reset, the bulk engine's pauses), so a UI or a command can count it down."""
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            # Only the encodings we inflate ourselves, under the size cap (see _read_body).
            headers={
                "Authorization": f"Bearer {key}",
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            },
            timeout=timeout,
            transport=transport,
        )
        self._timeout = self._http.timeout.as_dict()
        self._transport_for: Callable[[httpx.URL], httpx.AsyncBaseTransport] | None = getattr(
            self._http, "_transport_for_url", None
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
        from skipup_campaigns.api.models import Campaign

        params: dict[str, Any] = {} if active is None else {"active": "true" if active else "false"}
        params.update(_page_params(limit, cursor))
        response = await self._send("GET", "/campaigns", params=params)
        return _read_page(Campaign, response, limit)

    async def iter_campaign_pages(
        self, *, active: bool | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[Page[Campaign]]:
        """Every page in turn (what a UI needs to show rows as they arrive). A page's
        `skipped` lists its campaigns that were not as documented."""
        async for page in _pages(
            lambda cursor: self.list_campaigns(active=active, limit=page_size, cursor=cursor)
        ):
            yield page

    async def iter_campaign_records(
        self,
        *,
        active: bool | None = None,
        page_size: int = MAX_PAGE_SIZE,
        first: FirstAnswer | None = None,
    ) -> AsyncIterator[RecordPage]:
        """`iter_campaign_pages` for a caller that only reads the campaigns' fields (the list's
        load): each campaign sent in the documented form is a `CampaignRecord` (see
        api/records.py), read without a model; any other is validated by the model as ever,
        so the same campaigns are accepted, skipped or refused. A load of plain pages never
        imports the models.

        `first`: the answer to the first request, received before this client was made (the
        UI's early page). Its rate-limit headers are counted as any answer's; a 200 to this
        same request is read as this client reads an answer, and the pages go on from its
        cursor (page one is not asked for twice). Any other is asked for again."""

        async def fetch(cursor: str | None) -> RecordPage:
            params: dict[str, Any] = (
                {} if active is None else {"active": "true" if active else "false"}
            )
            params.update(_page_params(page_size, cursor))
            return _read_records(await self._send("GET", "/campaigns", params=params), page_size)

        answered = None if first is None else self._read_first(first, active, page_size)
        async for page in _pages(fetch, ahead=True, first=answered):
            yield page

    def _read_first(
        self, first: FirstAnswer, active: bool | None, page_size: int
    ) -> RecordPage | None:
        """The page of an answer received before this client was made, read as `_send` and
        `_read_records` read one (None: not a 200 to the request this load makes first)."""
        self._note_rate_limit(httpx.Headers(first.rate_limit))
        if (
            first.status != 200
            or first.body is None
            or active is not None
            or first.asked != page_size
        ):
            return None
        if first.page is not None:  # plain: read by the same code (records.plain_page)
            return first.page
        if len(first.body) > self.max_response_bytes:
            return None  # asked again: this client's own read refuses it
        request = self._http.build_request(
            "GET", self._url("/campaigns"), params=_page_params(page_size, None)
        )
        return _read_records(httpx.Response(200, content=first.body, request=request), page_size)

    async def iter_campaigns(
        self, *, active: bool | None = None, page_size: int = MAX_PAGE_SIZE
    ) -> AsyncIterator[Campaign]:
        """Every campaign, across pages."""
        async for page in self.iter_campaign_pages(active=active, page_size=page_size):
            for campaign in page.data:
                yield campaign

    async def get_campaign(self, campaign_id: str) -> Campaign:
        from skipup_campaigns.api.models import Campaign, ObjectEnvelope

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
        from skipup_campaigns.api.models import Campaign, CampaignCreate, ObjectEnvelope

        body = (data or CampaignCreate(**fields)).to_body()
        headers = {"Idempotency-Key": idempotency_key or str(uuid.uuid4())}
        response = await self._send("POST", "/campaigns", json_body=body, headers=headers)
        return _decode(ObjectEnvelope[Campaign], response).data

    async def update_campaign(
        self,
        campaign_id: str,
        data: CampaignUpdate | None = None,
        *,
        retry: bool = True,
        **fields: Any,
    ) -> Campaign:
        """Change only the fields given; None for description or a date clears it. Repeated
        only when the server surely did not act on it; `retry=False` sends it once (a checked
        write repeats its check instead, see `skipup_campaigns.checked_write`)."""
        from skipup_campaigns.api.models import Campaign, CampaignUpdate, ObjectEnvelope

        body = (data or CampaignUpdate(**fields)).to_body()
        response = await self._send(
            "PATCH",
            f"/campaigns/{_segment(campaign_id)}",
            json_body=body,
            retry="unsent" if retry else "never",
        )
        return _decode(ObjectEnvelope[Campaign], response).data

    async def deactivate_campaign(self, campaign_id: str) -> Campaign:
        """Deactivate a campaign (SkipUp offers no way back)."""
        from skipup_campaigns.api.models import Campaign, ObjectEnvelope

        path = f"/campaigns/{_segment(campaign_id)}/deactivate"
        try:
            response = await self._send("POST", path)
        except InvalidRequestError as exc:
            # A retry after an unanswered attempt may find our own first attempt's work done.
            if exc.attempts > 1:
                from skipup_campaigns.bulk import nothing_to_do

                campaign = await self.get_campaign(campaign_id)
                if nothing_to_do.deactivation(campaign) is not None:
                    return campaign
            raise
        return _decode(ObjectEnvelope[Campaign], response).data

    # -- teams ---------------------------------------------------------------------------------

    async def list_teams(
        self, *, limit: int | None = None, cursor: str | None = None
    ) -> Page[Team]:
        from skipup_campaigns.api.models import Team

        response = await self._send("GET", "/teams", params=_page_params(limit, cursor))
        return _read_page(Team, response, limit)

    async def iter_teams(self, *, page_size: int = MAX_PAGE_SIZE) -> AsyncIterator[Team]:
        """Every readable team, across pages."""
        async for page in _pages(lambda cursor: self.list_teams(limit=page_size, cursor=cursor)):
            for team in page.data:
                yield team

    async def get_team(self, team_id: str) -> Team:
        from skipup_campaigns.api.models import ObjectEnvelope, Team

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
            await self._take_slot(first_attempt=attempt == 0)
            response: httpx.Response | None = None
            error: SkipUpError
            try:
                async with asyncio.timeout(self.deadline):
                    response = await self._exchange(method, path, params, json_body, headers)
            except TimeoutError:
                error = APITimeoutError(
                    f"The SkipUp API did not answer completely within {self.deadline:g} s"
                )
                retryable = retry == "safe"
            except httpx.TimeoutException as exc:
                unsent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
                error = APITimeoutError()
                error.request_sent = not unsent
                retryable = retry == "safe" or (retry == "unsent" and unsent)
            except httpx.TransportError as exc:
                unsent = isinstance(exc, httpx.ConnectError)
                error = APIConnectionError(
                    f"Could not reach the SkipUp API at {self.base_url} "
                    f"({type(exc).__name__}{': ' + str(exc) if str(exc) else ''})"
                )
                error.request_sent = not unsent
                retryable = retry == "safe" or (retry == "unsent" and unsent)
            else:
                log.debug("%s %s -> %s", method, response.url.path, response.status_code)
                if wire_log.isEnabledFor(logging.DEBUG):
                    _log_exchange(response)
                self._note_rate_limit(response.headers)
                if response.is_success:
                    return response
                error = make_status_error(response, self._secrets)
                allowed = {"safe": _RETRY_IF_SAFE, "unsent": _RETRY_IF_UNSENT}.get(retry, ())
                retryable = response.status_code in allowed
            finally:
                self._unanswered -= 1
            error.attempts = attempt + 1
            log.debug("%s %s failed (attempt %d): %s", method, path, attempt + 1, error)
            if not retryable or attempt >= self.max_retries:
                raise error
            delay = self._retry_delay(attempt, response)
            log.debug("retrying %s %s in %.2fs after %s", method, path, delay, type(error).__name__)
            await self._wait(delay, REFUSED if isinstance(error, RateLimitError) else None)
            if isinstance(error, RateLimitError):
                self._window_reset()  # that wait was the pause; do not pace again on top of it
            attempt += 1

    async def _exchange(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json_body: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> httpx.Response:
        """Send one request and read its body under the size cap."""
        trace = None if _ON_WAY.get() is None else {"trace": _trace}
        plain = json_body is None and headers is None and self._plain_sending()
        if plain:
            request = httpx.Request(
                method,
                self._url(path),
                params=params,
                headers=self._http.headers,
                extensions={"timeout": self._timeout, **(trace or {})},
            )
            response = await self._send_plain(request)
        else:
            request = self._http.build_request(
                method,
                self._url(path),
                params=params,
                json=json_body,
                headers=headers,
                extensions=trace,
            )
            response = await self._http.send(request, stream=True)
        try:
            try:
                body = response.content  # a transport (e.g. MockTransport) may have read it
            except httpx.ResponseNotRead:
                # What Response.aread would set, read under our cap instead of unbounded.
                response._content = body = await self._read_body(response)
            if len(body) > self.max_response_bytes:
                raise self._too_large(response)
        finally:
            await response.aclose()
        return response

    def _plain_sending(self) -> bool:
        """Whether `_send_plain` sends as `AsyncClient.send` would: nothing of the client's
        own is in the way (no event hook, auth, cookie kept, redirect followed, httpx's own
        log listened to), and httpx still has the method it is built on (else its way)."""
        http = self._http
        hooks = http.event_hooks
        return (
            self._transport_for is not None
            and not hooks["request"]
            and not hooks["response"]
            and http.auth is None
            and not http.follow_redirects
            and not http.cookies
            and not http.is_closed
            and not _httpx_log.isEnabledFor(logging.INFO)
        )

    async def _send_plain(self, request: httpx.Request) -> httpx.Response:
        """`AsyncClient.send(request, stream=True)` without its layers (auth and redirect
        flows, event hooks, a cookie jar read for every answer: ~80 µs a request, ~0.08 s of
        a 100,000-campaign load): the transport's answer bound to its request, cookies taken
        when the server sets one."""
        assert self._transport_for is not None
        try:
            response = await self._transport_for(request.url).handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx's own sending says which request failed
            raise
        response.request = request
        if "set-cookie" in response.headers or "set-cookie2" in response.headers:
            self._http.cookies.extract_cookies(response)
        return response

    def _url(self, path: str) -> httpx.URL:
        """The absolute URL of an API path, made once per path: httpx parses a relative path
        and its merge with the base URL on every request, a third of a page's request cost."""
        url = self._urls.get(path)
        if url is None:
            if len(self._urls) >= 256:  # per-id paths must not grow it for ever
                self._urls.clear()
            url = self._urls[path] = self._http.build_request("GET", path).url
        return url

    def _too_large(self, response: httpx.Response) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"The response to {response.request.method} {response.request.url.path} was "
            f"larger than {self.max_response_bytes:,} bytes; refused"
        )

    async def _read_body(self, response: httpx.Response) -> bytes:
        """The decoded body, refused past `max_response_bytes`. We inflate gzip/deflate
        ourselves, at most a cap's worth at a time, so a bomb never inflates whole."""
        cap = self.max_response_bytes
        encoding = response.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            inflater = None
        elif encoding in ("gzip", "x-gzip"):
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            inflater = zlib.decompressobj()
        else:
            raise APIResponseError(
                f"The server sent a body in an encoding we did not ask for ({encoding[:40]!r})"
            )
        chunks: list[bytes] = []
        size = 0
        try:
            async for raw in response.aiter_raw():
                while raw:
                    if inflater is None:
                        piece, raw = raw, b""
                    else:
                        piece = inflater.decompress(raw, cap - size + 1)
                        raw = inflater.unconsumed_tail
                    size += len(piece)
                    if size > cap:
                        raise self._too_large(response)
                    chunks.append(piece)
        except zlib.error:
            raise APIResponseError("The server sent a body that does not inflate") from None
        return b"".join(chunks)

    # -- the rate limit ------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def reserved(self, slots: int) -> AsyncIterator[None]:
        """Take `slots` of the rate limit together, waiting (here, before any of them is sent)
        until the window has room for all; the calling task's next `slots` requests then start
        without pacing. Slots not used are given back on leaving."""
        await self._take(slots)
        reservation = _Reservation(self, slots)
        token = _RESERVED.set(reservation)
        try:
            yield
        finally:
            _RESERVED.reset(token)
            self._unanswered -= reservation.left

    @staticmethod
    @contextlib.contextmanager
    def stoppable(stop: asyncio.Event | None) -> Iterator[None]:
        """While inside, every wait of the calling task ends when `stop` is set, and a request
        not yet sent is not sent: `RequestNotSent` is raised. None: waits are not stoppable
        (a read that must happen, e.g. reading back a write whose answer was lost)."""
        token = _STOP.set(stop)
        try:
            yield
        finally:
            _STOP.reset(token)

    def _now(self) -> float:
        """Epoch seconds, as the rate limit's headers count them (a benchmark speeds it up)."""
        return time.time()

    async def _take_slot(self, *, first_attempt: bool) -> None:
        """One slot for the request about to be sent: a reserved one (first attempts only: a
        retry must not take the slot kept for the write after it), or one waited for."""
        stop = _STOP.get()
        if stop is not None and stop.is_set():
            raise RequestNotSent()
        reservation = _RESERVED.get()
        if (
            first_attempt
            and reservation is not None
            and reservation.client is self
            and reservation.left > 0
        ):
            reservation.left -= 1  # already counted in _unanswered
            return
        await self._take(1)

    async def _take(self, slots: int) -> None:
        """Wait until the window has `slots` free beside the requests not yet answered (at most
        what a window holds), then count them as taken."""
        while True:
            status = self.rate_limit
            if status is None or (
                status.remaining - self._unanswered >= min(slots, max(status.limit, 1))
            ):
                self._unanswered += slots
                return
            wait = status.reset - self._now()
            if wait > 0:
                log.debug("rate limit spoken for; waiting %.1fs for the window to reset", wait)
                await self._wait(min(wait, self.max_retry_wait), PACED)
            if self.rate_limit is status:  # nobody's answer said otherwise meanwhile
                self._window_reset()

    def _window_reset(self) -> None:
        """The window we waited for has begun: assume it full until an answer says."""
        status = self.rate_limit
        if status is not None:
            self.rate_limit = replace(
                status, remaining=status.limit, reset=self._now() + RATE_WINDOW_SECONDS
            )

    async def _wait(self, seconds: float, reason: str | None = None) -> None:
        """Sleep (a wait for the rate limit when `reason` says why: announced in `waits`),
        unless the calling task's stop event (see `stoppable`) is set first."""
        _on_way()  # a page read ahead is not held back for this wait

        async def sleeping() -> None:
            if reason is None:
                await self._sleep(seconds)
            else:
                await self.waits.sleep(seconds, reason, self.per_minute, self._sleep)

        stop = _STOP.get()
        if stop is None:
            await sleeping()
            return
        if stop.is_set():
            raise RequestNotSent()
        sleeper = asyncio.ensure_future(sleeping())
        stopper = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait((sleeper, stopper), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, stopper):
                task.cancel()
        if stop.is_set():
            raise RequestNotSent()

    @property
    def per_minute(self) -> int | None:
        """The rate limit the server last stated, requests a minute (None: not stated)."""
        return self.rate_limit.limit if self.rate_limit is not None else None

    def _retry_delay(self, attempt: int, response: httpx.Response | None) -> float:
        """The server's Retry-After (capped) or exponential backoff with jitter."""
        if response is not None:
            asked = retry_after_seconds(response.headers)
            if asked is not None:
                return min(asked, self.max_retry_wait)
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2.0**attempt)
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _note_rate_limit(self, headers: httpx.Headers) -> None:
        """Keep the X-RateLimit-* headers if sent as documented: counts from 0 to 2**53, a
        finite reset at most a day ahead (an `inf` would make every estimate infinite).
        Headers sent otherwise are forgotten: no pacing on them, the server's 429s decide."""
        try:
            values = (
                headers["x-ratelimit-limit"],
                headers["x-ratelimit-remaining"],
                headers["x-ratelimit-reset"],
            )
        except KeyError:
            return
        try:
            reset = float(values[2])
            if not (math.isfinite(reset) and reset - self._now() <= MAX_WAIT_SECONDS):
                raise ValueError("reset")
            status = RateLimitStatus(
                limit=_header_count(values[0]), remaining=_header_count(values[1]), reset=reset
            )
        except ValueError:
            self.rate_limit = None
            return
        last = self.rate_limit
        if last is not None and last.reset == status.reset and last.remaining < status.remaining:
            # Answers to requests in flight together arrive in any order: within one window
            # the smallest count left is the latest.
            status = replace(status, remaining=last.remaining)
        self.rate_limit = status


def _header_count(text: str) -> int:
    """A count header: ASCII digits only (int() would take `1_000`, `-5` or Arabic-Indic
    digits), from 0 to 2**53."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 16:
        raise ValueError("not a count")
    return checked_count(int(text))


def _page_params(limit: int | None, cursor: str | None) -> dict[str, Any]:
    """A list call's `limit` and `cursor`, leaving out what is not given."""
    return {
        name: value for name, value in (("limit", limit), ("cursor", cursor)) if value is not None
    }


def _log_exchange(response: httpx.Response) -> None:
    """The request and its answer, for `--log`: headers with Authorization replaced, bodies
    cut at WIRE_LOG_BODY characters."""
    request = response.request

    def headers(pairs: httpx.Headers) -> str:
        return ", ".join(
            f"{name}: {'Bearer «redacted»' if name.lower() == 'authorization' else value}"
            for name, value in pairs.items()
        )

    def body(content: bytes) -> str:
        text = content.decode("utf-8", "replace")
        return (
            text
            if len(text) <= WIRE_LOG_BODY
            else (f"{text[:WIRE_LOG_BODY]}… ({len(content):,} bytes in all)")
        )

    wire_log.debug(
        "> %s %s | %s | %s",
        request.method,
        request.url,
        headers(request.headers),
        body(request.content),
    )
    wire_log.debug(
        "< %s | %s | %s", response.status_code, headers(response.headers), body(response.content)
    )


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another route (dots too, so `..`
    is not resolved away)."""
    return quote(value, safe="").replace(".", "%2E")


_item_id = operator.attrgetter("id")


async def _pages(
    fetch: Callable[[str | None], Awaitable[P]], *, ahead: bool = False, first: P | None = None
) -> AsyncIterator[P]:
    """The one pagination loop: pages from `fetch(cursor)` until `has_more` is false. Raises
    `PaginationError` rather than loop for ever: more without a cursor, a cursor the server
    sent before, or a page that says there is more but holds nothing new.

    `ahead`: each page is handed over only once the next one's request is on its way (see
    `_fetch_ahead`), so the server makes page N+1 while the caller works on page N. Without
    it, the next request waits for the caller to ask. `first`: the first page, already read
    (checked and followed as if fetched here)."""
    sent: set[str] = set()
    ids: set[str] = set()
    page = first if first is not None else await fetch(None)
    while True:
        if not page.has_more:
            yield page
            return
        cursor = page.next_cursor
        if not ahead or not cursor or cursor in sent:
            problem = _no_next_page(page, ids, sent)
            if problem is not None:
                yield page
                raise problem
            assert cursor is not None  # (checked by _no_next_page)
            sent.add(cursor)
            yield page
            page = await fetch(cursor)
            continue
        # Ahead: the cursor is new, so the next request goes now; the page's own campaigns
        # (a RecordPage makes them on first use) are read while the server makes the next.
        sent.add(cursor)
        loop = asyncio.get_running_loop()
        on_way: asyncio.Future[None] = loop.create_future()
        following = asyncio.ensure_future(_fetch_ahead(fetch, cursor, on_way))
        held = loop.call_later(HANDOVER_WAIT, _settle, on_way)
        try:
            await on_way
            problem = _nothing_new(page, ids)
            if problem is not None:  # the request sent for nothing is dropped
                yield page
                raise problem
            yield page
            page = await following
        finally:
            held.cancel()
            if not following.done():
                following.cancel()
                await asyncio.wait([following])
            if not following.cancelled():
                following.exception()  # a failure nobody asked for is not logged as lost


HANDOVER_WAIT = 0.05
"""Seconds a page read ahead is held at most for the next request to be on its way (a
transport that says nothing of its progress: a test's, or one that is slow to connect)."""

_ON_WAY: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "skipup_on_way", default=None
)
"""Called when the calling task's request is on its way or waits (see `_fetch_ahead`)."""


async def _fetch_ahead(
    fetch: Callable[[str | None], Awaitable[P]], cursor: str, on_way: asyncio.Future[None]
) -> P:
    """`fetch(cursor)`, settling `on_way` as soon as its request is written (httpcore's
    trace), or it waits (a connection, the rate limit, a retry's pause), or ends."""
    token = _ON_WAY.set(lambda: _settle(on_way))
    try:
        return await fetch(cursor)
    finally:
        _ON_WAY.reset(token)
        _settle(on_way)


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _on_way() -> None:
    """The calling task's request is written or waits: its page may be handed over."""
    signal = _ON_WAY.get()
    if signal is not None:
        signal()


def _nothing_new(page: _ListPage, ids: set[str]) -> PaginationError | None:
    """A page that says there is more but adds no campaign not seen before; `ids` takes its."""
    before = len(ids)
    ids.update(map(_item_id, page.data))  # map over attrgetter: no Python frame per id
    ids.update(item.id for item in page.skipped if item.id is not None)
    if len(ids) == before and not any(item.id is None for item in page.skipped):
        return PaginationError(
            "The server said there are more pages but sent a page with nothing new; stopped reading"
        )
    return None


async def _trace(event: str, info: dict[str, Any]) -> None:
    """httpcore's progress of a request read ahead (the `trace` request extension)."""
    if event.endswith(("send_request_body.complete", "connect_tcp.started")):
        _on_way()


def _no_next_page(page: _ListPage, ids: set[str], sent: set[str]) -> PaginationError | None:
    """Why there cannot be a next page after `page` (which says there is more), or None.
    `ids` takes the page's ids."""
    problem = _nothing_new(page, ids)
    if problem is not None:
        return problem
    if not page.next_cursor:
        return PaginationError("The server said there are more pages but sent no cursor")
    if page.next_cursor in sent:
        return PaginationError(
            "The server sent a page cursor it had sent before (the pages would never "
            "end); stopped reading"
        )
    return None


# Per item type, made once: subscripting a generic model costs pydantic a cache lookup in
# Python on every call, which showed in the per-page profile.
_ENVELOPES: dict[type[Any], type[ListEnvelope[Any]]] = {}
_ITEMS: dict[type[Any], pydantic.TypeAdapter[Any]] = {}


def _item_adapter(item: type[M]) -> pydantic.TypeAdapter[M]:
    import pydantic

    adapter: pydantic.TypeAdapter[M] | None = _ITEMS.get(item)
    return adapter or _ITEMS.setdefault(item, pydantic.TypeAdapter(item))


def _read_page(item: type[M], response: httpx.Response, asked: int | None) -> Page[M]:
    """A list page, validated in one pass when every item is as documented (the usual case);
    otherwise item by item, keeping the good ones and listing the rest in `skipped`."""
    import pydantic

    from skipup_campaigns.api.models import ListEnvelope

    asked = asked or MAX_PAGE_SIZE
    envelope_type = _ENVELOPES.get(item) or _ENVELOPES.setdefault(item, ListEnvelope[item])  # type: ignore[valid-type]  # a type chosen at run time
    try:
        envelope = envelope_type.model_validate_json(response.content)
    except pydantic.ValidationError:
        loose = _decode(ListEnvelope[Any], response)
        _check_page_size(len(loose.data), asked, response)
        adapter = _item_adapter(item)
        good: list[M] = []
        skipped: list[Unreadable] = []
        for position, raw in enumerate(loose.data):
            try:
                good.append(adapter.validate_python(raw))
            except pydantic.ValidationError as exc:
                skipped.append(_unreadable(position, raw, exc))
        # Debug, not warning: a warning would reach stderr (logging's last resort) unescaped,
        # and the ids are server text. `--log` escapes them.
        log.debug(
            "%s: %d of %d items not as documented, left out: %s",
            response.url.path,
            len(skipped),
            len(loose.data),
            "; ".join(f"#{item.position} {item.id!r}: {item.reason}" for item in skipped[:5]),
        )
        return ListEnvelope[Any].model_construct(data=good, meta=loose.meta).page(skipped)
    _check_page_size(len(envelope.data), asked, response)
    return envelope.page()


def _read_records(response: httpx.Response, asked: int) -> RecordPage:
    """A campaign page, each item a `CampaignRecord` when plain, else validated by the model
    (kept, or listed in `skipped`); a body or envelope not plain is read by `_read_page`."""
    try:
        items, has_more, cursor, limit = plain_envelope(response.content)
    except NOT_PLAIN:
        from skipup_campaigns.api.models import Campaign

        page = _read_page(Campaign, response, asked)
        return RecordPage(
            list(page.data), page.has_more, page.next_cursor, page.limit, page.skipped
        )
    _check_page_size(len(items), asked, response)

    def read() -> tuple[list[CampaignRecord | Campaign], list[Unreadable]]:
        try:  # the usual page, all plain: one comprehension (no append, no position)
            return [campaign_record(item) for item in items], []
        except (ValueError, TypeError, KeyError):
            pass  # some item is not: each read again, those not plain by the model
        data: list[CampaignRecord | Campaign] = []
        skipped: list[Unreadable] = []
        exact: list[Any] | None = None
        for position, item in enumerate(items):
            try:
                data.append(campaign_record(item))
            except (ValueError, TypeError, KeyError):
                # Not in the plain form: the model decides (and is imported only now).
                import pydantic

                from skipup_campaigns.api.models import Campaign

                if exact is None:
                    exact = items_as_json_reads_them(response.content, items)
                raw = exact[position]
                try:
                    data.append(_item_adapter(Campaign).validate_python(raw))
                except pydantic.ValidationError as exc:
                    skipped.append(_unreadable(position, raw, exc))
        if skipped:
            log.debug(
                "%s: %d of %d items not as documented, left out: %s",
                response.url.path,
                len(skipped),
                len(items),
                "; ".join(f"#{item.position} {item.id!r}: {item.reason}" for item in skipped[:5]),
            )
        return data, skipped

    # Made on first use: after the next page's request is on its way (see _pages).
    return RecordPage([], has_more, cursor, limit, [], read=read)


def _check_page_size(count: int, asked: int, response: httpx.Response) -> None:
    if count > asked:
        raise ResponseTooLargeError(
            f"The server sent {count:,} items for {response.request.url.path} where "
            f"{asked} were asked for; refused"
        )


def _unreadable(position: int, raw: Any, exc: pydantic.ValidationError) -> Unreadable:
    from skipup_campaigns.api.models import Unreadable

    raw_id = raw.get("id") if isinstance(raw, dict) else None
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "item"
    return Unreadable.model_construct(
        position=position,
        id=raw_id[:200] if isinstance(raw_id, str) else None,
        reason=f"{where}: {first['msg']}"[:300],
    )


def _response_error(response: httpx.Response, exc: pydantic.ValidationError) -> APIResponseError:
    return APIResponseError(
        f"Unexpected response from {response.request.method} {response.url.path}: "
        f"{exc.error_count()} field(s) not as documented "
        f"({exc.errors()[0]['loc']}: {exc.errors()[0]['msg']})"
    )


def _decode(model: type[M], response: httpx.Response) -> M:
    import pydantic

    try:
        return model.model_validate_json(response.content)
    except pydantic.ValidationError as exc:
        raise _response_error(response, exc) from None


__all__ = ["APIStatusError", "DEFAULT_BASE_URL", "SkipUpClient", "check_base_url"]

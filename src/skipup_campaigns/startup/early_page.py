"""The first page of campaigns, asked for as soon as the URL and key are known: in a thread,
while the UI is still importing, with only the standard library (no httpx, no pydantic).

On a cold start (no cached list) the first rows are drawn from this page, read by the
client's own plain reading (api/records.py `plain_page`). The client proper is imported after
that frame and is handed the answer (`answer`, a `FirstAnswer`): it counts it against the rate
limit and reads it as its own first answer, so the load goes on from its cursor instead of
asking for page one again. A page not all plain is not drawn early, but still read by the
client (with its model). Anything unusual - a proxy in the environment, a debug log to keep,
no answer in time - and this page is simply not used: the client loads from the top as usual.

The key is read from the settings inside the thread and kept in no attribute, so no repr or
crash report of this object can show it.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from skipup_campaigns.env_names import DEFAULT_BASE_URL

if TYPE_CHECKING:
    import ssl

    from skipup_campaigns.api.records import FirstAnswer
    from skipup_campaigns.config import Settings

PAGE_SIZE = 100
MAX_BYTES = 4 * 1024 * 1024
"""Far above a page of 100 campaigns; anything bigger is not read."""
TIMEOUT = 10.0
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
RATE_LIMIT_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class EarlyPage:
    """`EarlyPage.start(settings)` (or None when it should not be tried); `wait(timeout)` gives
    the page's campaigns as the client reads a plain page, or None; then `answer` is the
    answer itself, for the client."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._answer: FirstAnswer | None = None

    @classmethod
    def start(cls, settings: Settings, *, debug_log: bool = False) -> EarlyPage | None:
        url = early_url(settings, debug_log=debug_log)
        if url is None:
            return None
        page = cls()
        threading.Thread(
            target=page._fetch, args=(settings, url), name="early-page", daemon=True
        ).start()
        return page

    def ready(self) -> bool:
        """Whether `wait` returns at once: the answer came (or will not) while the UI started."""
        return self._done.is_set()

    def wait(self, timeout: float) -> list[Any] | None:
        """The page's campaigns once fetched (None: not a 200, not all plain, or not within
        `timeout`)."""
        answer = self.answer if self._done.wait(timeout) else None
        return None if answer is None or answer.page is None else answer.page.data

    @property
    def answer(self) -> FirstAnswer | None:
        """The answer, once received (None: none yet, or the request failed)."""
        return self._answer if self._done.is_set() else None

    def _fetch(self, settings: Settings, url: str) -> None:
        try:
            self._answer = _first_page(settings, url)
        except Exception:  # noqa: BLE001,S110 - the client's load says what went wrong
            pass
        finally:
            self._done.set()


def early_url(settings: Settings, *, debug_log: bool = False) -> str | None:
    """The URL the first page is asked of (no base URL set: the real API's), or None where
    the client's own rules, proxy or log must apply: then it is left to the client."""
    url = DEFAULT_BASE_URL if settings.base_url is None else settings.base_url
    if not settings.api_key or not _plain_target(url) or debug_log or _proxied():
        return None
    return url


def _plain_target(url: str) -> bool:
    """https anywhere, http to loopback only (the client's rule, kept strict here)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return False
    if not host or parts.query or parts.fragment or parts.username:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)


def _proxied() -> bool:
    return any(os.environ.get(name) or os.environ.get(name.upper()) for name in PROXY_VARIABLES)


def tls_context() -> ssl.SSLContext:
    """The certificates the client (httpx, trusting the environment) trusts, and no others:
    SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's (not the system's). The key goes only
    over a connection the client itself would accept."""
    import ssl

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _first_page(settings: Settings, url: str) -> FirstAnswer | None:
    import http.client
    from urllib.parse import urlsplit

    from skipup_campaigns import __version__
    from skipup_campaigns.api.records import FirstAnswer, plain_page

    parts = urlsplit(url)
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=TIMEOUT, context=tls_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT)
    try:
        connection.request(
            "GET",
            f"{parts.path.rstrip('/')}/campaigns?limit={PAGE_SIZE}",
            headers={
                "Authorization": f"Bearer {settings.api_key}",
                "Accept": "application/json",
                "User-Agent": f"skipup-campaigns/{__version__}",
            },
        )
        response = connection.getresponse()
        rate_limit = {
            name.lower(): value
            for name, value in response.getheaders()
            if name.lower() in RATE_LIMIT_HEADERS
        }
        kept = response.status == 200 and response.getheader("content-encoding") in (
            None,
            "identity",
        )
        body: bytes | None = response.read(MAX_BYTES + 1) if kept else None
    finally:
        connection.close()
    if body is not None and len(body) > MAX_BYTES:
        body = None
    page = None if body is None else plain_page(body, PAGE_SIZE)
    return FirstAnswer(response.status, rate_limit, body, PAGE_SIZE, page)

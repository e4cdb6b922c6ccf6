"""The cold start's early first page: fetched with the standard library while the UI imports,
used only when it is exactly what the client would show, and drawn before httpx or pydantic
is imported (checked in a fresh interpreter against a sandbox on loopback)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from skipup_campaigns.config import Settings
from skipup_campaigns.sandbox.store import Store
from skipup_campaigns.startup.early_page import EarlyPage
from skipup_campaigns.startup.setup import build_workspace
from tests.conftest import campaigns_on_server

ADMIN = "sk_test_admin"


def start(url: str, key: str = ADMIN, **kwargs: Any) -> EarlyPage | None:
    return EarlyPage.start(Settings(api_key=key, base_url=url), **kwargs)


def test_the_first_page_is_the_servers_first_page(live_url: str, store: Store) -> None:
    page = start(live_url)
    assert page is not None
    campaigns = page.wait(10)
    assert campaigns is not None
    expected = campaigns_on_server(store)[:100]
    assert [c.id for c in campaigns] == [c["id"] for c in expected]
    assert campaigns[0].name == expected[0]["name"]


@pytest.mark.parametrize("key", ["sk_test_wrong", ""])
def test_a_refused_key_gives_no_page(live_url: str, key: str) -> None:
    page = start(live_url, key)
    assert page is None or page.wait(10) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.com/api/v1",  # plain http off loopback: the key would travel bare
        "ftp://127.0.0.1/api/v1",
        "",
        "http://127.0.0.1:notaport/api/v1",
        "http://user@127.0.0.1/api/v1",
        "http://localhost.evil.com/api/v1",
    ],
)
def test_never_tried_where_the_client_would_refuse_or_decide(url: str) -> None:
    assert start(url) is None


def test_with_no_base_url_set_the_real_apis_first_page_is_asked_for_early() -> None:
    """The usual case for a user of the real API: no base URL configured. (Only the URL is
    checked: no test sends anything beyond loopback.)"""
    from skipup_campaigns.api.client import DEFAULT_BASE_URL as CLIENTS_DEFAULT
    from skipup_campaigns.startup.early_page import early_url

    assert early_url(Settings(api_key=ADMIN)) == CLIENTS_DEFAULT
    assert early_url(Settings(api_key=ADMIN, base_url="")) is None  # set, but to nothing
    assert early_url(Settings(api_key=None)) is None


def test_never_tried_behind_a_proxy_or_with_a_debug_log(
    live_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert start(live_url, debug_log=True) is None  # every request must reach the log
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert start(live_url) is None  # httpx would go through it: so would nothing here


def test_an_answer_not_as_documented_is_not_used(
    live_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skipup_campaigns.startup.early_page as early_page

    monkeypatch.setattr(early_page, "PAGE_SIZE", 0)  # the server refuses limit=0: a 4xx
    page = start(live_url)
    assert page is not None and page.wait(10) is None


FIRST_FRAME = r"""
import asyncio, json, sys
from skipup_campaigns.config import Settings
from skipup_campaigns.startup.early_page import EarlyPage

early = EarlyPage.start(Settings(api_key="sk_test_admin", base_url=sys.argv[1]))
from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.tui.widgets.campaign_table import CampaignTable

seen = {}
show = CampaignTable.show

def watching_show(self, rows, **kwargs):
    if rows and "first_rows" not in seen:
        seen["first_rows"] = [m for m in ("httpx", "pydantic") if m in sys.modules]
        seen["count"] = len(rows)
    return show(self, rows, **kwargs)

CampaignTable.show = watching_show

def connect():
    from skipup_campaigns.api.client import SkipUpClient
    return SkipUpClient("sk_test_admin", sys.argv[1])

async def main():
    setup = build_workspace(connect=connect, first_page=early)
    app = CampaignsApp(setup, ui=UISettings(remember_theme=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["loaded"] = len(app.workspace.collection)
    seen["after"] = [m for m in ("httpx", "pydantic") if m in sys.modules]

asyncio.run(main())
print(json.dumps(seen))
"""


def test_cold_start_draws_the_early_page_before_the_http_stack(live_url: str, store: Store) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, live_url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first_rows"] == []  # the early page came first
    # then the client loaded every page, as records: the models (pydantic) were never needed
    assert seen["after"] == ["httpx"]
    assert seen["loaded"] == len(campaigns_on_server(store))


NUMBER_PROBLEMS = ("huge_booked", "nan_rate", "infinite_rate", "negative_count")
"""The hostile server's bad numbers (its bad dates were always refused)."""


def serve_bad_number(problem: str) -> Any:
    """The hostile server, its list the good campaigns and the one with `problem`."""
    from tests.hostile_server import serve_hostile

    server = serve_hostile("bad_numbers")
    url = server.__enter__()
    kept = url.state.campaigns
    url.state.campaigns = {
        key: value
        for key, value in kept.items()
        if not key.startswith("cmp_bad_") or key == f"cmp_bad_{problem}"
    }
    return server, url


@pytest.mark.parametrize("problem", NUMBER_PROBLEMS)
def test_a_page_with_a_number_the_client_refuses_is_not_used(problem: str) -> None:
    """Finding 1: 10**400, NaN, Infinity and -5 passed the early check; the client refuses
    them, so the early page must not show them either."""
    server, url = serve_bad_number(problem)
    try:
        page = start(url)
        assert page is not None and page.wait(10) is None
    finally:
        server.__exit__(None, None, None)


@pytest.mark.parametrize("problem", ["huge_booked", "nan_rate"])
async def test_a_bad_number_on_the_early_page_never_reaches_the_screen(problem: str) -> None:
    """Finding 1 (reproduced): a 10**400 booked count on the early page made the next
    keystroke raise OverflowError in the list's totals, a NaN rate ValueError on merge."""
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.tui.app import CampaignsApp, UISettings
    from tests.tui.conftest import list_screen, settle

    server, url = serve_bad_number(problem)
    try:
        early = start(url)
        assert early is not None
        app = CampaignsApp(
            build_workspace(
                connect=lambda: SkipUpClient(ADMIN, url, max_retries=0), first_page=early
            ),
            ui=UISettings(remember_theme=False),
        )
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            for key in ("s", "a", "slash", "c", "escape", "j"):  # keystrokes after the load
                await pilot.press(key)
                await settle(pilot)
            assert app.is_running
            assert sorted(r.id for r in list_screen(pilot).table.rows) == [
                "cmp_0",
                "cmp_1",
                "cmp_2",
            ]
            assert app.workspace.load_state.error is None
            assert app.workspace.load_state.unreadable == 1
    finally:
        server.__exit__(None, None, None)


def more_campaigns(store: Store, count: int) -> int:
    """`count` campaigns more on the server (past one page); returns how many it lists."""
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    team = campaigns_on_server(store)[0]["team_id"]
    for n in range(count):
        store.create_campaign(MAIN_WORKSPACE, {"name": f"More {n}", "team_id": team})
    return len(campaigns_on_server(store))


async def test_the_load_goes_on_from_the_early_page(
    live_url: str, store: Store, sandbox_app: Any
) -> None:
    """Page one is asked for once: the load reads the early answer as its own and goes on
    from its cursor (it asked for page one again, one request more per cold start)."""
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.workspace import Workspace

    listed = more_campaigns(store, 150)
    early = start(live_url)
    assert early is not None
    workspace = Workspace(SkipUpClient(ADMIN, live_url), first_page=early)
    state = await workspace.load()
    await workspace.aclose()
    assert state.error is None and len(workspace.collection) == listed
    assert sandbox_app.methods["GET"] == -(-listed // 100)  # one request a page, in all


async def test_under_a_rate_limit_of_one_the_early_page_is_shown_and_the_load_goes_on(
    store: Store,
) -> None:
    """A window of one request: the early request takes it, so the client, counting that
    answer's rate limit, waits for the next window before page two (no 429), while page one
    is on screen. Asking for page one again spent a window (or a 429) before anything more."""
    import time

    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.api.rate_wait import PACED
    from skipup_campaigns.sandbox import SandboxSettings, create_app
    from skipup_campaigns.sandbox.server import serve_in_thread
    from skipup_campaigns.workspace import Workspace
    from tests.transports import CountingApp

    listed = more_campaigns(store, 150)
    offset = [0.0]
    app = CountingApp(
        create_app(store, SandboxSettings(rate_limit=1, rate_clock=lambda: time.time() + offset[0]))
    )
    with serve_in_thread(app) as url:
        early = start(url)
        assert early is not None
        client = SkipUpClient(ADMIN, url)
        client._now = lambda: time.time() + offset[0]  # type: ignore[method-assign]
        workspace = Workspace(client, first_page=early)
        seen_at_each_wait: list[tuple[float, int, int]] = []

        async def next_window(seconds: float) -> None:  # the server's minute passes at once
            seen_at_each_wait.append((seconds, len(workspace.collection), app.requests))
            offset[0] += 61

        client._sleep = next_window  # type: ignore[method-assign]
        reasons: list[str] = []
        client.waits.subscribe(lambda wait, left: reasons.append(wait.reason) if wait else None)
        state = await workspace.load()
        await workspace.aclose()
    assert state.error is None and len(workspace.collection) == listed
    pages = -(-listed // 100)
    assert app.requests == pages  # page one once, and no 429 to repeat
    assert reasons == [PACED] * (pages - 1)  # paced before each page after the first
    seconds, shown, requested = seen_at_each_wait[0]
    assert shown == 100 and requested == 1 and 0 < seconds <= 61


def test_the_early_page_trusts_the_certificates_the_client_trusts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx (trusting the environment) takes SSL_CERT_FILE, else SSL_CERT_DIR, else
    certifi's: the early page, sending the same key, must trust no more than that."""
    from skipup_campaigns.startup.early_page import tls_context

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    assert tls_context().get_ca_certs()  # certifi's
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))  # an empty directory: trusts nothing
    assert tls_context().get_ca_certs() == []
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))  # the file first
    with pytest.raises(OSError):
        tls_context()

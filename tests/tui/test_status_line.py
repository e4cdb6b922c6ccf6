"""Say true things: the status line fits by priority, a rate-limit wait is shown
with its countdown, a refused key says how to fix it, and a filter the active-only view hides
says so. Pure functions at widths, then Pilot against the in-process sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from textual.widgets import Static

from skipup_campaigns.api import SkipUpClient
from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.workspace.collection import spec_for
from skipup_campaigns.workspace.load_state import LoadState, empty_message, status_text
from tests.conftest import IN_PROCESS_URL, Clock
from tests.tui.conftest import build_app, list_screen, settle, until

MakeApp = Callable[..., CampaignsApp]
AT = datetime(2026, 6, 15, 14, 5, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


# -- the status line at widths -----------------------------------------------------------------

OUTAGE = LoadState(error="cannot reach the API", temporary=True, failed_in_a_row=2, retry_in=4)
STALE = LoadState(error="the API did not answer in time", loaded_at=AT, retry_in=15)
WAITING = LoadState(loading=True, received=3900)
COUNTDOWN = Countdown(AT + timedelta(seconds=12), "rate limited", 60)


@pytest.mark.parametrize("width", [80, 60, 38, 30, 24])
def test_the_state_and_the_countdown_always_fit(width: int) -> None:
    for state, heads, countdowns, waiting in (
        (OUTAGE, ("not loaded", "failed"), ("retrying in 4s", "retry 4s"), None),
        (STALE, ("stale since 14:05", "stale 14:05"), ("retrying in 15s", "retry 15s"), None),
        (
            WAITING,
            ("",),
            (
                "next request in 12 s, 60 a minute",
                "next in 12 s, 60/min",
                "next in 12 s",
                "rate limited, 12 s",
            ),
            COUNTDOWN,
        ),
    ):
        text = status_text(state, now=AT, width=width, waiting=waiting)
        assert len(text) <= width, text
        assert text.startswith(heads) and text.endswith(countdowns), (width, text)


def test_the_reason_is_cut_before_it_is_dropped() -> None:
    assert status_text(OUTAGE) == "not loaded: cannot reach the API · retrying in 4s"
    # Shorter words around it before the reason is cut: "failed" says less than "not
    # loaded", but "cannot reach the" says why.
    assert status_text(OUTAGE, width=38) == "failed: cannot reach the… · retry 4s"
    # Less than half of it is dropped whole: "cannot…" says nothing.
    assert status_text(OUTAGE, width=30) == "not loaded · retrying in 4s"
    assert status_text(OUTAGE, width=24) == "not loaded · retry 4s"
    assert status_text(WAITING, now=AT, waiting=COUNTDOWN) == (
        "3,900 loaded · rate limited: next request in 12 s, 60 a minute"
    )
    assert status_text(WAITING, now=AT, width=48, waiting=COUNTDOWN) == (
        "rate limited: next request in 12 s, 60 a minute"
    )
    later = AT + timedelta(seconds=5)
    assert status_text(WAITING, now=later, waiting=COUNTDOWN).endswith(
        "next request in 7 s, 60 a minute"
    )
    # Not loading (a bulk write waits): the state stays, the countdown follows it.
    assert status_text(LoadState(loaded_at=AT), now=AT, waiting=COUNTDOWN) == (
        "updated 14:05 UTC · rate limited: next request in 12 s, 60 a minute"
    )


def test_a_filter_the_active_only_view_hides_says_how_many_and_which_key() -> None:
    said = empty_message(
        LoadState(loaded_at=AT),
        filter_text="status:ended",
        filtered=True,
        any_loaded=True,
        active_only=True,
        hidden=7,
    )
    assert said == "Only 7 inactive campaigns match 'status:ended': a shows them"
    one = empty_message(
        LoadState(loaded_at=AT),
        filter_text="status:ended",
        filtered=True,
        any_loaded=True,
        active_only=True,
        hidden=1,
        width=76,
    )
    assert one == "Only 1 inactive campaign matches 'status:ended': a shows it"
    long_filter = "status:ended team:Enterprise " + "rate:<20 " * 8
    for hidden in (1, 11, 1_234):
        fitted = empty_message(
            LoadState(loaded_at=AT),
            filter_text=long_filter,
            filtered=True,
            any_loaded=True,
            active_only=True,
            hidden=hidden,
            width=76,
        )
        assert len(fitted) <= 76 and fitted.endswith(("a shows them", "a shows it")), fitted
        assert f"Only {hidden:,} inactive" in fitted and "…'" in fitted
    nothing = empty_message(
        LoadState(loaded_at=AT),
        filter_text=long_filter,
        filtered=True,
        any_loaded=True,
        active_only=False,
        width=76,
    )
    assert len(nothing) <= 76 and nothing.endswith("esc clears the filter"), nothing
    refused = empty_message(
        LoadState(error="the API key was refused", key_refused=True),
        filter_text="",
        filtered=False,
        any_loaded=False,
        active_only=True,
    )
    assert "config set-key" in refused and "SKIPUP_API_KEY" in refused and "press r" not in refused


# -- on screen ---------------------------------------------------------------------------------


async def test_status_ended_in_the_active_only_view_says_what_is_hidden(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"status:ended")
        await pilot.pause()
        screen = list_screen(pilot)
        assert not screen.table.rows
        ended = len(
            screen.collection.view(
                spec_for("status:ended", active_only=False, sort="created", reverse=False)
            )
        )
        assert ended > 0
        assert f"{ended:,} inactive" in screen.table.empty_message
        assert "a shows them" in screen.table.empty_message
        await pilot.press("enter", "a")
        await pilot.pause()
        assert len(screen.table.rows) == ended


async def test_a_refused_key_says_how_to_set_one_not_press_r(transport: Any, clock: Clock) -> None:
    client = SkipUpClient("sk_test_nosuchkey", IN_PROCESS_URL, transport=transport, max_retries=0)
    async with build_app(client, clock=clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        said = [str(n.message) for n in pilot.app._notifications]
        assert any("config set-key" in m and "SKIPUP_API_KEY" in m for m in said), said
        assert not any("press r" in m.lower() for m in said)
        assert "config set-key" in list_screen(pilot).table.empty_message


class RateLimitedOnce(httpx.AsyncBaseTransport):
    """The sandbox, except that the first page is refused once with a 429 (Retry-After 12)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.refused = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self.refused and request.url.path.endswith("/campaigns"):
            self.refused = True
            return httpx.Response(
                429,
                headers={"Retry-After": "12"},
                json={"error": {"type": "rate_limited", "message": "slow down"}},
            )
        return await self.inner.handle_async_request(request)


async def test_a_rate_limit_wait_shows_in_the_top_bar_with_its_countdown(
    transport: Any, clock: Clock
) -> None:
    client = SkipUpClient(
        "sk_test_admin", IN_PROCESS_URL, transport=RateLimitedOnce(transport), max_retries=2
    )
    waits: list[float] = []
    gate = asyncio.Event()

    async def held_sleep(seconds: float) -> None:  # the test decides when the wait is over
        waits.append(seconds)
        await gate.wait()

    client._sleep = held_sleep  # type: ignore[method-assign]
    async with build_app(client, clock=clock).run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.02)
            if waits:
                break
        assert waits == [12]
        await pilot.pause()
        status = str(list_screen(pilot).query_one("#load-status").render())
        # 80 columns: shortened, so that the title stays whole beside it.
        assert status == "rate limited (429), 12 s"
        title = list_screen(pilot).query_one("#title")
        assert str(title.render()).endswith("by created")
        assert title.size.width >= len(str(title.render()))  # (not cut)
        clock.advance(seconds=5)
        await until(  # the status line's next tick of its second
            pilot,
            lambda: (
                str(list_screen(pilot).query_one("#load-status").render())
                == "rate limited (429), 7 s"
            ),
            "7 s left",
        )
        gate.set()
        await settle(pilot)
        assert list_screen(pilot).table.rows
        status = str(list_screen(pilot).query_one("#load-status").render())
        assert status.startswith("updated")


# -- read-only is visible ----------------------------------------------------------------------


async def test_read_only_shows_in_the_top_bar_and_hides_the_write_keys(make_app: MakeApp) -> None:
    from skipup_campaigns.tui.dialogs import HelpText
    from skipup_campaigns.tui.key_help import READ_ONLY_NOTE
    from skipup_campaigns.tui.widgets.key_bar import KeyBar

    async with make_app(read_only=True).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # (the key bar comes after the first rows)
        await until(pilot, lambda: bool(pilot.app.screen.query(KeyBar)), "the key bar")
        screen = list_screen(pilot)
        assert "read-only" in str(screen.query_one("#title").render())
        keys = {item.key for item in screen.query_one(KeyBar).shown()}
        assert keys and not keys & {"n", "e", "d"}
        await pilot.press("question_mark")
        await pilot.pause()
        said = [t.what for t in pilot.app.screen.query(HelpText)]
        for what in ("new campaign", "edit it", "undo your last edit of it (again: further back)"):
            assert what not in said and what + READ_ONLY_NOTE in said
        assert "read-only" in str(pilot.app.screen.query_one("#help-title").render())


async def test_a_missing_write_scope_is_named_in_full_at_80_columns(make_app: MakeApp) -> None:
    from tests.conftest import READONLY
    from tests.tui.test_edit_flows import field, open_editor, open_first

    async with make_app(READONLY).run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await open_editor(pilot)
        field(pilot, "#name").value = "Not allowed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        status = field(pilot, "#form-status")
        assert "campaigns.write" in str(status.render())
        assert "campaigns.write" in pilot.app.export_screenshot()  # on screen, not cut off


class NoTeamsEndpoint(httpx.AsyncBaseTransport):
    """The sandbox, as a real API without a teams endpoint would be: /teams is a 404."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/teams"):
            return httpx.Response(
                404, json={"error": {"type": "not_found", "message": "no such route"}}
            )
        return await self.inner.handle_async_request(request)


async def test_without_a_teams_endpoint_the_picker_offers_the_campaigns_teams(
    transport: Any, clock: Clock, store: Any
) -> None:
    from tests.conftest import campaigns_on_server
    from tests.tui.test_edit_flows import field, open_editor, text_of

    client = SkipUpClient(
        "sk_test_admin", IN_PROCESS_URL, transport=NoTeamsEndpoint(transport), max_retries=0
    )
    async with build_app(client, clock=clock).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_editor(pilot, "n")
        picker = field(pilot, "#team")
        names = {str(label) for label, _ in picker._options}
        assert {c["team_name"] for c in campaigns_on_server(store)} <= names
        assert "cannot list teams" in text_of(field(pilot, "#team-note"))
        picker.value = next(v for label, v in picker._options if str(label) == "Sales")
        field(pilot, "#name").value = "Picked by name"
        await pilot.press("ctrl+s")
        await settle(pilot)
    made = [c for c in campaigns_on_server(store) if c["name"] == "Picked by name"]
    assert len(made) == 1 and made[0]["team_name"] == "Sales"


def test_the_summary_keeps_every_number_and_the_rate_at_80_columns() -> None:
    from skipup_campaigns.tui.list_screen import summary_text

    assert summary_text(41, 1234, 456, "37.0%") == (
        "Shown: 41 campaigns · 1,234 requests · 456 booked · 37.0% booking rate"
    )
    big = summary_text(100_000, 12_345_678, 4_567_890, "37.0%", width=78)
    assert len(big) <= 78 and big.endswith("37.0% rate") and "12,345,678 requests" in big


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            None,
            "Shown: 54,765 campaigns · 18,316,090 requests · 9,151,549 booked · 50.0% "
            "booking rate · Δ session –",
        ),
        (80, "54,765 campaigns · 18,316,090 requests · 9,151,549 booked · 50.0% · Δ session –"),
        (70, "54,765 campaigns · 9,151,549 booked · 50.0% booking rate · Δ session –"),
        (60, "54,765 campaigns · 9,151,549 booked · 50.0% · Δ session –"),
        (50, "54,765 campaigns · 50.0% rate · Δ session –"),
        (40, "54,765 campaigns · 50.0% · Δ session –"),
        (30, "54,765 campaigns · Δ session –"),
    ],
)
def test_the_summary_gives_way_words_first_then_parts_and_keeps_the_delta_total(
    width: int | None, expected: str
) -> None:
    """The words go first; then the requests, the booked, the rate, with as many words as
    the room left allows; the campaigns and the Δ total stay whole."""
    from skipup_campaigns.tui.list_screen import summary_text

    line = summary_text(54_765, 18_316_090, 9_151_549, "50.0%", gained="Δ session –", width=width)
    assert line == expected


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_rate_limit_wait_drops_whole_title_parts_and_keeps_the_countdown(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    from skipup_campaigns.api.rate_wait import REFUSED

    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")
        await pilot.pause()
        gate = asyncio.Event()
        waits = (await pilot.app.workspace.get_client()).waits

        async def held(seconds: float) -> None:
            await gate.wait()

        waiting = asyncio.create_task(waits.sleep(34, REFUSED, 4, held))
        await pilot.pause(0.1)
        screen = list_screen(pilot)
        title_bar = screen.query_one("#title", Static)
        title = str(title_bar.render())
        status = str(screen.query_one("#load-status", Static).render())
        assert "rate limited (429)" in status and "34 s" in status
        whole = {text for text, _ in screen._title_parts if text}
        shown = title.split(" · ")
        assert set(shown) <= whole, (title, whole)  # whole parts only: no cut word
        assert "2 marked" in shown and any("campaigns" in part for part in shown)
        assert len(title) <= title_bar.content_size.width, title  # nothing cropped
        assert not title.rstrip().endswith("·") and "…" not in title
        gate.set()
        await waiting
        await pilot.pause(0.1)
        assert "active only" in str(title_bar.render())  # room again: the parts come back


async def test_a_failed_loads_reason_takes_the_room_of_the_sort_and_scope_words(
    make_app: MakeApp, transport: Any
) -> None:
    """At 100 columns a failed refresh said "stale 22:46: cannot… · retry 15s" beside a title
    that kept "active only · by created": the reason is worth more than those."""
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        title_bar = screen.query_one("#title", Static)
        assert str(title_bar.render()).endswith("active only · by created")
        transport.fail = lambda request: True
        await pilot.press("r")
        await until(pilot, lambda: screen.workspace.load_state.error, "the load fails")
        await pilot.pause()
        status = str(screen.query_one("#load-status", Static).render())
        assert status.startswith("stale since ") and "cannot reach the API · retr" in status
        title = str(title_bar.render())
        assert title.endswith("campaigns") and "by created" not in title, title
        assert len(title) + len(status) + 4 <= 100 and "…" not in title + status
        transport.fail = lambda request: False
        await pilot.press("r")
        await settle(pilot)
        assert str(title_bar.render()).endswith("active only · by created")  # room again


async def test_the_automatic_retrys_wait_counts_down_each_second(
    make_app: MakeApp, transport: Any, clock: Clock
) -> None:
    """The top bar said "retry 8s" unchanged for 8 s while the rate-limit wait beside it
    ticked: both count down by the one tick, on the workspace's clock."""
    async with make_app().run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        screen.workspace.retry_delays = (30.0,)  # (the real timer stays far off)
        status_line = screen.query_one("#load-status", Static)

        def status() -> str:
            return str(status_line.render())

        transport.fail = lambda request: True
        await pilot.press("r")
        await until(pilot, lambda: status().endswith("retrying in 30s"), "the retry is due")
        assert "cannot reach the API" in status()
        clock.advance(seconds=5)
        await until(pilot, lambda: status().endswith("retrying in 25s"), "25 s left")
        clock.advance(seconds=19.5)
        await until(pilot, lambda: status().endswith("retrying in 6s"), "rounded up")
        writes: list[object] = []
        update = status_line.update

        def counted_update(*args: Any, **kwargs: Any) -> None:
            writes.append(args)
            update(*args, **kwargs)

        status_line.update = counted_update  # type: ignore[method-assign]
        screen.tick_countdown()  # a second in which nothing shown changes writes nothing
        assert writes == []
        clock.advance(seconds=1)
        screen.tick_countdown()
        assert len(writes) == 1 and status().endswith("retrying in 5s")
        transport.fail = lambda request: False
        await pilot.press("r")  # no retry due: the tick stops
        await settle(pilot)
        assert status().startswith("updated") and screen.countdown is None


def test_the_countdown_outlasts_the_state_when_both_do_not_fit() -> None:
    refused = Countdown(AT + timedelta(seconds=32), "rate limited (429)", 4)
    text = status_text(LoadState(loaded_at=AT), now=AT, width=38, waiting=refused)
    assert text == "rate limited (429): next in 32 s"  # not "updated 12:00 · rate limi…"


async def test_at_80_columns_the_hidden_filter_message_keeps_its_key(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"status:ended")
        await pilot.pause()
        table = list_screen(pilot).table
        shown = table.render_line(2).text.rstrip()
        assert "inactive" in shown and shown.endswith("a shows them"), shown

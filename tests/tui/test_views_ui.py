"""Views on the list, driven with Pilot over the in-process sandbox: tabs with counts, 1–9
and [ ] to switch, a filter that cannot be read said under it, and the last view used where
the next session starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input, Static

from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.workspace.views import views_from_config
from tests.conftest import campaigns_on_server
from tests.tui.conftest import list_screen, settle

MakeApp = Callable[..., CampaignsApp]
VIEWS = views_from_config(
    [
        {"name": "Sales", "filter": "team:sales"},
        {"name": "Busy", "filter": "requests:>=20", "sort": "requests", "active": False},
        {"name": "Everything", "active": False, "sort": "name"},
    ],
    "test",
)


def tabs_text(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#view-tabs", Static).render())


def names(pilot: Any) -> list[str]:
    return [row.raw_name for row in list_screen(pilot).table.rows]


async def test_tabs_show_counts_and_keys_switch(make_app: MakeApp, store: Store) -> None:
    everything = campaigns_on_server(store)
    sales = [
        c for c in campaigns_on_server(store, active=True) if "sales" in c["team_name"].casefold()
    ]
    busy = sorted(
        (c for c in everything if c["meeting_request_count"] >= 20),
        key=lambda c: -c["meeting_request_count"],
    )
    async with make_app(views=VIEWS, state_name="default").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        tabs = tabs_text(pilot)
        assert f"1 Sales {len(sales)}" in tabs and f"2 Busy {len(busy)}" in tabs
        assert f"3 Everything {len(everything)}" in tabs
        assert names(pilot) == [c["name"] for c in sales]  # the first view, to start with
        await pilot.press("2")
        assert [row.requests for row in list_screen(pilot).table.rows] == [
            c["meeting_request_count"] for c in busy
        ]
        assert pilot.app.screen.query_one("#filter", Input).value == "requests:>=20"
        await pilot.press("right_square_bracket")
        assert names(pilot) == sorted((c["name"] for c in everything), key=str.casefold)
        await pilot.press("right_square_bracket")  # round to the first
        assert names(pilot) == [c["name"] for c in sales]
        await pilot.press("left_square_bracket")
        assert len(names(pilot)) == len(everything)
        await pilot.press("9")  # no ninth view: says how many there are, nothing changes
        assert len(names(pilot)) == len(everything)
    # The next session starts in the last view used.
    async with make_app(views=VIEWS, state_name="default").run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert len(names(pilot)) == len(everything)
        assert "3 Everything" in tabs_text(pilot)


async def test_counts_follow_marks_and_a_changed_filter_shows_a_star(make_app: MakeApp) -> None:
    marked_view = views_from_config(
        [{"name": "Marked", "filter": "marked"}, {"name": "All", "active": False}], "t"
    )
    async with make_app(views=marked_view).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "1 Marked 0" in tabs_text(pilot)
        await pilot.press("2", "space", "space", "space")
        assert "1 Marked 3" in tabs_text(pilot)
        await pilot.press("1")
        assert len(names(pilot)) == 3
        await pilot.press("slash", "x")
        assert "Marked*" in tabs_text(pilot)


async def test_a_filter_that_cannot_be_read_is_said_under_it(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = len(names(pilot))
        await pilot.press("slash", *"rate:<abc")
        error = pilot.app.screen.query_one("#filter-error", Static)
        assert error.display and "rate: takes a number" in str(error.render())
        assert pilot.app.screen.query_one("#filter", Input).value == "rate:<abc"
        assert len(names(pilot)) == before  # the term is left out, the rest filters
        for _ in "abc":
            await pilot.press("backspace")
        await pilot.press(*"20")
        assert not error.display
        assert all(row.rate < 20 for row in list_screen(pilot).table.rows)


async def test_without_views_a_number_says_how_to_make_one(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query_one("#view-tabs", Static).display
        await pilot.press("1")
        await pilot.pause()
        assert any(":view save NAME" in str(n.message) for n in pilot.app._notifications)

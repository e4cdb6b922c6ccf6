"""`timezone = "local"` (here New York, a fixed zone with daylight saving): the screens show
times in it and say so, the form reads typed times in it, and the server gets the UTC instant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from textual.widgets import Input, Static

from skipup_campaigns.display.dates import DisplayZone
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.detail_screen import DetailScreen
from skipup_campaigns.tui.edit_screen import EditScreen
from skipup_campaigns.tui.widgets.campaign_table import cell_text
from tests.tui.conftest import list_screen, settle

NEW_YORK = DisplayZone(ZoneInfo("America/New_York"))
MakeApp = Callable[..., CampaignsApp]


def text(pilot: object, selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def instant(wire: str) -> datetime:
    return datetime.fromisoformat(wire.replace("Z", "+00:00"))


async def test_a_local_time_typed_in_the_form_reaches_the_server_as_its_utc_instant(
    make_app: MakeApp, store: Store
) -> None:
    async with make_app(display_zone=NEW_YORK).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # 12:00 UTC on 15 June is 08:00 in New York (EDT): the top bar says which.
        assert text(pilot, "#load-status") == "updated 08:00 EDT"
        row = list_screen(pilot).table.cursor_row
        assert row is not None
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, DetailScreen)
        target = detail.campaign.id
        assert text(pilot, "#detail-meta").startswith("fetched 08:00:00 EDT")
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditScreen)
        starts = pilot.app.screen.query_one("#starts", Input)
        assert "(local, EDT)" in starts.placeholder
        if detail.campaign.starts_at is not None:  # shown as New York's wall time
            assert starts.value.endswith((" EDT", " EST"))
        pilot.app.screen.set_focus(starts)
        await pilot.press("end", *["backspace"] * len(starts.value), *"2026-06-20 9:30")
        ends = pilot.app.screen.query_one("#ends", Input)
        pilot.app.screen.set_focus(ends)
        await pilot.press("end", *["backspace"] * len(ends.value), *"2026-12-01")
        await pilot.pause()
        assert text(pilot, "#starts-hint") == ("= 2026-06-20T13:30:00Z = 2026-06-20 09:30 EDT")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DetailScreen)
        held = store.get_campaign(MAIN_WORKSPACE, target)
        # June is EDT (UTC-4); a bare end date is its last second in New York, in EST (UTC-5).
        assert instant(held["starts_at"]) == datetime(2026, 6, 20, 13, 30, tzinfo=timezone.utc)
        assert instant(held["ends_at"]) == datetime(2026, 12, 2, 4, 59, 59, tzinfo=timezone.utc)
        values = {
            w.id: str(w.query_one(".value", Static).render())
            for w in pilot.app.screen.query(".field")
        }
        shown = next(value for value in values.values() if "2026-06-20" in value)
        assert shown.startswith("2026-06-20 09:30 EDT")
        await pilot.press("escape")
        await settle(pilot)
        row = next(r for r in list_screen(pilot).table.rows if r.id == target)
        # The list's End column shows New York's day (UTC has moved on to 2 December).
        assert cell_text(row, "ends", NEW_YORK) == "2026-12-01"
        assert cell_text(row, "ends") == "2026-12-02"

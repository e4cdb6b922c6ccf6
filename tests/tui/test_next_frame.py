"""`next_frame` leans on one private method of Textual's widgets: this fails first when a
Textual upgrade renames it (the repaints would then come a frame later, as plain Textual
draws them: tests/tui/test_list_screen.py's one-frame test fails too)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widget import Widget

from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.next_frame import PRIVATE_METHOD
from tests.tui.conftest import list_screen, settle


def test_the_private_method_it_calls_is_in_the_installed_textual() -> None:
    assert callable(getattr(Widget, PRIVATE_METHOD, None))


async def test_a_failing_private_method_leaves_the_filter_working(
    make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fails open: the repaints come at Textual's own pace, the keys still filter."""
    from skipup_campaigns.tui import next_frame

    def changed(self: Widget, *args: object) -> None:
        raise TypeError("takes other arguments now")

    monkeypatch.setattr(next_frame, "_failed", [])
    # (Textual calls its own method too: the one next_frame calls is made to fail instead.)
    monkeypatch.setattr(Widget, "_changed_check_refresh", changed, raising=False)
    monkeypatch.setattr(next_frame, "PRIVATE_METHOD", "_changed_check_refresh")
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        everything = len(list_screen(pilot).table.rows)
        await pilot.press("slash", *"naa")
        await settle(pilot)
        assert 0 < len(list_screen(pilot).table.rows) < everything
        assert next_frame._failed

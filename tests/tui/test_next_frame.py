"""`next_frame` leans on one private method of Textual's widgets: this fails first when a
Textual upgrade renames it (the repaints would then come a frame later, as plain Textual
draws them: tests/tui/test_list_screen.py's one-frame test fails too)."""

from __future__ import annotations

from textual.widget import Widget

from skipup_campaigns.tui.next_frame import PRIVATE_METHOD


def test_the_private_method_it_calls_is_in_the_installed_textual() -> None:
    assert callable(getattr(Widget, PRIVATE_METHOD, None))

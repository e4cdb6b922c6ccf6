"""A repaint handed to the screen at once, so it lands in the screen's very next frame.

Textual's `refresh()` only marks a widget; the widget tells its screen (an `Update` or
`Layout` message) when it is next idle. A filter key changes the field's value, whose echo
asks for a layout, and the screen's frame timer can run that frame before the other widgets
it changed (the table's rows, its scrollbar, the top and bottom lines) have told the screen:
those then come in a frame or two of their own, 17-35 ms later, each written again.
Handing their repaints over while the key is handled puts the echo and everything it
changed in one frame.

It leans on one private method, `Widget._check_refresh` (what a widget runs when it becomes
idle): called early, it posts the same messages sooner and clears the flags, so nothing is
sent twice. Should it be missing, the widgets tell their screen when idle, as plain Textual
does (tests/tui/test_next_frame.py fails first when the name goes); should it fail (a
Textual whose method took other arguments), it is not called again this session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

PRIVATE_METHOD = "_check_refresh"
_failed: list[BaseException] = []
"""The failure that turned this off, if one did."""


def repaint_in_next_frame(*widgets: Widget) -> None:
    """Tell each widget's screen now of the refresh it has pending (if any)."""
    if _failed:
        return
    for widget in widgets:
        check = getattr(widget, PRIVATE_METHOD, None)
        if check is None:
            return  # Textual changed: the refreshes stand, a frame later
        try:
            check()
        except Exception as error:  # noqa: BLE001 - the key's work must go on
            _failed.append(error)
            widget.log.warning(f"repaints wait for Textual's own timing: {error!r}")
            return

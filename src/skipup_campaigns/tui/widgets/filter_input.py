"""The list's filter field: Textual's `Input`, without a layout pass for each key typed.

`Input` sets its scrollable width to its text's each time the value changes, and that
width is a layout property: every key laid the whole screen out again, which also repaints
the table's scrollbar in a frame of its own after the key's (at 120x40, ~1.7 kB written
twice and ~3 ms of the app's CPU a key at 100,000 loaded). Here the width is never less
than the field's own, so while the text fits (nearly always) it does not change; a longer
text scrolls exactly as before (the width is then the text's, as Textual makes it).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input


class FilterInput(Input):
    """An `Input` whose content is at least as wide as the field (see the module)."""

    @property
    def content_width(self) -> int:
        return max(super().content_width, self.scrollable_content_region.width)

    def on_resize(self) -> None:
        """The field's width known (or changed): its content's too, before the first key
        (whose value change would otherwise find the width unset and lay out the screen)."""
        self.virtual_size = Size(self.content_width, 1)

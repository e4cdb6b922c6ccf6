"""The views as tabs under the top bar, each with its live count: `1 Sales 12`.

One line, drawn only while there are views. Names are the user's text and go through the
safe-text helper; they are shortened (never the numbers) to fit the width."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from skipup_campaigns.display.cells import fit
from skipup_campaigns.display.safe_text import safe

SEPARATOR = " "
MIN_NAME = 6


def tab_labels(
    names: Sequence[str], counts: Sequence[int], width: int, starred: int | None = None
) -> list[str]:
    """Each tab's text, names cut evenly until all fit `width` (tabs that still do not fit
    are left out: a … stands for them); the `starred` tab's name ends with *."""
    names = [safe(name) for name in names]
    longest = max((cell_len(name) for name in names), default=0)
    labels: list[str] = []
    # (From the longest name down; names all shorter than MIN_NAME are tried whole once.)
    for cap in range(max(longest, MIN_NAME), MIN_NAME - 1, -1):
        labels = [
            f" {n + 1 if n < 9 else '·'} {fit(name, min(cap, cell_len(name)))}"
            f"{'*' if n == starred else ''} {count:,} "
            for n, (name, count) in enumerate(zip(names, counts))
        ]
        if sum(cell_len(label) for label in labels) + len(SEPARATOR) * len(labels) <= width:
            return labels
    kept: list[str] = []
    used = 0
    for label in labels:
        if used + cell_len(label) + len(SEPARATOR) > width - 1:
            kept.append("…")
            break
        kept.append(label)
        used += cell_len(label) + len(SEPARATOR)
    return kept


class ViewTabs(Static):
    """The views' tabs; a click on one posts `Chosen`."""

    DEFAULT_CSS = """
    ViewTabs {
        height: 1;
        display: none;
        background: $panel;
        color: $text-muted;
        &.-shown { display: block; }
    }
    """

    class Chosen(Message):
        """A tab was clicked."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._spans: list[tuple[int, int]] = []

    def show(
        self,
        names: Sequence[str],
        counts: Sequence[int],
        current: int | None,
        *,
        modified: bool = False,
    ) -> None:
        """Draw the tabs (none: the line is hidden); `modified`: the current view's filter,
        sort or toggle was changed since it was chosen (a * says so)."""
        self.set_class(bool(names), "-shown")
        if not names:
            return
        width = self.size.width or 80
        labels = tab_labels(names, counts, width, current if modified else None)
        text = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for index, label in enumerate(labels):
            if label == "…":
                self._spans.append((-1, -1))
                text.append(label)
                break
            if index == current:
                start = len(text)
                text.append(label, style="reverse bold")
            else:
                start = len(text)
                text.append(label)
            self._spans.append((start, len(text)))
            text.append(SEPARATOR)
        self.update(text)

    def on_click(self, event: events.Click) -> None:
        for index, (start, end) in enumerate(self._spans):
            if start <= event.x < end:
                self.post_message(self.Chosen(index))
                return

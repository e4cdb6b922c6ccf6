"""The column picker (`C`, or `:columns` alone): every column the list can show, the shown
ones ticked and in their order; space shows or hides one, `K`/`J` (or shift+↑/↓) move it,
enter keeps the choice (with the current view), esc leaves everything as it was."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.workspace.views import COLUMNS, DEFAULT_COLUMNS

TITLES = {
    "name": "Name",
    "slug": "Slug",
    "team": "Team",
    "status": "Status",
    "start": "Start",
    "end": "End",
    "requests": "Requests",
    "booked": "Booked",
    "rate": "Booking rate (bar)",
    "delta": "Δ (since the history's point)",
    "created": "Created",
    "updated": "Updated",
    "email": "E-mail",
    "id": "Id",
}


class ColumnPicker(ModalScreen["tuple[str, ...] | None"]):
    """Choose and order the list's columns; dismissed with the columns, or None."""

    CSS_PATH = sheets("dialogs.tcss")

    CLOSES_WITH_Q = True
    HELP_TITLE = "Columns (C)"
    HELP_ORDER = 35
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False, id="columns.up", tooltip="move the cursor"),
        Binding(
            "down,j", "move(1)", "Down", show=False, id="columns.down", tooltip="move the cursor"
        ),
        Binding(
            "space,x", "toggle", "Show/hide", id="columns.toggle", tooltip="show or hide the column"
        ),
        Binding(
            "shift+up,K",
            "shift(-1)",
            "Move up",
            id="columns.move_up",
            tooltip="move the column up / down",
        ),
        Binding(
            "shift+down,J",
            "shift(1)",
            "Move down",
            id="columns.move_down",
            tooltip="move the column up / down",
        ),
        Binding("r", "reset", "Defaults", id="columns.reset", tooltip="the default columns"),
        Binding("enter", "keep", "Keep", id="columns.keep", tooltip="keep these columns"),
        Binding(
            "escape,q",
            "cancel",
            "Cancel",
            id="columns.cancel",
            tooltip="cancel: the columns stay as they were",
        ),
    ]

    def __init__(self, shown: Sequence[str] | None) -> None:
        super().__init__()
        self.shown = list(shown if shown is not None else DEFAULT_COLUMNS)
        self.order = [*self.shown, *(c for c in COLUMNS if c not in self.shown)]
        self.cursor = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="columns-box"):
            yield Static("Columns", id="columns-title", markup=False)
            yield Static(id="columns-list", markup=False)
            yield Static(
                "space show/hide · K/J move · r defaults · enter keep · esc cancel",
                id="columns-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.draw()

    def draw(self) -> None:
        text = Text(no_wrap=True)
        for index, column in enumerate(self.order):
            tick = "[x]" if column in self.shown else "[ ]"
            line = f"{'›' if index == self.cursor else ' '} {tick} {TITLES[column]}"
            if column == "name":
                line += "  (always shown)"
            text.append(line + "\n", style="reverse" if index == self.cursor else "")
        self.query_one("#columns-list", Static).update(text)

    def action_move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.order) - 1, self.cursor + step))
        self.draw()

    def action_toggle(self) -> None:  # type: ignore[override]  # a column, not DOMNode's
        column = self.order[self.cursor]
        if column == "name":
            self.notify("The name is always shown.", markup=False, timeout=3)
        elif column in self.shown:
            self.shown.remove(column)
        else:
            self.shown.append(column)
        self.draw()

    def action_shift(self, step: int) -> None:
        at, to = self.cursor, self.cursor + step
        if 0 <= to < len(self.order):
            self.order[at], self.order[to] = self.order[to], self.order[at]
            self.cursor = to
            self.draw()

    def action_reset(self) -> None:
        self.shown = list(DEFAULT_COLUMNS)
        self.order = [*self.shown, *(c for c in COLUMNS if c not in self.shown)]
        self.draw()

    def action_keep(self) -> None:
        self.dismiss(tuple(c for c in self.order if c in self.shown))

    def action_cancel(self) -> None:
        self.dismiss(None)

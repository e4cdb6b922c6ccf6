"""Screens around the list: the key help, and the page shown when the tool cannot start."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from skipup_campaigns.tui.safe_text import safe_text

HELP_ROWS = (
    ("Moving", ""),
    ("↑ ↓  j k", "move the cursor"),
    ("PgUp PgDn", "a page up or down"),
    ("Home End  g G", "first or last campaign"),
    ("enter", "open the campaign"),
    ("The list", ""),
    ("/", "filter as you type: words, team:NAME, status:active|scheduled|ended|deactivated"),
    ("esc", "clear the filter"),
    ("a", "show active campaigns only, or all"),
    ("s  S", "sort by the next column (name, booking rate, requests, start, created); reverse"),
    ("r", "refresh from the server (filter, sort and cursor are kept)"),
    ("n", "new campaign"),
    ("Anywhere", ""),
    ("ctrl+p", "command palette: refresh, toggle, theme, jump to a campaign by name"),
    ("?", "this help"),
    ("q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    """Every key, in one place."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys", id="help-title")
            with VerticalScroll():
                for key, what in HELP_ROWS:
                    if not what:
                        yield Static(key, classes="help-heading")
                    else:
                        with Horizontal(classes="help-row"):
                            yield Static(key, classes="help-key", markup=False)
                            yield Static(what, classes="help-what", markup=False)
            yield Static("esc closes", id="help-hint")


class SetupProblemScreen(Screen[None]):
    """Shown instead of the list when the tool has no usable key or config."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="setup.quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-box"):
            yield Static("SkipUp campaigns cannot start", id="setup-title")
            yield Static(safe_text(self.message, multiline=True), id="setup-message")
        yield Footer()

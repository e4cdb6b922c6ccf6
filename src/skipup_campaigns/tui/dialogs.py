"""Screens around the list: the key help, the page shown when the tool cannot start, and the
confirmation and conflict dialogs of the edit flows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from skipup_campaigns.display.safe_text import safe_text

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
    ("e", "edit the campaign (here or on its page)"),
    ("d", "deactivate the campaign (asks first; there is no way back)"),
    ("A campaign's page", ""),
    ("c  y", "copy its e-mail address / its id (works over SSH and in tmux)"),
    ("u", "undo your last edit of it"),
    ("r", "fetch it again"),
    ("esc", "back to the list, cursor where it was"),
    ("The form", ""),
    ("ctrl+s", "save (the Save button too)"),
    ("tab  shift+tab", "next / previous field"),
    ("esc", "cancel (asks first if anything changed)"),
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


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question about one campaign; focus starts on Cancel, esc means no."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, title: str, subject: str, explanation: str, confirm_label: str) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        """Server text (a campaign name): rendered through the safe-text helper only."""
        self.explanation = explanation
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.title_text, id="confirm-title", markup=False)
            yield Static(safe_text(self.subject), id="confirm-subject")
            yield Static(self.explanation, id="confirm-explanation", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.confirm_label, id="confirm", variant="error")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")


class ConflictDialog(ModalScreen[str]):
    """The campaign changed on the server while it was being edited: show what differs and
    let the user overwrite, take theirs, or keep editing (the default)."""

    BINDINGS = [Binding("escape", "keep", "Keep editing", id="conflict.keep")]

    def __init__(self, rows: list[tuple[str, str, str]], *, can_take_theirs: bool = True) -> None:
        super().__init__()
        self.rows = rows
        """(field label, theirs, yours): server text, shown through safe_text only."""
        self.can_take_theirs = can_take_theirs

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Static("Changed on the server since you opened it", id="conflict-title")
            with VerticalScroll(id="conflict-rows"):
                with Horizontal(classes="conflict-row conflict-head"):
                    for text in ("Field", "Theirs (now on the server)", "Yours"):
                        yield Static(text, markup=False)
                for label, theirs, yours in self.rows:
                    with Horizontal(classes="conflict-row"):
                        yield Static(label, markup=False)
                        yield Static(safe_text(theirs))
                        yield Static(safe_text(yours))
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep editing", id="keep")
                if self.can_take_theirs:
                    yield Button("Take theirs", id="theirs")
                yield Button("Overwrite with mine", id="overwrite", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_keep(self) -> None:
        self.dismiss("keep")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "keep")

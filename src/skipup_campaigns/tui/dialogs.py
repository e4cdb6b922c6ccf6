"""Screens around the list: the key help, the page shown when the tool cannot start, and the
confirmation and conflict dialogs of the edit flows."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:  # (the help is made when ? is pressed, off the start path)
    from skipup_campaigns.tui.key_help import HelpSection
    from skipup_campaigns.workspace import Workspace


class HelpScreen(ModalScreen[None]):
    """Every key, in one place, as remapped, made from the bindings (tui/key_help.py): the
    screen it was opened on first. `i` shows each row's binding ids instead of what it does
    (the names a [keymap] in the config file uses)."""

    CSS_PATH = sheets("dialogs.tcss")

    CLOSES_WITH_Q = True
    """q closes it (as in less or man) rather than quitting the app."""
    HELP_TITLE = "This help"
    HELP_ORDER = 90
    BINDINGS = [
        Binding(
            "i",
            "toggle_ids",
            "Binding ids",
            id="help.ids",
            tooltip="show each row's binding ids, for the config file's [keymap]",
        ),
        Binding("j", "scroll(1)", "Scroll down", show=False, id="help.down", tooltip="scroll"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, id="help.up", tooltip="scroll"),
        Binding(
            "escape,q,question_mark", "dismiss", "Close", id="help.close", tooltip="close this help"
        ),
    ]

    def __init__(self, sections: Sequence[HelpSection], *, writable: bool = True) -> None:
        super().__init__()
        self.sections = sections
        """Every screen's keys, the one help was opened on first."""
        self.writable = writable
        self.showing_ids = False

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                "Keys" if self.writable else "Keys (read-only: writing is off)",
                id="help-title",
                markup=False,
            )
            with VerticalScroll():
                for index, section in enumerate(self.sections):
                    heading = section.title + (" (here)" if index == 0 else "")
                    yield Static(heading, classes="help-heading", markup=False)
                    for row in section.rows:
                        with Horizontal(classes="help-row"):
                            yield Static(row.keys, classes="help-key", markup=False)
                            yield HelpText(row.what, row.ids or "(no id)")
            yield Static(
                "esc/q close · j/k scroll · i: binding ids, for [keymap]",
                id="help-hint",
                markup=False,
            )

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_toggle_ids(self) -> None:
        self.showing_ids = not self.showing_ids
        for text in self.query(HelpText):
            text.update(text.binding_ids if self.showing_ids else text.what)


class HelpText(Static):
    """What a row's keys do, or (after `i`) their binding ids."""

    def __init__(self, what: str, binding_ids: str) -> None:
        super().__init__(what, classes="help-what", markup=False)
        self.what = what
        self.binding_ids = binding_ids


class SetupProblemScreen(Screen[None]):
    """Shown instead of the list when the tool has no usable key or config."""

    CSS_PATH = sheets("dialogs.tcss")

    HELP_TITLE = "When the tool cannot start"
    HELP_ORDER = 99
    OFFERS_PROFILES = True
    """The command palette offers the other profiles here (`:profile NAME`)."""
    BINDINGS = [Binding("q,escape", "app.quit", "Quit", id="setup.quit", tooltip="quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-box"):
            yield Static("SkipUp campaigns cannot start", id="setup-title")
            yield Static(safe_text(self.message, multiline=True), id="setup-message")
        yield KeyBar()


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question about one campaign; focus starts on Cancel, esc means no."""

    CSS_PATH = sheets("dialogs.tcss")

    HELP_TITLE = "A question (deactivate, discard, quit)"
    HELP_ORDER = 50
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="confirm.cancel",
            tooltip="no (tab and enter choose a button; the focus starts on Cancel)",
        )
    ]

    def __init__(self, title: str, subject: str, explanation: str, confirm_label: str) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        """Server text (a campaign name): rendered through the safe-text helper only."""
        self.explanation = explanation
        self.confirm_label = confirm_label
        self.asks_to_quit = False
        """The question before quitting (a second ctrl+c leaves it to be answered)."""

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


class WaitingDialog(ModalScreen[None]):
    """A request of a flow under way ("Reading the campaign…", "Deactivating…"): said at once,
    with the rate limit's countdown while it waits; esc stops it (the flow sends nothing
    more). The flow dismisses it when the answer comes."""

    CSS_PATH = sheets("dialogs.tcss")

    HELP_TITLE = "A request under way (deactivate)"
    HELP_ORDER = 52
    CLOSES_WITH_Q = True  # q stops it, as esc does (not quit with a write on its way)
    BINDINGS = [
        Binding(
            "escape,q",
            "stop",
            "Stop",
            id="waiting.stop",
            tooltip="stop: nothing more is sent (a request already on its way is awaited)",
        )
    ]

    def __init__(self, doing: str, subject: str, workspace: Workspace) -> None:
        super().__init__()
        self.doing = doing
        self.subject = subject
        """Server text (a campaign name): rendered through the safe-text helper only."""
        self.workspace = workspace
        self.stopped = False
        self.typed: list[events.Key] = []

    def compose(self) -> ComposeResult:
        from skipup_campaigns.tui.widgets.wait_line import RateLimitWaitLine

        with Vertical(id="waiting-box"):
            yield Static(self.doing, id="waiting-title", markup=False)
            yield Static(safe_text(self.subject), id="waiting-subject")
            yield RateLimitWaitLine(self.workspace, id="waiting-rate")
        yield KeyBar()

    def on_key(self, event: events.Key) -> None:
        """Keys typed behind the request are meant for what follows it (the question after
        the read): kept, and handed on in order when it ends (`close`)."""
        if event.key not in ("escape", "q"):
            event.stop()
            event.prevent_default()
            self.typed.append(event)

    def action_stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.typed.clear()  # they were meant for a flow that is no more
            self.dismiss(None)

    def close(self) -> None:
        """The answer came: go, and give the keys typed meanwhile their turn, as typed."""
        if self.stopped:
            return
        self.stopped = True
        app = self.app
        self.dismiss(None)
        for key in self.typed:
            app.post_message(events.Key(key.key, key.character))
        self.typed.clear()


class ConflictChoice(Enum):
    """What the user chose in the conflict dialog."""

    KEEP_EDITING = "keep"
    TAKE_THEIRS = "theirs"
    OVERWRITE = "overwrite"


MAX_FIELD_WIDTH = 24
"""The conflict dialog's Field column at most (a longer label wraps rather than squeezing
the values out)."""


class ConflictDialog(ModalScreen[ConflictChoice]):
    """The campaign changed on the server while it was being edited: show what differs and
    let the user overwrite, take theirs, or keep editing (the default)."""

    CSS_PATH = sheets("dialogs.tcss")

    HELP_TITLE = "Changed on the server"
    HELP_ORDER = 51
    BINDINGS = [
        Binding(
            "escape",
            "keep",
            "Keep editing",
            id="conflict.keep",
            tooltip="keep editing (the buttons: take theirs, overwrite with mine)",
        )
    ]

    def __init__(
        self, rows: Sequence[tuple[str, str, str | None]], *, can_take_theirs: bool = True
    ) -> None:
        super().__init__()
        self.rows = rows
        """(field label, theirs, yours): server text, shown through safe_text only. Yours is
        None for a field the user did not change (an overwrite leaves theirs there)."""
        self.can_take_theirs = can_take_theirs

    def compose(self) -> ComposeResult:
        with Vertical(id="conflict-box"):
            yield Static("Changed on the server since you opened it", id="conflict-title")
            with VerticalScroll(id="conflict-rows"):
                with Horizontal(classes="conflict-row conflict-head"):
                    yield self.field_cell(Static("Field", markup=False))
                    for text in ("Theirs (now on the server)", "Yours (* = sent)"):
                        yield Static(text, markup=False)
                for label, theirs, yours in self.rows:
                    mine = yours is not None
                    with Horizontal(classes="conflict-row" + (" -mine" if mine else "")):
                        yield self.field_cell(
                            Static(f"* {label}" if mine else f"  {label}", markup=False)
                        )
                        yield Static(safe_text(theirs))
                        yield Static(
                            safe_text(yours)
                            if mine
                            else Text("not changed by you: theirs stays", style="dim italic")
                        )
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep editing", id="keep")
                if self.can_take_theirs:
                    yield Button("Take theirs", id="theirs")
                yield Button("Overwrite with mine", id="overwrite", variant="warning")

    def field_cell(self, cell: Static) -> Static:
        """The Field column is as wide as its longest label ("* Description"), so a label
        never wraps its "*" away from its name; the other two columns share the rest."""
        longest = max([len("Field"), *(len(label) + 2 for label, _, _ in self.rows)])
        cell.styles.width = min(longest, MAX_FIELD_WIDTH) + 1  # + its padding-right
        return cell

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_keep(self) -> None:
        self.dismiss(ConflictChoice.KEEP_EDITING)

    @on(Button.Pressed, "#keep")
    def keep(self) -> None:
        self.dismiss(ConflictChoice.KEEP_EDITING)

    @on(Button.Pressed, "#theirs")
    def take_theirs(self) -> None:
        self.dismiss(ConflictChoice.TAKE_THEIRS)

    @on(Button.Pressed, "#overwrite")
    def overwrite(self) -> None:
        self.dismiss(ConflictChoice.OVERWRITE)

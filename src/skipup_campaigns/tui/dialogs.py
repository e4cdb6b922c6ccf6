"""Screens around the list: the key help, the page shown when the tool cannot start, and the
confirmation and conflict dialogs of the edit flows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.keymap import key_label

# (binding ids, what they do); a row without ids is a heading, and a name that is not a binding
# id (tab) is a key Textual owns. The keys shown are the ones in force, so a [keymap] in the
# config file shows up here.
HELP_ROWS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((), "Moving"),
    (("table.up", "table.down"), "move the cursor"),
    (("table.page_up", "table.page_down"), "a page up or down"),
    (("table.first", "table.last"), "first or last campaign"),
    (("table.open",), "open the campaign"),
    ((), "The list"),
    (("list.filter",), "filter as you type: words, team:NAME, team_id:ID (exact), "
                       "status:active|scheduled|ended|deactivated, rate:<20, requests:>=50, "
                       "booked:>0, ends:<7d, starts:>today, updated:<24h, marked"),
    (("list.clear_filter",), "clear the filter"),
    (("list.toggle_active",), "show active campaigns only, or all"),
    (("list.sort", "list.reverse_sort"), "sort by the next column (name, booking rate, "
                                         "requests, start, created); reverse"),
    (("list.refresh",), "refresh from the server (filter, sort and cursor are kept)"),
    (("list.new",), "new campaign"),
    (("list.edit",), "edit the campaign (here or on its page)"),
    (("list.deactivate",), "deactivate the campaign (asks first; there is no way back)"),
    ((), "Views"),
    (("views.1", "views.9"), "the first … ninth view (the tabs under the top bar)"),
    (("views.previous", "views.next"), "the previous / next view"),
    ((), "Several at once"),
    (("list.mark",), "mark or unmark the campaign, and move down"),
    (("list.mark_all",), "mark every campaign shown (again: unmark them)"),
    (("list.clear_marks",), "clear the marks (on the rows, with no filter)"),
    (("list.edit", "list.deactivate"), "with marks: edit or deactivate the marked ones "
                                       "(a preview first)"),
    (("list.undo_bulk",), "undo the last bulk edit, as one step"),
    (("list.export",), "export the marked (or shown) campaigns to a CSV or JSON file"),
    ((), "A campaign's page"),
    (("detail.copy_email", "detail.copy_id"), "copy its e-mail address / its id (works over "
                                              "SSH and in tmux)"),
    (("detail.edit",), "edit it"),
    (("detail.undo",), "undo your last edit of it"),
    (("detail.reload",), "fetch it again"),
    (("detail.back",), "back to the list, cursor where it was"),
    (("detail.deactivate",), "deactivate it (asks first)"),
    ((), "The form"),
    (("form.save",), "save (the Save button too)"),
    (("tab", "shift+tab"), "next / previous field"),
    (("form.cancel",), "cancel (asks first if anything changed)"),
    ((), "Anywhere"),
    (("app.command_palette",), "command palette: refresh, toggle, theme, jump to a campaign"),
    (("app.help",), "this help (i here shows the binding ids)"),
    (("app.quit",), "quit from the list; on this help or a campaign's page it closes that"),
)
WRITE_IDS = frozenset({"list.new", "list.edit", "list.deactivate", "detail.edit", "detail.undo",
                       "detail.deactivate", "form.save"})
"""Rows left out of the help when writes are off (read-only): keys that would do nothing."""



class HelpScreen(ModalScreen[None]):
    """Every key, in one place, as remapped; `i` shows each row's binding id instead of what
    it does (the names a [keymap] in the config file uses)."""

    CLOSES_WITH_Q = True
    """q closes it (as in less or man) rather than quitting the app."""
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
                Binding("i", "toggle_ids", "Binding ids", id="help.ids"),
                Binding("j", "scroll(1)", "Scroll down", show=False, id="help.down"),
                Binding("k", "scroll(-1)", "Scroll up", show=False, id="help.up")]

    def __init__(self, keys: Mapping[str, str], *, writable: bool = True) -> None:
        super().__init__()
        self.keys = keys
        """Binding id → the keys in force."""
        self.writable = writable
        """False: the write keys are left out (they do nothing in a read-only session)."""
        self.showing_ids = False

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static("Keys" if self.writable else "Keys (read-only: writing is off)",
                         id="help-title", markup=False)
            with VerticalScroll():
                for ids, what in HELP_ROWS:
                    if ids and not self.writable and set(ids) <= WRITE_IDS:
                        continue
                    if not ids:
                        yield Static(what, classes="help-heading", markup=False)
                        continue
                    label = "  ".join(key_label(self.keys.get(i, i)) for i in ids)
                    known = " ".join(i for i in ids if i in self.keys) or "(Textual's own)"
                    with Horizontal(classes="help-row"):
                        yield Static(label, classes="help-key", markup=False)
                        yield HelpText(what, known)
            yield Static("esc/q close · j/k scroll · i: binding ids, for [keymap]",
                         id="help-hint", markup=False)

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


class ConflictChoice(Enum):
    """What the user chose in the conflict dialog."""

    KEEP_EDITING = "keep"
    TAKE_THEIRS = "theirs"
    OVERWRITE = "overwrite"


class ConflictDialog(ModalScreen[ConflictChoice]):
    """The campaign changed on the server while it was being edited: show what differs and
    let the user overwrite, take theirs, or keep editing (the default)."""

    BINDINGS = [Binding("escape", "keep", "Keep editing", id="conflict.keep")]

    def __init__(self, rows: Sequence[tuple[str, str, str | None]], *,
                 can_take_theirs: bool = True) -> None:
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
                    for text in ("Field", "Theirs (now on the server)", "Yours (* = sent)"):
                        yield Static(text, markup=False)
                for label, theirs, yours in self.rows:
                    mine = yours is not None
                    with Horizontal(classes="conflict-row" + (" -mine" if mine else "")):
                        yield Static(f"* {label}" if mine else f"  {label}", markup=False)
                        yield Static(safe_text(theirs))
                        yield Static(safe_text(yours) if mine
                                     else Text("not changed by you: theirs stays",
                                               style="dim italic"))
            with Horizontal(id="conflict-buttons"):
                yield Button("Keep editing", id="keep")
                if self.can_take_theirs:
                    yield Button("Take theirs", id="theirs")
                yield Button("Overwrite with mine", id="overwrite", variant="warning")

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

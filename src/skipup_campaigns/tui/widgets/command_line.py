"""The `:` prompt: one line at the bottom of the list, with Tab completion, ↑/↓ through the
commands entered before (kept across sessions by the caller), and a line above it for the
candidates or for what was wrong with the last command (the command stays as typed)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.tui.colon_commands import Completion, complete

MAX_SHOWN_CANDIDATES = 12


class CommandInput(Input):
    """The prompt's field: Tab completes, ↑/↓ walk the history, esc closes."""

    BINDINGS = [
        Binding(
            "tab",
            "complete",
            "Complete",
            show=False,
            id="command.complete",
            tooltip="in the : line: complete the command, view, column or word",
        ),
        Binding(
            "up",
            "history(-1)",
            "Previous command",
            show=False,
            id="command.previous",
            tooltip="in the : line: the commands entered before (kept across sessions)",
        ),
        Binding(
            "down",
            "history(1)",
            "Next command",
            show=False,
            id="command.next",
            tooltip="in the : line: the commands entered before (kept across sessions)",
        ),
        Binding(
            "escape",
            "close",
            "Close",
            show=False,
            id="command.close",
            tooltip="in the : line: close it",
        ),
    ]

    def action_complete(self) -> None:
        line = self.parent
        if isinstance(line, CommandLine):
            line.complete()

    def action_history(self, step: int) -> None:
        line = self.parent
        if isinstance(line, CommandLine):
            line.walk_history(step)

    def action_close(self) -> None:
        line = self.parent
        if isinstance(line, CommandLine):
            line.close()


class CommandLine(Vertical):
    """The prompt and its hint line; hidden until `open`."""

    DEFAULT_CSS = """
    CommandLine {
        height: auto;
        display: none;
        &.-open { display: block; }
        #command-hint { height: auto; padding: 0 1; color: $text-muted; display: none; }
        #command-hint.-shown { display: block; }
        #command-hint.-error { color: $text-error; }
        /* One row, no border: Input's own `:focus` rule draws a tall border, which in one
           row leaves an empty box and hides the text, so the focused state is named too. */
        CommandInput, CommandInput:focus {
            height: 1; border: none; padding: 0 0; background: $boost;
        }
    }
    """

    class Entered(Message):
        """A command line was entered (the caller runs it and calls `done` or `failed`)."""

        def __init__(self, line: str) -> None:
            super().__init__()
            self.line = line

    class Closed(Message):
        """The prompt was closed without a command."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.history: Sequence[str] = ()
        self.sources: Callable[[], Mapping[str, Sequence[str]]] = dict
        self._history_at: int | None = None
        self._draft = ""
        self._cycle: tuple[Completion, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="command-hint", markup=False)
        # The field comes with the first `open`: mounting an Input (and styling it) was a
        # tenth of what the list's first frame built beyond a bare table, for a prompt that
        # most sessions never open.

    @property
    def input(self) -> CommandInput:
        """The prompt's field (made and mounted on first use)."""
        found = self.query(CommandInput)
        if found:
            return found.first()
        field = CommandInput(
            placeholder="command (Tab completes, ↑ earlier ones, esc closes)",
            id="command-input",
            select_on_focus=False,
        )
        self.mount(field)
        return field

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, text: str = "") -> None:
        """Show the prompt with `text` typed, the cursor at its end, and focus it."""
        self.add_class("-open")
        self._history_at, self._cycle = None, None
        self.hint("")
        field = self.input
        field.value = text
        field.cursor_position = len(text)
        field.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    def hint(self, text: str, *, error: bool = False) -> None:
        hint = self.query_one("#command-hint", Static)
        hint.set_class(bool(text), "-shown")
        hint.set_class(error, "-error")
        if text:
            hint.update(safe_text(text))

    def failed(self, message: str) -> None:
        """The command could not run: say why above it; what was typed stays."""
        self.hint(message, error=True)

    def complete(self) -> None:
        """Tab: the only candidate, else the candidates' common start (listed above); Tab
        again steps through them."""
        field = self.input
        if self._cycle is not None and field.value == self._cycle[0].line(
            self._cycle[0].candidates[self._cycle[1]]
        ):
            completion, index = self._cycle
            index = (index + 1) % len(completion.candidates)
            self._set(completion.line(completion.candidates[index]))
            self._cycle = (completion, index)
            return
        self._cycle = None
        completion = complete(field.value, self.sources())
        candidates = completion.candidates
        if not candidates:
            self.hint("nothing to complete here")
            return
        if len(candidates) == 1:
            self._set(completion.line(candidates[0]))
            self.hint("")
            return
        common = completion.common()
        shown = "  ".join(candidates[:MAX_SHOWN_CANDIDATES])
        self.hint(shown + ("  …" if len(candidates) > MAX_SHOWN_CANDIDATES else ""))
        if len(common) > len(field.value):
            self._set(common)
        else:
            self._set(completion.line(candidates[0]))
            self._cycle = (completion, 0)

    def _set(self, text: str) -> None:
        field = self.input
        field.value = text
        field.cursor_position = len(text)

    def walk_history(self, step: int) -> None:
        history = list(self.history)
        if not history:
            return
        if self._history_at is None:
            if step > 0:
                return
            self._draft = self.input.value
            at = len(history) - 1
        else:
            at = self._history_at + step
        if at >= len(history):
            self._history_at = None
            self._set(self._draft)
            return
        self._history_at = max(0, at)
        self._set(history[self._history_at])

    @on(Input.Submitted, "#command-input")
    def entered(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.close()
            return
        self.post_message(self.Entered(event.value))

    def done(self) -> None:
        """The command ran: the prompt goes."""
        self.remove_class("-open")

"""Your own commands and the campaign's web page, on the list and the campaign's page: their
keys, their palette entries, running one (the terminal handed over, then back) and the result
view that keeps its output. The commands themselves are in `custom_commands.py`, the running
in `command_runs.py`, the web address in `web_links.py`."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Static

from skipup_campaigns.display.safe_text import safe, safe_text
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:  # (what running needs is imported when a command runs: off the start path)
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.command_runs import RunResult
    from skipup_campaigns.custom_commands import CustomCommand
    from skipup_campaigns.tui.key_help import HelpSection
    from skipup_campaigns.tui.list_host import ListHost

OWN_BINDINGS = [
    Binding(
        "o",
        "open_web",
        "Web page",
        show=False,
        priority=True,
        id="list.open_web",
        tooltip="open the campaign's page in SkipUp's web app (web_url in the config)",
    ),
]
OWN_ACTIONS = {"open_web", "custom_command"}
"""Actions whose keys are text while the filter has focus."""


def configured_commands(app: object) -> tuple[CustomCommand, ...]:
    ui = getattr(app, "ui", None)
    return tuple(getattr(ui, "commands", ()) or ())


def configured_web_url(app: object) -> str | None:
    return getattr(getattr(app, "ui", None), "web_url", None)


def command_bindings(commands: Sequence[CustomCommand]) -> list[Binding]:
    """A binding for each command that has a key (its id: commands.N)."""
    import shlex

    return [
        Binding(
            command.key,
            f"custom_command({index})",
            command.name,
            priority=True,
            id=f"commands.{index + 1}",
            tooltip=safe(f"{command.name}: runs {shlex.join(command.program)}"),
        )
        for index, command in enumerate(commands)
        if command.key
    ]


def help_section(commands: Sequence[CustomCommand]) -> HelpSection:
    """The help's section for your own commands (their keys; the rest are in the palette)."""
    from skipup_campaigns.tui.key_help import HelpRow, HelpSection, section

    keyed = command_bindings(commands)
    made = section(
        "Your own commands (on the list, or a campaign's page)",
        keyed,
        {binding.id or "": binding.key for binding in keyed},
    )
    unkeyed = tuple(
        HelpRow(
            "ctrl+p",
            f'{safe(command.name)}: in the command palette, as "Run: {safe(command.name)}"',
            "",
        )
        for command in commands
        if not command.key
    )
    return HelpSection(made.title, made.rows + unkeyed)


def add_bindings(node: DOMNode, bindings: Sequence[Binding]) -> bool:
    """Bind `bindings` on this one screen (Textual has no public way to add a full Binding to
    an instance). False when its internals have changed: the commands are then still in the
    command palette, only without their keys."""
    try:
        table = node._bindings.key_to_bindings
        for binding in Binding.make_bindings(bindings):
            table.setdefault(binding.key, []).append(binding)
    except (AttributeError, TypeError):
        return False
    return True


def terminal_fd() -> int | None:
    """The terminal the app draws on (Textual writes to stderr), for a program's output."""
    for stream in (sys.__stderr__, sys.__stdout__):
        try:
            if stream is not None and stream.isatty():
                return stream.fileno()
        except (OSError, ValueError):
            continue
    return None


def run_command(screen: Screen[Any], name: str, argv: list[str]) -> None:
    """Hand the terminal to the program, then come back and show what it did; where the
    terminal cannot be handed over (headless), run it captured in a worker."""
    from skipup_campaigns.command_runs import run_in_terminal

    app = screen.app
    fd = terminal_fd()
    if fd is not None:
        try:
            with app.suspend():
                result = run_in_terminal(argv, fd)
        except SuspendNotSupported:
            pass
        else:
            app.push_screen(ResultScreen(name, result))
            return
    app.notify(f"Running {safe(name)}…", markup=False, timeout=3)
    screen.run_worker(_run_captured(screen, name, argv), group="own-command", exit_on_error=False)


def run_numbered(
    screen: Screen[Any], index: int, campaign: Campaign | None, ids: Sequence[str]
) -> None:
    """Run the `index`th command on `campaign` ({ids}: `ids`); what cannot be filled in is
    said in a toast."""
    from skipup_campaigns.custom_commands import CommandError, expand

    commands = configured_commands(screen.app)
    if not 0 <= index < len(commands):
        return
    command = commands[index]
    try:
        argv = expand(command, campaign, ids)
    except CommandError as exc:
        screen.notify(safe(str(exc)), severity="warning", markup=False)
        return
    run_command(screen, command.name, argv)


async def _run_captured(screen: Screen[Any], name: str, argv: list[str]) -> None:
    from skipup_campaigns.command_runs import run_captured

    result = await run_captured(argv)
    screen.app.push_screen(ResultScreen(name, result))


def open_web_page(screen: Screen[Any], campaign: Campaign | None) -> None:
    """`o`: the campaign's page in the browser where there is one here, else its address."""
    from skipup_campaigns.web_links import (
        SET_WEB_URL_HELP,
        campaign_url,
        can_open_browser,
    )

    template = configured_web_url(screen.app)
    if template is None:
        screen.notify(SET_WEB_URL_HELP, title="No web_url", markup=False, timeout=15)
        return
    if campaign is None:
        return
    url = campaign_url(template, campaign)
    if not can_open_browser(os.environ):
        screen.notify(
            f"No browser here (over SSH or without a desktop); the page is {url}",
            markup=False,
            timeout=15,
        )
        return
    screen.run_worker(_open(screen, url), group="open-web", exit_on_error=False)


async def _open(screen: Screen[Any], url: str) -> None:
    import webbrowser

    try:
        opened = await asyncio.to_thread(webbrowser.open, url)
    except webbrowser.Error:
        opened = False
    screen.notify(
        f"Opened {url}" if opened else f"No browser could be opened; the page is {url}",
        markup=False,
        timeout=8,
    )


def link_text(url: str) -> Text:
    """The address, as an OSC 8 hyperlink where the terminal supports one (the address is
    percent-encoded ASCII: nothing in it can end the sequence)."""
    return Text(url, style=Style(link=url, underline=True))


class OwnCommands:
    """What `ListScreen` does with your own commands and `o` (a mixin: it reads the screen's
    table and marks, typed against `ListHost`)."""

    def install_own_commands(self: ListHost) -> None:
        commands = configured_commands(self.app)
        if commands:
            add_bindings(self.screen, command_bindings(commands))

    def marked_ids(self: ListHost) -> list[str]:
        """The marked campaigns' ids, in the list's order (those the filter hides after)."""
        marks = self.workspace.marks.ids
        shown = [row.id for row in self.table.rows if row.id in marks]
        return shown + sorted(marks - set(shown))

    def action_custom_command(self: ListHost, index: int) -> None:
        row = self.table.cursor_row
        ids = self.marked_ids() if self.workspace.marks else ([row.id] if row else [])
        run_numbered(self.screen, index, row.campaign if row is not None else None, ids)

    def action_open_web(self: ListHost) -> None:
        row = self.table.cursor_row
        open_web_page(self.screen, row.campaign if row is not None else None)

    def own_marks_key_ids(self: ListHost) -> tuple[str, ...]:
        """With marks, the key bar shows the keys of the commands that take them."""
        commands = configured_commands(self.app)
        return tuple(
            binding.id
            for binding, command in zip(
                command_bindings(commands), [c for c in commands if c.key], strict=True
            )
            if command.uses_marks and binding.id
        )

    def own_palette_commands(
        self: ListHost,
    ) -> list[tuple[str | Content, Callable[[], object], str]]:
        """A palette entry per command (`:run NAME` on the command line); `o` is `:open`,
        offered with the `:` commands."""
        entries: list[tuple[str | Content, Callable[[], object], str]] = []
        for index, command in enumerate(configured_commands(self.app)):
            key = f" (key {command.key})" if command.key else ""
            what = "the marked campaigns" if command.uses_marks else "the campaign"
            # The name is the user's text: plain Content, never read as markup.
            help_text = f":run {escape(safe(command.name))} — your command, on {what}{key}"
            entries.append(
                (
                    Content("Run: ") + Content(safe(command.name)),
                    partial(self.action_custom_command, index),
                    help_text,
                )
            )
        return entries

    # -- the : command line (tui/list_commands.py runs command_NAME) ---------------------------

    def command_open(self: ListHost, rest: str) -> None:
        self.action_open_web()

    def command_run(self: ListHost, rest: str) -> None:
        from skipup_campaigns.tui.colon_commands import CommandError as LineError

        commands = configured_commands(self.app)
        names = ", ".join(command.name for command in commands) or "none yet"
        for index, command in enumerate(commands):
            if command.name.casefold() == rest.strip().casefold():
                self.action_custom_command(index)
                return
        said = f"No command {rest!r}" if rest else "Usage: :run NAME"
        raise LineError(
            f"{said} (your commands: {names}; add them as [[commands]] in the "
            "config file, see the README)"
        )


class ResultScreen(Screen[None]):
    """What one of your commands did: how it ended (its exit code), what it ran, and its
    output, scrollable. The output may repeat server text: it is shown made inert."""

    CSS_PATH = sheets("result.tcss")

    CLOSES_WITH_Q = True
    """q goes back to where the command was run."""
    HELP_TITLE = "What your command did"
    HELP_ORDER = 60
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="result.back", tooltip="back to the list"),
        Binding(
            "j",
            "scroll(1)",
            "Scroll down",
            show=False,
            id="result.down",
            tooltip="scroll the output",
        ),
        Binding(
            "k", "scroll(-1)", "Scroll up", show=False, id="result.up", tooltip="scroll the output"
        ),
    ]

    def __init__(self, name: str, result: RunResult) -> None:
        super().__init__()
        self.command_name = name
        self.result = result

    def compose(self) -> ComposeResult:
        import shlex

        result = self.result
        yield Static(safe_text(f"Your command: {self.command_name}"), id="result-title")
        yield Static(
            Text(result.verdict), id="result-verdict", classes="-failed" if result.failed else "-ok"
        )
        yield Static(safe_text(f"Ran: {shlex.join(result.argv)}"), id="result-argv")
        shown = result.output or ("(no output)" if result.problem is None else "")
        if result.truncated:
            shown = "… (the start of the output is not kept)\n" + shown
        with VerticalScroll(id="result-output"):
            yield Static(safe_text(shown, multiline=True), id="result-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#result-output").focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#result-output", VerticalScroll).scroll_relative(y=lines, animate=False)

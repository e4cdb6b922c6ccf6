"""The list's own commands (`[[commands]]`) and `o` (the campaign in SkipUp's web app): the
terminal is handed to the program (the app suspends and comes back), its output is kept in a
result view with the exit code. Mixed into `ListScreen`; the templates and the running are
`custom_commands.py` (argv only, never a shell)."""

from __future__ import annotations

import asyncio
import os
import sys
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from skipup_campaigns.display.safe_text import safe, safe_text

if TYPE_CHECKING:  # (custom_commands, with subprocess, only once a command runs)
    from skipup_campaigns.custom_commands import CommandResult, CustomCommand
    from skipup_campaigns.tui.list_screen import ListScreen

RUN_BINDINGS = [
    Binding("o", "open_web", "Open in SkipUp", show=False, priority=True, id="list.open_web",
            tooltip="open the campaign in SkipUp's web app (web_url in the config file)"),
]
RUN_ACTIONS = {"open_web", "run_custom"}
WEB_URL_HELP = ('o opens a campaign in SkipUp\'s web app once the config file says where: '
                'web_url = "https://app.skipup.ai/campaigns/{id}" (see the README).')


class CommandResultScreen(ModalScreen[None]):
    """What a command printed, scrollable, with its exit code."""

    CLOSES_WITH_Q = True
    HELP_TITLE = "A command's output"
    BINDINGS = [
        Binding("escape,q,enter", "dismiss", "Close", id="result.close"),
        Binding("j,down", "scroll(1)", "Scroll down", show=False, id="result.down"),
        Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="result.up"),
    ]

    def __init__(self, name: str, result: CommandResult) -> None:
        super().__init__()
        self.command_name = name
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        if result.exit_code is None:
            status = f"could not run: {result.error}"
        else:
            status = f"exit code {result.exit_code}" + ("" if result.exit_code else " (ok)")
        with Vertical(id="result-box"):
            yield Static(safe_text(f"{self.command_name} · {status}"), id="result-title")
            with VerticalScroll(id="result-output"):
                text = result.output + (f"\n… {result.truncated:,} more bytes not kept"
                                        if result.truncated else "")
                yield Static(safe_text(text or "(no output)", multiline=True), id="result-text")
            yield Static("esc/q/enter close · j/k scroll", id="result-hint", markup=False)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)


class ListRun:
    """What `ListScreen` does with custom commands and `o` (a mixin)."""

    def bind_custom_commands(self: ListScreen) -> None:  # type: ignore[misc]
        """Bind each command's own key on this screen. Textual has no public way to add a
        binding to a live screen: without its bindings map (a newer Textual), the keys say
        so once and the commands stay reachable from `:run` and the palette."""
        keyed = [(n, c) for n, c in enumerate(self.custom_commands) if c.key]
        if not keyed:
            return
        bindings = getattr(self, "_bindings", None)
        if bindings is None or not hasattr(bindings, "bind"):
            self.notify("The [[commands]] keys cannot be bound here; use :run NAME.",
                        severity="warning", markup=False)
            return
        for number, command in keyed:
            bindings.bind(command.key, f"run_custom({number})", command.name, show=False,
                          priority=True)

    @property
    def custom_commands(self: ListScreen) -> tuple[CustomCommand, ...]:  # type: ignore[misc]
        return getattr(getattr(self.app, "ui", None), "commands", ())

    def action_run_custom(self: ListScreen, number: int) -> None:  # type: ignore[misc]
        if 0 <= number < len(self.custom_commands):
            self.run_custom(self.custom_commands[number])

    def run_custom(self: ListScreen, command: CustomCommand) -> None:  # type: ignore[misc]
        """Fill the command's argv from the cursor's campaign (and the marked ones), hand it
        the terminal, then show what it printed."""
        from skipup_campaigns.custom_commands import argv_for, campaign_values

        row = self.table.cursor_row
        marked = [r.id for r in self.workspace.marked_rows()]
        try:
            argv = argv_for(command, campaign_values(row) if row is not None else None, marked)
        except ValueError as exc:
            self.notify(str(exc), severity="warning", markup=False)
            return
        self.app.push_screen(CommandResultScreen(command.name, self.run_handed_over(argv)))

    def run_handed_over(self: ListScreen, argv: list[str]) -> CommandResult:  # type: ignore[misc]
        from textual.app import SuspendNotSupported

        from skipup_campaigns.custom_commands import run

        try:
            with self.app.suspend():
                out = sys.__stdout__.buffer if sys.__stdout__ is not None else None
                if out is not None:  # what runs, made inert (a campaign's name is data)
                    out.write(f"$ {safe(' '.join(argv))}\n".encode("utf-8", "replace"))
                    out.flush()
                return run(argv, echo=out)
        except SuspendNotSupported:  # no terminal to hand over (a test's headless app)
            return run(argv)

    def action_open_web(self: ListScreen) -> None:  # type: ignore[misc]
        """The campaign's page in SkipUp's web app: a local browser opens it, else (over
        SSH, no display) the link is copied."""
        template = getattr(getattr(self.app, "ui", None), "web_url", None)
        if not template:
            self.notify(WEB_URL_HELP, markup=False, timeout=10)
            return
        from skipup_campaigns.custom_commands import campaign_values, web_url_for

        row = self.table.cursor_row
        if row is None:
            return
        url = web_url_for(template, campaign_values(row))
        self.run_worker(self._open_web(url), group="open-web", exit_on_error=False)

    async def _open_web(self: ListScreen, url: str) -> None:  # type: ignore[misc]
        if can_open_a_browser():
            import webbrowser

            if await asyncio.to_thread(webbrowser.open, url):
                self.notify(f"Opened {url}", markup=False, timeout=4)
                return
        self.app.copy(url, "the campaign's web link")  # type: ignore[attr-defined]


def web_link(line: Text, app: object, campaign: Any) -> Text:
    """`line` followed by the campaign's web link as an OSC 8 hyperlink (clickable in most
    terminals), when `web_url` is configured; the address is the template's, its values
    URL-quoted, so nothing in it is read by the terminal but the link."""
    template = getattr(getattr(app, "ui", None), "web_url", None)
    if not template:
        return line
    from skipup_campaigns.custom_commands import web_url_for

    values = {"id": campaign.id, "slug": campaign.slug, "name": campaign.name,
              "email_address": campaign.email_address or "", "team_id": campaign.team_id,
              "team_name": campaign.team_name}
    url = web_url_for(template, values)
    return Text.assemble(line, " · ", (safe(url), Style(link=url, underline=True)))


def can_open_a_browser() -> bool:
    """Whether a browser may open here without taking this terminal: a local desktop (not
    over SSH), where a text browser would not be picked."""
    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform == "darwin" or sys.platform.startswith("win"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))

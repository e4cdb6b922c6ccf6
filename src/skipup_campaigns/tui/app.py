"""The Textual app: makes the workspace, hands it to the first screen, and holds what is the
terminal's own (theme, keymap, clipboard)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from skipup_campaigns import config
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.keymap import effective_keys, unknown_ids
from skipup_campaigns.paths import styles_dir
from skipup_campaigns.tui import escape_burst
from skipup_campaigns.tui.commands import CampaignCommands
from skipup_campaigns.tui.dialogs import HelpScreen, SetupProblemScreen
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.typeahead import TypeAheadMixin
from skipup_campaigns.workspace import (
    SetupProblem,
    WorkspaceEvent,
    WritePermissionChanged,
)

if TYPE_CHECKING:  # the client (httpx, pydantic) is imported only when it is made
    from skipup_campaigns.bulk.ops import BulkAction
    from skipup_campaigns.custom_commands import CustomCommand
    from skipup_campaigns.startup.setup import Setup


@dataclass(frozen=True)
class UISettings:
    """How this terminal shows the workspace: nothing here reaches the API. The profile's
    own (refresh, commands, web_url) follow it when `:profile` switches (`for_profile`)."""

    refresh_seconds: float = 0.0
    """Refresh the list this often (0: only on request)."""
    theme: str | None = None
    remember_theme: bool = True
    """Write a theme chosen in the app back to the config file."""
    keymap: Mapping[str, str] | None = None
    """Binding id → keys, from the config file's [keymap]."""
    clipboard: str = "auto"
    """auto (a local clipboard tool when not over SSH, else OSC 52) | osc52 | off."""
    commands: tuple[CustomCommand, ...] = ()
    """Your own commands, `[[commands]]` in the config file (tui/own_commands.py)."""
    web_url: str | None = None
    """The template of a campaign's page in SkipUp's web app (`o`), checked at load."""

    def for_profile(self, setup: Setup) -> UISettings:
        """These settings with the profile's own from `setup` (unchanged when it was made
        without settings)."""
        settings = setup.settings
        if settings is None:
            return self
        return replace(
            self,
            refresh_seconds=settings.refresh_seconds,
            commands=settings.commands,
            web_url=settings.web_url,
        )


def default_keys() -> dict[str, str]:
    """Every binding id of the app's screens and widgets, with its keys as declared."""
    from skipup_campaigns.tui.key_help import binding_owners, own_bindings

    keys: dict[str, str] = {}
    for owner in binding_owners(CampaignsApp):
        for binding in own_bindings(owner):
            if binding.id:
                keys[binding.id] = binding.key
    return keys


def command_key_problem(
    commands: Sequence[CustomCommand], keymap: Mapping[str, str], where: str
) -> str | None:
    """Why a command's key cannot be used (it is a built-in binding's, as remapped), or
    None."""
    from skipup_campaigns.custom_commands import CommandError, key_clashes

    taken: dict[str, str] = {}
    for binding_id, keys in effective_keys(default_keys(), keymap).items():
        for key in keys.split(","):
            taken.setdefault(key.strip(), binding_id)
    try:
        key_clashes(commands, taken, where)
    except CommandError as exc:
        return str(exc)
    return None


def is_text_field(widget: object) -> bool:
    """Whether keys typed go into `widget` as text: an Input or a TextArea. TextArea is known
    by name: importing it (with its document model, ~10 ms) only for this check would put it
    on the start path, which no list screen needs."""
    return isinstance(widget, Input) or any(
        cls.__name__ == "TextArea" for cls in type(widget).__mro__
    )


STYLESHEETS = (
    "base.tcss",
    "list.tcss",
    "detail.tcss",
    "edit.tcss",
    "dialogs.tcss",
    "report.tcss",
    "bulk.tcss",
    "result.tcss",
)
HISTORY_CLOSE_WAIT = 1.0
"""Seconds a quit gives a history record still running (another instance may hold the file)."""


class CampaignsApp(TypeAheadMixin, App[None]):
    """SkipUp campaigns in the terminal."""

    # Saves and writes end on another screen (or a dialog): keys typed behind them wait.
    # Loading a form's teams is no write and moves no focus: keys go to the form meanwhile
    # (the picker is there, empty, and fills in when they arrive), as in the single form.
    KEY_HOLDING_WORK = {
        "form-save": "the save",
        "list-write": "the request",
        "detail-write": "the request",
        "bulk-write": "the bulk action",
        "list-export": "the export",
    }

    TITLE = "SkipUp campaigns"
    CSS_PATH = [styles_dir() / name for name in STYLESHEETS]
    COMMANDS = App.COMMANDS | {CampaignCommands}
    HELP_TITLE = "Anywhere"
    BINDINGS = [
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="app.command_palette",
            tooltip="command palette: refresh, toggle, sort, theme, jump to a campaign",
        ),
        # Priority, like the list's keys, so they act in the order typed; in a text field they
        # are text (check_action).
        Binding(
            "question_mark",
            "help",
            "Help",
            priority=True,
            id="app.help",
            tooltip="this help, the keys of the screen you are on first (i here shows "
            "the binding ids)",
        ),
        Binding(
            "q",
            "quit_from_q",
            "Quit",
            priority=True,
            id="app.quit",
            tooltip="quit from the list (outside text fields; asks first with unsaved "
            "changes); on help, a campaign's page or the report it closes that",
        ),
        # As in k9s, lazygit or less (Textual's own says "press ctrl+q"); asks first like q.
        Binding(
            "ctrl+c",
            "interrupt",
            "Quit",
            show=False,
            priority=True,
            id="app.interrupt",
            tooltip="quit from anywhere, fields too (asks first as q does; with text "
            "selected in a field, copies it)",
        ),
    ]

    def __init__(self, setup: Setup | None = None, *, ui: UISettings = UISettings()) -> None:
        """The screens share `setup`'s finished workspace (startup/setup.py makes it and its
        parts; with none, the app explains what to configure); its history's jobs run in this
        app's workers (tests wait for them) and its warnings are notifications."""
        super().__init__()
        escape_burst.install()  # Esc+key read together: Esc, then the key
        if setup is None:
            from skipup_campaigns.startup.setup import build_workspace

            setup = build_workspace()
        self.setup = setup
        self.workspace = setup.workspace
        self._take_history(setup)
        self.workspace.subscribe(self.workspace_changed)
        self.ui = ui
        # The short name the top bar starts with ("SkipUp (demo)"); the title stays whole.
        self.sub_title = f"SkipUp ({setup.label})" if setup.label else "SkipUp"
        if ui.theme and ui.theme in self.available_themes:
            self.theme = ui.theme
        self.clipboard_method = ui.clipboard
        self.keymap_problems: list[str] = []
        if ui.keymap:  # (default_keys() imports every screen: only worth it with a keymap)
            self.keymap_problems = unknown_ids(default_keys(), ui.keymap)
            self.set_keymap({k: v for k, v in ui.keymap.items() if k not in self.keymap_problems})

    def _take_history(self, setup: Setup) -> None:
        """The history's jobs as this app's workers, its warnings as notifications."""
        if setup.workspace.history is not None:
            setup.workspace.history.run_in(
                lambda job: self.run_worker(job, group="history", exit_on_error=False),
                self.history_warning,
            )

    def on_mount(self) -> None:
        if self.keymap_problems:
            # The ids are the user's own text, but text from a file all the same: made inert.
            self.notify(
                f"The config file's [keymap] names no such binding: "
                f"{safe(', '.join(self.keymap_problems))}. Press ? for the ids.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        if self.setup.problem is not None or not self.workspace.can_connect:
            self.show_setup_problem(self.setup.problem or config.missing_key_help())
        else:
            self.push_screen(ListScreen(self.workspace, refresh_seconds=self.ui.refresh_seconds))

    def workspace_changed(self, event: WorkspaceEvent) -> None:
        """What the whole app says about the workspace (each screen shows the rest itself)."""
        if isinstance(event, SetupProblem):
            self.show_setup_problem(event.message)
        elif isinstance(event, WritePermissionChanged) and event.learned and not event.writable:
            self.notify(
                "This API key cannot change campaigns (it lacks the campaigns.write "
                "scope), so editing, creating and deactivating are turned off.",
                title="Read-only key",
                severity="warning",
                timeout=10,
                markup=False,
            )

    def history_warning(self, message: str) -> None:
        self.notify(safe(message), title="History", severity="warning", timeout=10, markup=False)

    def show_setup_problem(self, message: str) -> None:
        """Replace the list (or start) with a page that says what to fix."""
        screen = SetupProblemScreen(message)
        if isinstance(self.screen, ListScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def watch_theme(self, theme: str) -> None:
        if self.ui.remember_theme and self.is_running:  # App.is_mounted is a method
            config.remember(theme=theme)

    # -- what is the terminal's own: the clipboard ---------------------------------------

    def copy(self, text: str, what: str) -> None:
        """Copy by the configured method; a toast says what was done (clipboard.py decides).
        The local tool or tmux may take seconds: they run in a thread, keys go on meanwhile."""
        if self.clipboard_method == "off":
            return
        self.run_worker(self._copy(text, what), group="copy", exit_on_error=False)

    async def _copy(self, text: str, what: str) -> None:
        from skipup_campaigns.clipboard import copy_text

        outcome = await asyncio.to_thread(copy_text, text, what, self.clipboard_method)
        if outcome.send_osc52:
            self.copy_to_clipboard(text)
        if outcome.passthrough and self._driver is not None:
            self._driver.write(outcome.passthrough)
        self.notify(
            outcome.message, severity="warning" if outcome.warning else "information", markup=False
        )

    def keys_for(self, event: events.Event) -> Sequence[events.Event]:
        """Esc+key read together (one SSH packet) is Esc, then the key, unless the key as
        read (alt+j) has a binding of its own."""
        return escape_burst.split_escape_burst(event, self.key_is_bound) or (event,)

    def key_is_bound(self, key: str) -> bool:
        """An enabled binding of `key` where the focus is now (widget, screen or app)."""
        try:
            binding = self.screen.active_bindings.get(key)
        except Exception:  # noqa: BLE001 - no screen yet: nothing is bound
            return False
        return binding is not None and binding.enabled

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "quit_from_q", "help") and is_text_field(self.focused):
            return False
        if action == "quit_from_q" and getattr(self.screen, "CLOSES_WITH_Q", False):
            return False  # q closes that view (its own binding), as in less, man or tig
        return True

    async def action_quit_from_q(self) -> None:
        await self.action_quit()

    async def action_interrupt(self) -> None:
        """ctrl+c: copy the text selected in a field (what it does there), else quit."""
        focused = self.focused
        if is_text_field(focused) and focused.selected_text:  # type: ignore[union-attr]
            self.copy_to_clipboard(focused.selected_text)  # type: ignore[union-attr]
            return
        if getattr(self.screen, "asks_to_quit", False):
            return  # the question is on screen already: enter or esc answers it
        await self.action_quit()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker becomes one message, never a traceback or a closed app."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name} failed: {error!r}")
            self.notify(
                f"Something went wrong ({type(error).__name__}); what is on screen is kept.",
                severity="error",
                markup=False,
            )

    async def action_quit(self) -> None:
        """Quit, but never silently drop a form with unsaved changes (q outside a text field,
        or Textual's own ctrl+q): ask first."""
        from skipup_campaigns.tui.dialogs import ConfirmDialog
        from skipup_campaigns.tui.edit_screen import EditScreen

        running = self.workspace.bulk.running
        if running is not None:
            question = ConfirmDialog(
                "Stop the bulk action and quit?",
                f"{running.total:,} campaigns",
                "The requests in flight finish first; the rest are not sent.",
                "Stop and quit",
            )
            question.asks_to_quit = True

            def stop_and_quit(leave: bool | None) -> None:
                if leave:
                    self.run_worker(self._stop_bulk_and_exit(running))

            self.push_screen(question, stop_and_quit)
            return
        unsaved = [s for s in self.screen_stack if isinstance(s, EditScreen) and s.has_changes()]
        if not unsaved:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        question = ConfirmDialog(
            "Quit and lose your changes?",
            unsaved[-1].current_text().name or "(unnamed)",
            "The form has changes that were not saved.",
            "Quit",
        )
        question.asks_to_quit = True
        self.push_screen(question, answered)

    async def _stop_bulk_and_exit(self, running: BulkAction) -> None:
        running.cancel()
        try:
            await asyncio.wait_for(running.finished.wait(), timeout=15)
        except TimeoutError:
            pass  # a request that hangs past its deadline: quit all the same
        self.exit()

    def action_help(self) -> None:
        from skipup_campaigns.tui.key_help import help_sections

        if not isinstance(self.screen, HelpScreen):
            keys = effective_keys(default_keys(), self._keymap)
            sections = help_sections(
                type(self), self.screen_stack, keys, writable=self.workspace.writable
            )
            if self.ui.commands:
                from skipup_campaigns.tui.own_commands import help_section

                # Your own commands' keys, after the list's (they act on the list).
                after = next(
                    (
                        n + 1
                        for n, found in enumerate(sections)
                        if found.title == ListScreen.HELP_TITLE
                    ),
                    len(sections),
                )
                sections.insert(after, help_section(self.ui.commands))
            self.push_screen(HelpScreen(sections, writable=self.workspace.writable))

    async def on_unmount(self) -> None:
        if self.workspace.history is not None:
            # A record waiting on another instance's write (up to 15 s) closes the file itself.
            await self.workspace.history.aclose(wait=HISTORY_CLOSE_WAIT)
        await self.workspace.aclose()

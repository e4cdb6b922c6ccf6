"""The Textual app: holds the client and the settings, and opens the first screen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, TextArea
from textual.worker import Worker, WorkerState

from skipup_campaigns import config
from skipup_campaigns.paths import styles_dir
from skipup_campaigns.tui.commands import CampaignCommands
from skipup_campaigns.tui.dialogs import HelpScreen, SetupProblemScreen
from skipup_campaigns.tui.keymap import effective_keys, unknown_ids
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.tui.typeahead import TypeAheadMixin
from skipup_campaigns.display.safe_text import safe

if TYPE_CHECKING:  # the client (httpx, pydantic) is imported only when it is made
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.tui.list_cache import ListCache


@dataclass(frozen=True)
class UndoEntry:
    """One edit made here: what to PATCH back, and the `updated_at` our edit left, so an undo
    can tell whether someone changed the campaign since."""

    campaign_id: str
    before: dict[str, Any]
    after_updated_at: datetime


def default_keys() -> dict[str, str]:
    """Every binding id of the app's screens and widgets, with its keys as declared."""
    from skipup_campaigns.tui.detail_screen import DetailScreen
    from skipup_campaigns.tui.edit_screen import EditScreen
    from skipup_campaigns.tui.widgets.campaign_table import CampaignTable

    keys: dict[str, str] = {}
    for owner in (CampaignsApp, ListScreen, CampaignTable, DetailScreen, EditScreen):
        for binding in owner.BINDINGS:
            if isinstance(binding, Binding) and binding.id:
                keys[binding.id] = binding.key
    return keys


STYLESHEETS = ("base.tcss", "list.tcss", "detail.tcss", "edit.tcss", "dialogs.tcss")


class CampaignsApp(TypeAheadMixin, App[None]):
    """SkipUp campaigns in the terminal."""

    # Saves and writes end on another screen (or a dialog): keys typed behind them wait.
    KEY_HOLDING_WORKER_GROUPS = frozenset({"form-save", "list-write", "detail-write"})

    TITLE = "SkipUp campaigns"
    CSS_PATH = [styles_dir() / name for name in STYLESHEETS]
    COMMANDS = App.COMMANDS | {CampaignCommands}
    BINDINGS = [
        # Priority, like the list's keys, so they act in the order typed; in a text field they
        # are text (check_action).
        Binding("q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("question_mark", "help", "Help", priority=True, id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.command_palette"),
    ]

    def __init__(
        self,
        client: SkipUpClient | None = None,
        *,
        connect: Callable[[], SkipUpClient] | None = None,
        setup_problem: str | None = None,
        label: str = "",
        read_only: bool = False,
        refresh_seconds: float = 0.0,
        theme: str | None = None,
        remember_theme: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        list_cache: ListCache | None = None,
        keymap: dict[str, str] | None = None,
        clipboard: str = "auto",
    ) -> None:
        """`client`, or `connect` to make one when the list first needs it (it may raise the
        client's ConfigurationError, shown as a setup problem). With neither, the app explains
        what to configure."""
        super().__init__()
        self._client = client
        self._connect = connect
        self.setup_problem = setup_problem
        self.read_only = read_only
        self.refresh_seconds = refresh_seconds
        self._remember_theme = remember_theme
        self._write_denied = False
        self.undo_log: list[UndoEntry] = []
        """Edits made in this session, oldest first (for `u` on a campaign's page)."""
        self.clock = clock
        self.list_cache = list_cache
        """Where the last loaded list is kept for an instant next start (None: not kept)."""
        # The short name the top bar starts with ("SkipUp (demo)"); the title stays whole.
        self.sub_title = f"SkipUp ({label})" if label else "SkipUp"
        if theme and theme in self.available_themes:
            self.theme = theme
        self.clipboard_method = clipboard
        """auto (a local clipboard tool when not over SSH, else OSC 52) | osc52 | off."""
        self.keymap_problems: list[str] = []
        if keymap:  # (default_keys() imports every screen: only worth it with a keymap)
            self.keymap_problems = unknown_ids(default_keys(), keymap)
            self.set_keymap({k: v for k, v in keymap.items() if k not in self.keymap_problems})

    def on_mount(self) -> None:
        if self.keymap_problems:
            # The ids are the user's own text, but text from a file all the same: made inert.
            self.notify(f"The config file's [keymap] names no such binding: "
                        f"{safe(', '.join(self.keymap_problems))}. Press ? for the ids.",
                        severity="warning", markup=False, timeout=10)
        if self._client is None and self._connect is None:
            self.show_setup_problem(self.setup_problem or config.missing_key_help())
        else:
            self.push_screen(ListScreen(refresh_seconds=self.refresh_seconds, clock=self.clock))

    async def get_client(self) -> SkipUpClient:
        """The API client, made on first use (may raise the client's ConfigurationError)."""
        if self._client is None:
            assert self._connect is not None
            self._client = self._connect()
        return self._client

    @property
    def client(self) -> SkipUpClient:
        """The API client; only valid once `get_client()` has returned."""
        assert self._client is not None
        return self._client

    def show_setup_problem(self, message: str) -> None:
        """Replace the list (or start) with a page that says what to fix."""
        screen = SetupProblemScreen(message)
        if isinstance(self.screen, ListScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and self.is_mounted:
            config.remember(theme=theme)

    # -- what every screen shares: permission to write, undo, the list, the clipboard --------

    @property
    def writable(self) -> bool:
        """Whether write actions are offered: not --read-only, and no 403 for
        campaigns.write seen yet (scopes are learned from the server, never guessed)."""
        return not self.read_only and not self._write_denied

    def note_error(self, exc: Exception) -> None:
        """Learn from an API error what the whole app must know (a missing write scope)."""
        from skipup_campaigns.api.errors import PermissionDeniedError

        if (isinstance(exc, PermissionDeniedError) and exc.missing_scope == "campaigns.write"
                and not self._write_denied):
            self._write_denied = True
            for screen in self.screen_stack:
                screen.refresh_bindings()
            self.notify("This API key cannot change campaigns (it lacks the campaigns.write "
                        "scope), so editing, creating and deactivating are turned off.",
                        title="Read-only key", severity="warning", timeout=10, markup=False)

    def record_edit(self, edit: UndoEntry) -> None:
        self.undo_log.append(edit)

    def last_edit(self, campaign_id: str) -> UndoEntry | None:
        return next((e for e in reversed(self.undo_log) if e.campaign_id == campaign_id), None)

    def campaign_changed(self, campaign: Campaign, *, select: bool = False) -> None:
        """The server answered with this campaign: the list shows its answer."""
        for screen in self.screen_stack:
            if isinstance(screen, ListScreen):
                screen.campaign_changed(campaign, select=select)

    def copy(self, text: str, what: str) -> None:
        """Copy by the configured method; a toast says what was done (clipboard.py decides)."""
        from skipup_campaigns.tui.clipboard import copy_text

        if self.clipboard_method == "off":
            return
        outcome = copy_text(text, what, self.clipboard_method)
        if outcome.send_osc52:
            self.copy_to_clipboard(text)
        if outcome.passthrough and self._driver is not None:
            self._driver.write(outcome.passthrough)
        self.notify(outcome.message, severity="warning" if outcome.warning else "information",
                    markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "help") and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker becomes one message, never a traceback or a closed app."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.log.error(f"worker {event.worker.name} failed: {error!r}")
            self.notify(f"Something went wrong ({type(error).__name__}); what is on screen is "
                        "kept.", severity="error", markup=False)

    async def action_quit(self) -> None:
        """Quit, but never silently drop a form with unsaved changes (q outside a text field,
        or Textual's own ctrl+q): ask first."""
        from skipup_campaigns.tui.dialogs import ConfirmDialog
        from skipup_campaigns.tui.edit_screen import EditScreen

        unsaved = [s for s in self.screen_stack if isinstance(s, EditScreen) and s.has_changes()]
        if not unsaved:
            self.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit()

        self.push_screen(ConfirmDialog(
            "Quit and lose your changes?", unsaved[-1].current_text().name or "(unnamed)",
            "The form has changes that were not saved.", "Quit"), answered)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(effective_keys(default_keys(), self._keymap)))

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

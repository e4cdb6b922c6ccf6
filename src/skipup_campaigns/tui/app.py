"""The Textual app: holds the client and the settings, and opens the first screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, TextArea

from skipup_campaigns import config
from skipup_campaigns.api.client import SkipUpClient
from skipup_campaigns.paths import styles_dir
from skipup_campaigns.tui.commands import CampaignCommands
from skipup_campaigns.tui.dialogs import HelpScreen, SetupProblemScreen
from skipup_campaigns.tui.list_screen import ListScreen

STYLESHEETS = ("base.tcss", "list.tcss", "detail.tcss", "dialogs.tcss")


class CampaignsApp(App[None]):
    """SkipUp campaigns in the terminal."""

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
        client: SkipUpClient | None,
        *,
        setup_problem: str | None = None,
        label: str = "",
        read_only: bool = False,
        refresh_seconds: float = 0.0,
        theme: str | None = None,
        remember_theme: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        super().__init__()
        self.client = client
        self.setup_problem = setup_problem
        self.read_only = read_only
        self.refresh_seconds = refresh_seconds
        self._remember_theme = remember_theme
        self.clock = clock
        # The short name the top bar starts with ("SkipUp (demo)"); the title stays whole.
        self.sub_title = f"SkipUp ({label})" if label else "SkipUp"
        if theme and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        if self.client is None:
            self.push_screen(SetupProblemScreen(self.setup_problem or config.missing_key_help()))
        else:
            self.push_screen(ListScreen(refresh_seconds=self.refresh_seconds, clock=self.clock))

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme and self.is_mounted:
            config.remember(theme=theme)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "help") and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.aclose()

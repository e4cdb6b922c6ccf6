"""The Textual app: holds the client and the settings, and opens the first screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.widgets import Input, TextArea

from skipup_campaigns import config
from skipup_campaigns.paths import styles_dir
from skipup_campaigns.tui.commands import CampaignCommands
from skipup_campaigns.tui.dialogs import HelpScreen, SetupProblemScreen
from skipup_campaigns.tui.list_screen import ListScreen

if TYPE_CHECKING:  # the client (httpx, pydantic) is imported only when it is made
    from skipup_campaigns.api.client import SkipUpClient

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
        self.clock = clock
        # The short name the top bar starts with ("SkipUp (demo)"); the title stays whole.
        self.sub_title = f"SkipUp ({label})" if label else "SkipUp"
        if theme and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "help") and isinstance(self.focused, (Input, TextArea)):
            return False
        return True

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

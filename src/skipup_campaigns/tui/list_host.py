"""What the list screen's mixins (views, the `:` line, your own commands) use of the screen: one
small protocol, so a mixin types its `self` against it and never imports the screen back.

`ListScreen` satisfies it (mypy checks that where the screen calls a mixin's method); it lists
the screen's controls and state, the few Textual methods the mixins call, and the mixins'
methods that call one another.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload

if TYPE_CHECKING:
    from textual.app import App
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets import Input

    from skipup_campaigns.bulk.engine import Change
    from skipup_campaigns.tui.widgets.campaign_table import CampaignTable
    from skipup_campaigns.tui.widgets.command_line import CommandLine
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.collection import Row, SortKey
    from skipup_campaigns.workspace.views import View

WidgetType = TypeVar("WidgetType", bound="Widget")


class ListHost(Protocol):
    """The list screen, as its mixins see it."""

    workspace: Workspace
    active_only: bool
    sort: SortKey
    reverse: bool

    @property
    def table(self) -> CampaignTable: ...

    @property
    def filter_input(self) -> Input: ...

    # -- Textual's, as the screen has them -----------------------------------------------------

    @property
    def app(self) -> App[object]: ...

    @property
    def screen(self) -> Screen[object]:
        """The screen itself, for the flows that take a `Screen` (bulk, export, commands)."""
        ...

    @property
    def focused(self) -> Widget | None: ...

    @overload
    def query_one(self, selector: type[WidgetType]) -> WidgetType: ...

    @overload
    def query_one(self, selector: str, expect_type: type[WidgetType]) -> WidgetType: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def prevent(self, *message_types: type[Message]) -> AbstractContextManager[None]: ...

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True) -> None: ...

    def call_later(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...

    # -- the screen's own actions and workers --------------------------------------------------

    def update_view(self, *, cursor_on: str | None = None, pages_only: bool = False) -> None: ...

    def action_cycle_sort(self) -> None: ...

    def action_reverse_sort(self) -> None: ...

    def action_refresh(self) -> None: ...

    def action_report(self) -> None: ...

    def action_next_since(self) -> None: ...

    def action_focus_filter(self) -> None: ...

    def read_baseline(self, window: str | None = None) -> object: ...

    def recheck_write(self) -> object: ...

    # -- the mixins' methods that the others call ----------------------------------------------

    def apply_view(self, view: View) -> None: ...

    def choose_view(self, name: str) -> None: ...

    def current_view_state(self, name: str) -> View: ...

    def update_view_tabs(self) -> None: ...

    async def action_command_line(self, text: str = "") -> None: ...

    async def command_line(self) -> CommandLine: ...

    def command_sources(self) -> dict[str, list[str]]: ...

    def run_command(self, line: str) -> None: ...

    def show_chosen_columns(self, columns: tuple[str, ...] | None) -> None: ...

    def action_pick_columns(self) -> None: ...

    def export_to(self, file_name: str | None) -> object: ...

    def retry_bulk(self, change: Change, rows: list[Row]) -> object: ...

    def marked_ids(self) -> list[str]: ...

    def action_custom_command(self, index: int) -> None: ...

    def action_open_web(self) -> None: ...

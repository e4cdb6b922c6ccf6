"""A line that says "rate limited: next request in 12 s, 60 a minute" while a request of the
workspace waits for the rate limit, counting down each second, and is hidden otherwise: for
screens that cover the list's top bar (the report, the bulk progress dialog)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Static

from skipup_campaigns.display.waits import wait_text
from skipup_campaigns.workspace.events import RateLimitWaitChanged, WorkspaceEvent

if TYPE_CHECKING:
    from skipup_campaigns.workspace import Workspace


class RateLimitWaitLine(Static):
    """The workspace's rate-limit wait, counted down (hidden while none waits)."""

    DEFAULT_CSS = """
    RateLimitWaitLine {
        height: auto;
        color: $text-warning;
        display: none;
    }
    RateLimitWaitLine.-waiting {
        display: block;
    }
    """

    def __init__(self, workspace: Workspace | None, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.workspace = workspace
        self._unsubscribe: Callable[[], None] | None = None
        self._ticker: Timer | None = None

    def on_mount(self) -> None:
        if self.workspace is not None:
            self._unsubscribe = self.workspace.subscribe(self._workspace_changed)
        self.redraw()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _workspace_changed(self, event: WorkspaceEvent) -> None:
        if isinstance(event, RateLimitWaitChanged) and self.is_mounted:
            self.redraw()

    def redraw(self) -> None:
        workspace = self.workspace
        waiting = workspace.rate_wait if workspace is not None else None
        self.set_class(waiting is not None, "-waiting")
        if waiting is None or workspace is None:
            if self._ticker is not None:
                self._ticker.stop()
                self._ticker = None
            return
        self.update(wait_text(waiting, workspace.clock()))
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self.redraw)

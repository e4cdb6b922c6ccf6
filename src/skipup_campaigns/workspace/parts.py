"""What the workspace's parts (bulk actions, marks, the history link) use of the workspace: one
small protocol, so a part is typed against it and never imports the workspace back.

`Workspace` satisfies it; a test may hand a part anything else that does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient
    from skipup_campaigns.workspace.collection import CampaignCollection
    from skipup_campaigns.workspace.events import Subscriber, WorkspaceEvent
    from skipup_campaigns.workspace.marks import Marks
    from skipup_campaigns.workspace.undo import UndoLog


class WorkspaceCore(Protocol):
    """The client, the collection, the marks, the undo log, the clock, and the events."""

    collection: CampaignCollection
    marks: Marks
    undo_log: UndoLog
    clock: Callable[[], datetime]

    async def get_client(self) -> SkipUpClient:
        """The API client, made on first use."""
        ...

    def announce(self, event: WorkspaceEvent) -> None:
        """Tell every subscriber of a change."""
        ...

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Hear every change from now on; returns the way to stop."""
        ...

    def note_error(self, exc: BaseException) -> None:
        """Learn from an API error what everyone must know (a missing write scope)."""
        ...

    @property
    def writable(self) -> bool:
        """Whether writes are offered (not read-only, no refused write scope seen)."""
        ...

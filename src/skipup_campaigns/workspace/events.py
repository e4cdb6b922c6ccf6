"""What a workspace announces to its subscribers. Plain frozen dataclasses: a subscriber is any
callable taking one; the Textual side turns them into screen updates, a script may ignore them.

Subscribers are called synchronously, on the thread (and in the order) the change happened, so
a screen that redraws in its callback shows the change before the operation goes on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.workspace.load_state import LoadState


@dataclass(frozen=True)
class CampaignsChanged:
    """The collection changed: campaigns arrived, were updated, or dropped."""

    ids: frozenset[str] = field(default_factory=frozenset)
    """The campaigns merged in (empty when many changed at once: a page, a refresh's end)."""
    select: str | None = None
    """A campaign the user just made, for the list to put its cursor on."""


@dataclass(frozen=True)
class LoadStateChanged:
    state: LoadState


@dataclass(frozen=True)
class WritePermissionChanged:
    """Write actions are now offered or not (a 403 for campaigns.write was seen)."""

    writable: bool
    learned: bool
    """True when the server's answer taught it (say so), False when configured."""


@dataclass(frozen=True)
class UndoLogChanged:
    """An edit was recorded or undone."""

    campaign_id: str


@dataclass(frozen=True)
class SetupProblem:
    """The client cannot be made (no usable key or base URL): say what to fix."""

    message: str


@dataclass(frozen=True)
class MarksChanged:
    """Campaigns were marked or unmarked (for acting on many at once), or their note of why
    the last bulk action did not do them changed."""

    ids: frozenset[str] = field(default_factory=frozenset)
    """The campaigns whose mark changed (empty when many did at once)."""


@dataclass(frozen=True)
class RateLimitWaitChanged:
    """A request started waiting for the rate limit, the soonest wait changed, or (None) no
    request waits any more."""

    wait: Countdown | None


WorkspaceEvent = (
    CampaignsChanged
    | LoadStateChanged
    | WritePermissionChanged
    | UndoLogChanged
    | SetupProblem
    | MarksChanged
    | RateLimitWaitChanged
)
Subscriber = Callable[[WorkspaceEvent], None]

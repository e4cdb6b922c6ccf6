"""What a workspace announces to its subscribers. Small frozen records: a subscriber is any
callable taking one; the Textual side turns them into screen updates, a script may ignore them.

Subscribers are called synchronously, on the thread (and in the order) the change happened, so
a screen that redraws in its callback shows the change before the operation goes on.

They were frozen dataclasses; this module is on every start's path, and making a dataclass
compiles its methods (~0.6 ms each, seven here): `Event` gives them the same equality, hash,
repr and immutability from their `__slots__`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skipup_campaigns.display.waits import Countdown
from skipup_campaigns.workspace.load_state import LoadState


class Event:
    """A frozen record: equal to another of its type with equal fields (its `__slots__`)."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self) or not isinstance(other, Event):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class CampaignsChanged(Event):
    """The collection changed: campaigns arrived, were updated, or dropped."""

    __slots__ = ("ids", "select")
    ids: frozenset[str]
    """The campaigns merged in (empty when many changed at once: a page, a refresh's end)."""
    select: str | None
    """A campaign the user just made, for the list to put its cursor on."""

    def __init__(self, ids: frozenset[str] = frozenset(), select: str | None = None) -> None:
        self._set(ids=ids, select=select)


class LoadStateChanged(Event):
    __slots__ = ("state",)
    state: LoadState

    def __init__(self, state: LoadState) -> None:
        self._set(state=state)


class WritePermissionChanged(Event):
    """Write actions are now offered or not (a 403 for campaigns.write was seen)."""

    __slots__ = ("writable", "learned")
    writable: bool
    learned: bool
    """True when the server's answer taught it (say so), False when configured."""

    def __init__(self, writable: bool, learned: bool) -> None:
        self._set(writable=writable, learned=learned)


class UndoLogChanged(Event):
    """An edit was recorded or undone."""

    __slots__ = ("campaign_id",)
    campaign_id: str

    def __init__(self, campaign_id: str) -> None:
        self._set(campaign_id=campaign_id)


class SetupProblem(Event):
    """The client cannot be made (no usable key or base URL): say what to fix."""

    __slots__ = ("message",)
    message: str

    def __init__(self, message: str) -> None:
        self._set(message=message)


class MarksChanged(Event):
    """Campaigns were marked or unmarked (for acting on many at once), or their note of why
    the last bulk action did not do them changed."""

    __slots__ = ("ids",)
    ids: frozenset[str]
    """The campaigns whose mark changed (empty when many did at once)."""

    def __init__(self, ids: frozenset[str] = frozenset()) -> None:
        self._set(ids=ids)


class RateLimitWaitChanged(Event):
    """A request started waiting for the rate limit, the soonest wait changed, or (None) no
    request waits any more."""

    __slots__ = ("wait",)
    wait: Countdown | None

    def __init__(self, wait: Countdown | None) -> None:
        self._set(wait=wait)


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

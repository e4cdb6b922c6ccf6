"""The edits made in this session, so the last one of a campaign can be put back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class UndoEntry:
    """One edit made here: what to PATCH back, and the `updated_at` our edit left, so an undo
    can tell whether someone changed the campaign since."""

    campaign_id: str
    before: dict[str, Any]
    after_updated_at: datetime
    before_updated_at: datetime | None = None
    """The `updated_at` the edit was made over (None: not known)."""


class UndoLog:
    """Edits oldest first; undo takes a campaign's newest (so repeated undos walk back)."""

    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[UndoEntry]:
        return iter(self._entries)

    def record(self, entry: UndoEntry) -> None:
        self._entries.append(entry)

    def last(self, campaign_id: str) -> UndoEntry | None:
        return next((e for e in reversed(self._entries) if e.campaign_id == campaign_id), None)

    def remove(self, entry: UndoEntry) -> None:
        self._entries.remove(entry)

    def undone(self, entry: UndoEntry, now_updated_at: datetime) -> None:
        """`entry` was put back, leaving the campaign at `now_updated_at`. The campaign's
        previous edit here is then checked against that: our own undo is not someone else's
        change. Only if that edit led straight to `entry` (nobody wrote in between)."""
        self._entries.remove(entry)
        previous = self.last(entry.campaign_id)
        if (previous is not None and entry.before_updated_at is not None
                and previous.after_updated_at == entry.before_updated_at):
            index = self._entries.index(previous)
            self._entries[index] = replace(previous, after_updated_at=now_updated_at)

"""The edits made in this session, so the last one of a campaign can be put back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from skipup_campaigns.plain_record import FrozenRecord


class UndoEntry(FrozenRecord):
    """One edit made here: what to PATCH back (`before`), and the values our edit left
    (`after`, the same fields as the server answered them), which an undo checks the server
    still holds. Checked by value, so undoing the newest edit of a campaign leaves it as the
    edit before it left it, and that one's check then passes with nothing rewritten.
    Compared by identity: two edits with the same values are still two entries."""

    campaign_id: str
    before: dict[str, Any]
    after: dict[str, Any]

    __eq__ = object.__eq__
    __hash__ = object.__hash__


class UndoLog:
    """Edits oldest first; undo takes a campaign's newest (so repeated undos walk back)."""

    def __init__(self) -> None:
        self._entries: list[UndoEntry] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[UndoEntry]:
        return iter(self._entries)

    def __contains__(self, entry: object) -> bool:
        return any(kept is entry for kept in self._entries)

    def record(self, entry: UndoEntry) -> None:
        self._entries.append(entry)

    def last(self, campaign_id: str) -> UndoEntry | None:
        return next((e for e in reversed(self._entries) if e.campaign_id == campaign_id), None)

    def remove(self, entry: UndoEntry) -> None:
        self._entries = [kept for kept in self._entries if kept is not entry]

    def undone(self, entry: UndoEntry) -> None:
        """`entry` was put back: the campaign's previous edit here is next (its own check, by
        value, says whether anyone wrote in between)."""
        self.remove(entry)

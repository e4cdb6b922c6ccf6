"""The last loaded list, kept on disk so the next start can draw rows at once.

One file per API base URL and key, named by a hash of both (the key itself is never written),
in the user's cache directory, created 0600 and replaced atomically. JSON lines: a header, then
one campaign per line in the server's order, so the first screenful is read (and drawn) without
reading 100,000 campaigns first. A file that is missing, of another version or for another
workspace is not used; reading stops at the first line that is not a campaign.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from skipup_campaigns.paths import cache_dir

VERSION = 2
FIRST_CHUNK = 200
"""Campaigns read before the first rows are drawn: more than a screenful."""

_TEXT = ("id", "name", "slug", "team_id", "team_name")
_OPTIONAL_TEXT = ("description", "email_address")
_COUNTS = ("meeting_request_count", "meetings_booked_count")
_MOMENTS = ("starts_at", "ends_at", "deactivated_at")


def _campaign(item: dict[str, Any]) -> SimpleNamespace:
    """One cached campaign, checked field by field (anything odd: the whole cache is unused)."""
    values: dict[str, Any] = {}
    for key in _TEXT:
        if not isinstance(item[key], str):
            raise ValueError(key)
        values[key] = item[key]
    for key in _OPTIONAL_TEXT:
        if item[key] is not None and not isinstance(item[key], str):
            raise ValueError(key)
        values[key] = item[key]
    for key in _COUNTS:
        if not isinstance(item[key], int) or isinstance(item[key], bool):
            raise ValueError(key)
        values[key] = item[key]
    if not isinstance(item["active"], bool) or not isinstance(item["booking_rate"], (int, float)):
        raise ValueError("active/booking_rate")
    values["active"], values["booking_rate"] = item["active"], float(item["booking_rate"])
    for key in (*_MOMENTS, "created_at", "updated_at"):
        text = item[key]
        if text is None and key in _MOMENTS:
            values[key] = None
            continue
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(key)
        values[key] = moment.astimezone(timezone.utc)
    return SimpleNamespace(**values)


class ListCache:
    """The cached list of one workspace as seen through one base URL."""

    def __init__(self, base_url: str, api_key: str, directory: Path | None = None) -> None:
        digest = hashlib.sha256(f"{base_url}\0{api_key}".encode()).hexdigest()[:32]
        self.identity = digest
        self.path = (directory or cache_dir()) / f"list-{digest}.json"

    def open(self) -> CacheReader | None:
        """A reader positioned after a valid header, or None if there is nothing usable."""
        try:
            handle = self.path.open("rb")
        except OSError:
            return None
        try:
            header = json.loads(handle.readline())
            if header.get("version") != VERSION or header.get("identity") != self.identity:
                raise ValueError("another version or workspace")
            saved_at = datetime.fromisoformat(header["saved_at"])
        except Exception:  # noqa: BLE001 - any unreadable cache is no cache, never fatal
            handle.close()
            return None
        return CacheReader(handle, saved_at)

    def load(self) -> tuple[list[SimpleNamespace], datetime] | None:
        """Everything in one go (None if the file is unusable or any line is broken)."""
        reader = self.open()
        if reader is None:
            return None
        with reader:
            campaigns = reader.read(None)
            if reader.broken:
                return None
        return campaigns, reader.saved_at

    def save(self, campaigns: list[dict[str, Any]], saved_at: datetime | None = None) -> None:
        """Write campaigns (as the API sends them) atomically with 0600 permissions (best
        effort: a full disk is not an error)."""
        header = {"version": VERSION, "identity": self.identity,
                  "saved_at": (saved_at or datetime.now(timezone.utc)).isoformat()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".list-",
                                                 suffix=".tmp")
            try:
                os.fchmod(handle, 0o600)
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    for record in (header, *campaigns):
                        out.write(json.dumps(record, separators=(",", ":")) + "\n")
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass


class CacheReader:
    """Reads cached campaigns a chunk at a time (use as a context manager)."""

    def __init__(self, handle: Any, saved_at: datetime) -> None:
        self._handle = handle
        self.saved_at = saved_at
        self.broken = False
        """A line was not a campaign: reading stopped there."""

    def __enter__(self) -> CacheReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def read(self, count: int | None) -> list[SimpleNamespace]:
        """Up to `count` more campaigns (all of them for None); [] at the end."""
        out: list[SimpleNamespace] = []
        if self.broken:
            return out
        for line in self._handle:
            try:
                out.append(_campaign(json.loads(line)))
            except Exception:  # noqa: BLE001 - stop at the first broken line
                self.broken = True
                break
            if count is not None and len(out) >= count:
                break
        return out

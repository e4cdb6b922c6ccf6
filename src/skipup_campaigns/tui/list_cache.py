"""The last loaded list, kept on disk so the next start can draw rows at once.

One file per API base URL and key, named by a hash of both (the key itself is never written),
in the user's cache directory, created 0600 and replaced atomically. A file that is missing,
corrupt, of another version or for another workspace is simply not used.
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

VERSION = 1

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

    def load(self) -> tuple[list[SimpleNamespace], datetime] | None:
        """The cached campaigns (objects with a Campaign's attributes: enough for the list's
        rows, and read without pydantic so a warm start stays light) and when they were
        saved; None if there is nothing usable."""
        try:
            raw = json.loads(self.path.read_bytes())
            if raw.get("version") != VERSION or raw.get("identity") != self.identity:
                return None
            saved_at = datetime.fromisoformat(raw["saved_at"])
            campaigns = [_campaign(item) for item in raw["campaigns"]]
        except Exception:  # noqa: BLE001 - any unreadable cache is no cache, never fatal
            return None
        return campaigns, saved_at

    def save(self, campaigns: list[dict[str, Any]], saved_at: datetime | None = None) -> None:
        """Write campaigns (as the API sends them) atomically with 0600 permissions (best
        effort: a full disk is not an error)."""
        body: dict[str, Any] = {
            "version": VERSION, "identity": self.identity,
            "saved_at": (saved_at or datetime.now(timezone.utc)).isoformat(),
            "campaigns": campaigns,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".list-",
                                                 suffix=".tmp")
            try:
                os.fchmod(handle, 0o600)
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(body, out, separators=(",", ":"))
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            pass

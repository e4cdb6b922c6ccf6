"""The last loaded list, kept on disk so the next start can draw rows at once.

One file per API base URL and key, named by a keyed hash of both (HMAC under a random per-user
salt, so the name does not let anyone test a guessed key; the key itself is never written), in
the user's cache directory (0700), created 0600 and replaced atomically. JSON lines: a header,
then one campaign per line in the server's order, so the first screenful is read (and drawn)
without reading 100,000 campaigns first.

The file is distrusted like any input: it is opened without following a symlink or blocking on
a FIFO, and used only if it is a regular file of the user's that nobody else can read or write,
of at most MAX_BYTES. A file that is missing, unsafe, of another version or for another
workspace is not used; reading stops at the first line that is not a campaign.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from skipup_campaigns.number_limits import checked_count, checked_rate
from skipup_campaigns.paths import cache_dir
from skipup_campaigns.private_files import (
    ensure_private_dir,
    keyed_name,
    open_private_for_read,
    private_writer,
)
from skipup_campaigns.timestamps import as_utc

VERSION = 2
MAX_BYTES = 128 * 1024 * 1024
"""The largest cache read or written: about 200,000 campaigns. A bigger list is not cached."""
MAX_HEADER_BYTES = 4096
READ_AHEAD = 200
"""Campaigns a warm start reads before the UI is imported: the workspace's first chunk
(workspace.FIRST_CHUNK), more than a screenful."""

_TEXT = ("id", "name", "slug", "team_id", "team_name")
_OPTIONAL_TEXT = ("description", "email_address")
_COUNTS = ("meeting_request_count", "meetings_booked_count")
_MOMENTS = ("starts_at", "ends_at", "deactivated_at")


def _campaign(item: dict[str, Any]) -> SimpleNamespace:
    """One cached campaign, checked field by field as the client's models check it (anything
    odd: the whole cache, or the whole early page, is unused)."""
    values: dict[str, Any] = {}
    for key in _TEXT:
        if not isinstance(item[key], str):
            raise ValueError(key)
        values[key] = item[key]
    for key in _OPTIONAL_TEXT:
        if item[key] is not None and not isinstance(item[key], str):
            raise ValueError(key)
        values[key] = item[key]
    for key in _COUNTS:  # the client's limits: 0..2**53, a finite rate (json allows NaN)
        values[key] = checked_count(item[key])
    values["booking_rate"] = checked_rate(item["booking_rate"])
    if not isinstance(item["active"], bool):
        raise ValueError("active")
    values["active"] = item["active"]
    for key in (*_MOMENTS, "created_at", "updated_at"):
        text = item[key]
        if text is None and key in _MOMENTS:
            values[key] = None
            continue
        values[key] = as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    return SimpleNamespace(**values)


checked_campaign = _campaign
"""The same check for one campaign of the API's JSON read without the client (early_page)."""


class ListCache:
    """The cached list of one workspace as seen through one base URL."""

    def __init__(self, base_url: str, api_key: str, directory: Path | None = None) -> None:
        try:
            self.identity: str | None = keyed_name(base_url, api_key)
        except OSError:  # no private salt can be kept: no cache, rather than a guessable name
            self.identity = None
        self.path = (directory or cache_dir()) / f"list-{self.identity or 'unavailable'}.json"
        self._ahead: _ReadAhead | None = None

    def read_ahead(self, count: int) -> None:
        """Open the file and read its first `count` campaigns in a thread, starting now: the
        UI's warm start asks for them before it imports the UI, so the list's first frame can
        hold them. `open` then gives that reader (its first `count` already read), and
        `ready` says whether it can without waiting."""
        self._ahead = _ReadAhead(self, count)

    def ready(self) -> bool:
        """Whether `open` (and the reader's first `count`) would return without waiting for
        the file: only after a `read_ahead` has finished."""
        return self._ahead is not None and self._ahead.done.is_set()

    def open(self) -> CacheReader | None:
        """A reader positioned after a valid header, or None if there is nothing usable."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead.done.wait()
            return ahead.reader
        return self._open()

    def _open(self) -> CacheReader | None:
        if self.identity is None:
            return None
        try:
            handle = open_private_for_read(self.path, MAX_BYTES)
        except OSError:
            return None
        try:
            header = json.loads(handle.readline(MAX_HEADER_BYTES))
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

    def save(self, campaigns: Iterable[dict[str, Any]], saved_at: datetime | None = None) -> None:
        """Write campaigns (as the API sends them) atomically with 0600 permissions (best
        effort: a full disk, or a list past MAX_BYTES, leaves no cache rather than an error)."""
        if self.identity is None:
            return
        header = {
            "version": VERSION,
            "identity": self.identity,
            "saved_at": (saved_at or datetime.now(timezone.utc)).isoformat(),
        }
        try:
            ensure_private_dir(self.path.parent)
            with private_writer(self.path) as out:
                written = 0
                for record in itertools.chain((header,), campaigns):
                    line = (json.dumps(record, separators=(",", ":")) + "\n").encode()
                    written += len(line)
                    if written > MAX_BYTES:
                        raise _TooBig
                    out.write(line)
        except _TooBig:
            with contextlib.suppress(OSError):  # an older, smaller list would mislead
                self.path.unlink(missing_ok=True)
        except OSError:
            pass


class _TooBig(Exception):
    """The list is larger than a cache may be."""


class _ReadAhead:
    """A cache opened, and its first campaigns read, in a thread of its own."""

    def __init__(self, cache: ListCache, count: int) -> None:
        self.reader: CacheReader | None = None
        self.done = threading.Event()
        threading.Thread(
            target=self._read, args=(cache, count), name="cache-read-ahead", daemon=True
        ).start()

    def _read(self, cache: ListCache, count: int) -> None:
        try:
            self.reader = cache._open()
            if self.reader is not None:
                self.reader.read_ahead(count)
        except Exception:  # noqa: BLE001 - an unreadable cache is no cache, never fatal
            if self.reader is not None:
                self.reader.close()
            self.reader = None
        finally:
            self.done.set()


class CacheReader:
    """Reads cached campaigns a chunk at a time (use as a context manager)."""

    def __init__(self, handle: Any, saved_at: datetime) -> None:
        self._handle = handle
        self._ahead: list[SimpleNamespace] = []
        """Campaigns read before they were asked for (`read_ahead`), given out first."""
        self.saved_at = saved_at
        self.broken = False
        """A line was not a campaign: reading stopped there."""

    def __enter__(self) -> CacheReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def read_ahead(self, count: int) -> None:
        """Read up to `count` campaigns now; `read` gives them first."""
        self._ahead = self.read(count)

    def read(self, count: int | None) -> list[SimpleNamespace]:
        """Up to `count` more campaigns (all of them for None); [] at the end."""
        out, self._ahead = self._ahead, []
        if count is not None and len(out) >= count:
            out, self._ahead = out[:count], out[count:]
            return out
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

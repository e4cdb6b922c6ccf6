"""Whether a key may write, remembered across sessions once a 403 has said it may not.

Scopes are learned from the server, never guessed: the first refusal (403, missing
`campaigns.write`) is written down, so the next session starts read-only at once and says since
when ("read-only (learned 14:05)") instead of offering `n`/`e`/`d` and refusing a whole typed
edit. A scope can be granted later, so the memory is only a starting point: `probe` asks the
server again without changing anything (a PATCH with an empty body for an id no campaign has:
a key without the scope is refused before the campaign is looked for, a key with it gets a 404
or 422), and forgets the refusal when it no longer holds.

One small file per API base URL and key, named by a keyed hash of both like the list cache
(the key is never written), in the user's cache directory, 0600. Any trouble reading or writing
it means "nothing remembered": the server's next answer decides.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from skipup_campaigns.paths import cache_dir
from skipup_campaigns.plain_record import FrozenRecord
from skipup_campaigns.private_files import (
    ensure_private_dir,
    keyed_name,
    open_private_for_read,
    write_private_atomically,
)
from skipup_campaigns.timestamps import as_utc

if TYPE_CHECKING:
    from skipup_campaigns.api.client import SkipUpClient

VERSION = 1
MAX_BYTES = 4096
PROBE_ID = "cmp_write_permission_probe"
"""An id no campaign has: the probe's PATCH can never change anything."""


class Refusal(FrozenRecord):
    """The key was refused campaigns.write at `learned_at` (UTC)."""

    learned_at: datetime


class WritePermissionMemory:
    """The remembered refusal for one key at one base URL."""

    def __init__(self, base_url: str, api_key: str, directory: Path | None = None) -> None:
        try:
            self.identity: str | None = keyed_name("write-permission", base_url, api_key)
        except OSError:  # no private salt: remember nothing rather than use a guessable name
            self.identity = None
        self.path = (directory or cache_dir()) / f"write-{self.identity or 'unavailable'}.json"

    def load(self) -> Refusal | None:
        """The refusal remembered for this key, if any (unreadable: none)."""
        if self.identity is None:
            return None
        try:
            with open_private_for_read(self.path, MAX_BYTES) as handle:
                record = json.loads(handle.read(MAX_BYTES))
            if (
                record.get("version") != VERSION
                or record.get("identity") != self.identity
                or record.get("write") is not False
            ):
                return None
            return Refusal(as_utc(datetime.fromisoformat(record["learned_at"])))
        except Exception:  # noqa: BLE001 - any unreadable memory is no memory, never fatal
            return None

    def remember_refused(self, learned_at: datetime) -> None:
        if self.identity is None:
            return
        record = {
            "version": VERSION,
            "identity": self.identity,
            "write": False,
            "learned_at": as_utc(learned_at).isoformat(),
        }
        with contextlib.suppress(OSError):
            ensure_private_dir(self.path.parent)
            write_private_atomically(self.path, json.dumps(record))

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)


async def probe_write(client: SkipUpClient) -> bool:
    """Ask the server whether the key may write, changing nothing: True (allowed), False
    (refused campaigns.write). Other failures (the network, a 5xx) are raised."""
    from skipup_campaigns.api.errors import (
        NotFoundError,
        PermissionDeniedError,
        UnprocessableEntityError,
    )

    try:
        await client.update_campaign(PROBE_ID)
    except PermissionDeniedError as exc:
        if exc.missing_scope in (None, "campaigns.write"):
            return False
        raise
    except (NotFoundError, UnprocessableEntityError):
        return True  # past the scope check: the key may write
    return True  # (a campaign with that id would have been "changed" by nothing)

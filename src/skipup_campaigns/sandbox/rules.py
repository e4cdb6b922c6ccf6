"""The business rules of the SkipUp API that do not need the database.

Slugs, booking rates, timestamps and ids, as the reference (`skipup-api.md`) states or chooses
them. Pure functions, so they are tested directly.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

NAME_MAX = 200
DESCRIPTION_MAX = 5000

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# ASCII digits only (`\d` alone would take any script's digits).
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)$",
    re.ASCII,
)
_WIRE_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", re.ASCII)


class TimestampOutOfRange(ValueError):
    """A well-formed date-time that leaves years 1–9999 once converted to UTC."""


def slugify(name: str) -> str:
    """Lower-case words joined by hyphens, accents folded to ASCII, other characters dropped."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    kept = re.sub(r"[^a-z0-9\s-]", "", folded.lower())
    words = [w for w in re.split(r"[\s-]+", kept) if w]
    return "-".join(words) or "campaign"


def unique_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, … whichever is free first."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def booking_rate(requests: int, booked: int) -> float:
    """booked / requests × 100, rounded half up to one decimal; 0.0 with no requests."""
    if requests <= 0:
        return 0.0
    rate = (Decimal(booked) * 100 / Decimal(requests)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(rate)


def format_timestamp(moment: datetime) -> str:
    """The one wire form: UTC, whole seconds, `Z` suffix."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def parse_timestamp(text: str) -> datetime | None:
    """A full ISO 8601 date-time with `Z` or an offset, in UTC; None for anything else.

    Raises TimestampOutOfRange when the offset pushes it out of years 1–9999
    (`0001-01-01T00:00:00+01:00`), which Python's datetime cannot hold."""
    if not _TIMESTAMP.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    try:
        return moment.astimezone(timezone.utc).replace(microsecond=0)
    except OverflowError:
        raise TimestampOutOfRange(text) from None


def is_wire_timestamp(text: str) -> bool:
    """Exactly the form `format_timestamp` writes (what a cursor we issued holds)."""
    return bool(_WIRE_TIMESTAMP.match(text))


def new_id(prefix: str, moment: datetime, rng: random.Random) -> str:
    """A ULID-shaped id (48-bit milliseconds, 80 random bits) behind a type prefix."""
    value = (int(moment.timestamp() * 1000) << 80) | rng.getrandbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return prefix + "".join(reversed(chars))

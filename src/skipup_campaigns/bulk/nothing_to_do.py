"""When a change needs no request: the one rule that the bulk engine (its preview and its run),
the checked write, the commands and the UI's single deactivation all ask. "Already deactivated"
and "already as asked" are decided here and nowhere else (tests/bulk/test_one_rule.py).

Pure: no pydantic, no httpx, so a screen may ask it of a loaded row at any time.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

ALREADY_DEACTIVATED = "already deactivated"
ALREADY_AS_ASKED = "already as asked"
REASONS = frozenset({ALREADY_DEACTIVATED, ALREADY_AS_ASKED})
"""Why a campaign was skipped as already done: done, as far as marks, retries and exit codes
go (a campaign skipped for another reason, a change since it was loaded, is not)."""


class Deactivatable(Protocol):
    """A campaign as read (an API model) or as loaded (a list row)."""

    @property
    def deactivated_at(self) -> datetime | float | None: ...


def deactivation(campaign: Deactivatable) -> str | None:
    """`ALREADY_DEACTIVATED` when `campaign`, as read, is deactivated; None when deactivating it
    would do something. SkipUp has no way back, so a campaign once seen deactivated stays so
    (no need to look again). An ended campaign is inactive but not deactivated: it still can be."""
    return ALREADY_DEACTIVATED if campaign.deactivated_at is not None else None


def edit(campaign: Any, values: Mapping[str, Any]) -> str | None:
    """`ALREADY_AS_ASKED` when `campaign` already holds every value of `values` (compared as
    the server stores them); None when a PATCH would change something."""
    return None if differing(campaign, values) else ALREADY_AS_ASKED


def done_already(reason: str | None) -> bool:
    """Whether a skipped campaign's `reason` says it already is as asked."""
    return reason in REASONS


def same_value(name: str, held: Any, ours: Any) -> bool:
    """Whether the server's value of a field is ours as the server stores it: a name trimmed,
    a time to the whole second (what `to_wire` sends)."""
    if isinstance(held, datetime) and isinstance(ours, datetime):
        return held.replace(microsecond=0) == ours.replace(microsecond=0)
    if name == "name" and isinstance(ours, str):
        return bool(held == ours.strip())
    return bool(held == ours)


def differing(campaign: Any, values: Mapping[str, Any]) -> list[str]:
    """The fields of `values` the campaign does not hold (by value, never by `updated_at`)."""
    return [
        name
        for name, value in values.items()
        if not same_value(name, getattr(campaign, name), value)
    ]

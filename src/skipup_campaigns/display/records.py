"""A campaign as a record for files and scripts: the API's fields and the status the UI shows.

Shared by `list --csv/--json` (scripting/) and the UI's export (display/export.py), so both
write the same fields in the same order.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from skipup_campaigns.workspace.fields import CAMPAIGN_FIELDS

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign

# The API's fields, with the status the UI shows (derived, never sent) after `active`.
_AFTER_ACTIVE = CAMPAIGN_FIELDS.index("active") + 1
FIELDS = (*CAMPAIGN_FIELDS[:_AFTER_ACTIVE], "status", *CAMPAIGN_FIELDS[_AFTER_ACTIVE:])


def now() -> datetime:
    return datetime.now(timezone.utc)


def status_of(campaign: Campaign, at: datetime) -> str:
    """The UI's words: active, scheduled, ended or deactivated."""
    from skipup_campaigns.display.dates import campaign_status

    return campaign_status(
        deactivated_at=campaign.deactivated_at,
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        now=at,
    )


def record(campaign: Campaign, at: datetime | None = None) -> dict[str, Any]:
    """The API's fields and `status` (as of `at`, default now)."""
    fields = campaign.model_dump(mode="json")
    fields["status"] = status_of(campaign, at or now())
    return fields

"""A campaign as the commands print it: the API's fields and the status the UI shows."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign


def now() -> datetime:
    return datetime.now(timezone.utc)


def status_of(campaign: Campaign, at: datetime) -> str:
    """The UI's words: active, scheduled, ended or deactivated."""
    from skipup_campaigns.display.dates import campaign_status

    return campaign_status(deactivated_at=campaign.deactivated_at,
                           starts_at=campaign.starts_at, ends_at=campaign.ends_at, now=at)


def record(campaign: Campaign, at: datetime | None = None) -> dict[str, Any]:
    """The API's fields and `status` (as of `at`, default now)."""
    fields = campaign.model_dump(mode="json")
    fields["status"] = status_of(campaign, at or now())
    return fields

"""Campaigns built in memory for tests of pure logic (no server): a fixed moment and a factory."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from skipup_campaigns.api.models import Campaign

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)


def campaign(n: int, **fields: object) -> Campaign:
    """Campaign `n`: odd ones in Sales, even ones in Partnerships; `fields` override."""
    data = {
        "id": f"cmp_{n}",
        "name": f"Campaign {n}",
        "slug": f"campaign-{n}",
        "team_id": "tm_1",
        "team_name": "Sales" if n % 2 else "Partnerships",
        "active": True,
        "meeting_request_count": n * 10,
        "meetings_booked_count": n,
        "booking_rate": 10.0,
        "created_at": NOW - timedelta(days=n),
        "updated_at": NOW - timedelta(days=n),
    }
    data.update(fields)
    return Campaign.model_validate(data)

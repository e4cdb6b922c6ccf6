"""Campaigns as a previous run's list cache holds them (wire dicts, no HTTP stack needed)."""

from __future__ import annotations

from typing import Any


def cached_campaigns(count: int = 50) -> list[dict[str, Any]]:
    """`count` plain active campaigns of one team, stamped at one moment."""
    moment = "2026-06-01T09:00:00Z"
    return [
        {
            "id": f"cmp_{n:04d}",
            "name": f"Cached {n}",
            "slug": f"cached-{n}",
            "description": None,
            "email_address": None,
            "team_id": "tm_1",
            "team_name": "Sales",
            "active": True,
            "starts_at": None,
            "ends_at": None,
            "deactivated_at": None,
            "meeting_request_count": n,
            "meetings_booked_count": 0,
            "booking_rate": 0.0,
            "created_at": moment,
            "updated_at": moment,
        }
        for n in range(count)
    ]

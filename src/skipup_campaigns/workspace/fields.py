"""A campaign's fields as the API sends them, named once: the list's rows, the cached list,
the commands' output and the tests read them from here, so a field added to the API is added
in one place (tests/workspace/test_fields.py checks the others agree)."""

from __future__ import annotations

TEXT_FIELDS = ("id", "name", "slug", "team_id", "team_name")
OPTIONAL_TEXT_FIELDS = ("description", "email_address")
COUNT_FIELDS = ("meeting_request_count", "meetings_booked_count")
OPTIONAL_MOMENT_FIELDS = ("starts_at", "ends_at", "deactivated_at")
MOMENT_FIELDS = ("created_at", "updated_at")

CAMPAIGN_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "slug",
    "description",
    "email_address",
    "team_id",
    "team_name",
    "active",
    "starts_at",
    "ends_at",
    "deactivated_at",
    "meeting_request_count",
    "meetings_booked_count",
    "booking_rate",
    "created_at",
    "updated_at",
)
"""Every field, in the API's order (the order `list --json` and `--csv` print)."""

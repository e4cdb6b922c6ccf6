"""The bulk edit form's logic and the preview's text, without Textual."""

from __future__ import annotations

from datetime import datetime, timezone

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.bulk.engine import UNCHANGED, BulkEdit, Deactivation, Progress, plan, preview
from skipup_campaigns.bulk.form import BulkChoices, bulk_edit_of, check_bulk, describe_change
from skipup_campaigns.tui.bulk_screens import estimate_text, preview_text
from tests.hostile import HOSTILE_NAMES

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)


def campaign(name: str, n: int = 0) -> Campaign:
    return Campaign.model_validate(
        {
            "id": f"cmp_{n:04d}",
            "name": name,
            "slug": f"c-{n}",
            "description": "old",
            "email_address": None,
            "team_id": "tm_1",
            "team_name": "Sales",
            "active": True,
            "starts_at": None,
            "ends_at": "2026-07-01T17:00:00Z",
            "meeting_request_count": 0,
            "meetings_booked_count": 0,
            "booking_rate": 0.0,
            "created_at": NOW,
            "updated_at": NOW,
        }
    )


def test_every_field_unchanged_is_refused_and_sends_nothing() -> None:
    checked = check_bulk(BulkChoices())
    assert not checked.ok and checked.values == {} and "unchanged" in checked.errors[""]


def test_set_and_clear_read_dates_as_the_single_form_does() -> None:
    checked = check_bulk(
        BulkChoices(ends="set", ends_text="2027-07-15", starts="clear", description="clear")
    )
    assert checked.ok
    assert checked.values == {
        "ends_at": datetime(2027, 7, 15, 23, 59, 59, tzinfo=timezone.utc),
        "starts_at": None,
        "description": None,
    }
    edit = bulk_edit_of(checked)
    assert edit.team_id is UNCHANGED and edit.ends_at == checked.values["ends_at"]
    assert describe_change(edit) == "clear the start date, set the end date, clear the description"


def test_what_cannot_be_sent_is_named_per_field() -> None:
    checked = check_bulk(
        BulkChoices(
            starts="set",
            starts_text="2027-08-01",
            ends="set",
            ends_text="2027-07-01",
            team="set",
            description="set",
            description_text="  ",
        )
    )
    assert set(checked.errors) == {"ends_at", "team_id", "description"}
    assert (
        check_bulk(BulkChoices(ends="set", ends_text="tomorrow"))
        .errors["ends_at"]
        .startswith("not a date")
    )
    assert check_bulk(BulkChoices(ends="set")).errors["ends_at"] == "type a date, or choose clear"


def test_typing_text_for_an_unchanged_field_sends_nothing_for_it() -> None:
    checked = check_bulk(
        BulkChoices(
            starts="unchanged", starts_text="2027-01-01", ends="set", ends_text="2027-07-15"
        )
    )
    assert list(checked.values) == ["ends_at"]


def test_the_preview_shows_before_and_after_with_server_text_made_safe() -> None:
    targets = plan(
        [campaign(name, n) for n, name in enumerate(HOSTILE_NAMES)],
        BulkEdit(ends_at=datetime(2027, 7, 15, 23, 59, tzinfo=timezone.utc)),
    )
    text = preview_text(preview(targets)).plain
    assert "End: 2026-07-01 17:00 UTC → 2027-07-15 23:59 UTC" in text
    assert not any(c in text for c in "\x1b\x9b\x9d\x07\x00\u202e\u2066")
    deactivation = preview_text(preview(plan([campaign("A")], Deactivation()), NOW)).plain
    assert "Status: active → deactivated" in deactivation


def test_a_deactivation_preview_starts_from_the_status_the_list_shows() -> None:
    scheduled = campaign("Later").model_copy(
        update={
            "starts_at": datetime(2026, 9, 1, tzinfo=timezone.utc),
            "ends_at": datetime(2026, 10, 1, tzinfo=timezone.utc),
        }
    )
    ended = campaign("Done", 1)  # ended 2026-07-01
    text = preview_text(preview(plan([scheduled], Deactivation()), NOW)).plain
    assert "Status: scheduled → deactivated" in text
    later = datetime(2026, 8, 1, tzinfo=timezone.utc)
    assert (
        "Status: ended → deactivated"
        in preview_text(preview(plan([ended], Deactivation()), later)).plain
    )


def test_a_long_preview_lists_the_first_campaigns_and_counts_the_rest() -> None:
    targets = plan([campaign(f"C{n}", n) for n in range(40)], Deactivation())
    text = preview_text(preview(targets), limit=10).plain
    assert text.count("→ deactivated") == 10 and "… and 30 more" in text


def test_the_estimate_reads_as_a_count_and_a_time() -> None:
    assert estimate_text(Progress(17, 40, 30.2)) == "17 of 40 · about 30 s left"
    assert estimate_text(Progress(2, 400, 600)) == "2 of 400 · about 10 min left"
    assert estimate_text(Progress(40, 40, 0)) == "40 of 40 · finishing"


def test_the_estimate_survives_an_endless_or_absurd_wait() -> None:
    # A server's rate-limit reset far away (or "inf") must not break the progress dialog.
    for seconds in (float("inf"), float("nan"), 1e300, 10**400):
        text = estimate_text(Progress(3, 40, seconds))
        assert text == "3 of 40 · waiting for the rate limit", (seconds, text)
    assert estimate_text(Progress(3, 40, 3 * 3600)) == "3 of 40 · about 3 h left"
    assert estimate_text(Progress(3, 40, 100 * 60)) == "3 of 40 · about 100 min left"


def test_a_description_longer_than_the_single_form_allows_is_refused() -> None:
    from skipup_campaigns.display.campaign_form import DESCRIPTION_MAX

    checked = check_bulk(
        BulkChoices(description="set", description_text="x" * (DESCRIPTION_MAX + 1))
    )
    assert not checked.ok and "description" not in checked.values
    assert checked.errors["description"] == (
        f"at most {DESCRIPTION_MAX:,} characters ({DESCRIPTION_MAX + 1:,} now)"
    )
    exactly = check_bulk(BulkChoices(description="set", description_text="x" * DESCRIPTION_MAX))
    assert exactly.ok


def test_the_preview_and_the_form_use_the_display_zone() -> None:
    from zoneinfo import ZoneInfo

    from skipup_campaigns.display.dates import DisplayZone

    new_york = DisplayZone(ZoneInfo("America/New_York"))
    checked = check_bulk(BulkChoices(ends="set", ends_text="2027-07-15 9:30"), new_york)
    assert checked.values == {"ends_at": datetime(2027, 7, 15, 13, 30, tzinfo=timezone.utc)}
    targets = plan([campaign("A")], BulkEdit(ends_at=checked.values["ends_at"]))
    text = preview_text(preview(targets), zone=new_york).plain
    assert "End: 2026-07-01 13:00 EDT → 2027-07-15 09:30 EDT" in text

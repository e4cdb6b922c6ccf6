"""The edit form's logic without Textual: values read per field with errors per field, and
only the fields the user touched sent or kept over a conflict."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.campaign_data import NOW, campaign


def test_form_check_reads_values_and_reports_per_field() -> None:
    from skipup_campaigns.display.campaign_form import FormText, check

    good = check(
        FormText(
            name="  NAA  ", description="", team_id="tm_1", starts="2026-06-01", ends="2026-06-30"
        )
    )
    assert good.ok and good.values["name"] == "NAA" and good.values["description"] is None
    assert good.values["ends_at"] == datetime(2026, 6, 30, 23, 59, 59, tzinfo=timezone.utc)
    bad = check(
        FormText(name=" ", description="d" * 5001, team_id="", starts="x", ends="2026-06-01")
    )
    assert set(bad.errors) == {"name", "description", "team_id", "starts_at"}
    order = check(FormText(name="n", team_id="t", starts="2026-06-02", ends="2026-06-01"))
    assert order.errors == {"ends_at": "the end must be after the start"}


def test_only_touched_fields_are_sent_and_merges_keep_mine() -> None:
    from skipup_campaigns.display.campaign_form import (
        FormText,
        changed_fields,
        check,
        merged,
        touched,
    )

    original = campaign(1, description="old", starts_at=NOW)
    start = FormText.of(original)
    now = start.with_(name="Renamed")
    mine = touched(start, now)
    assert mine == {"name"}
    assert changed_fields(original, check(now).values, only=mine) == {"name": "Renamed"}
    theirs = campaign(1, description="theirs", name="Their name")
    assert merged(theirs, now, keep=mine) == FormText.of(theirs).with_(name="Renamed")

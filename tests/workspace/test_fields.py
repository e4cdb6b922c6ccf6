"""One list of a campaign's fields: the model, the row, the cache and the commands agree."""

from __future__ import annotations

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.scripting import output
from skipup_campaigns.startup import list_cache
from skipup_campaigns.workspace import fields
from skipup_campaigns.workspace.collection import CampaignCollection


def test_the_model_has_exactly_these_fields_in_this_order() -> None:
    assert tuple(Campaign.model_fields) == fields.CAMPAIGN_FIELDS


def test_the_groups_cover_every_field_once() -> None:
    grouped = (
        fields.TEXT_FIELDS
        + fields.OPTIONAL_TEXT_FIELDS
        + fields.COUNT_FIELDS
        + fields.OPTIONAL_MOMENT_FIELDS
        + fields.MOMENT_FIELDS
        + ("active", "booking_rate")
    )
    assert sorted(grouped) == sorted(fields.CAMPAIGN_FIELDS)


def test_the_cache_checks_the_same_groups() -> None:
    # (the cache's validator keeps its own names for now: this keeps them in step)
    assert list_cache._TEXT == fields.TEXT_FIELDS
    assert list_cache._OPTIONAL_TEXT == fields.OPTIONAL_TEXT_FIELDS
    assert list_cache._COUNTS == fields.COUNT_FIELDS
    assert list_cache._MOMENTS == fields.OPTIONAL_MOMENT_FIELDS


def test_a_row_gives_back_every_field(store) -> None:  # noqa: ANN001 - the sandbox's Store
    from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE

    wire = store.list_campaigns(MAIN_WORKSPACE, active=None, limit=1, cursor=None)[0][0]
    collection = CampaignCollection()
    collection.merge([Campaign.model_validate(wire)])
    row = collection.rows()[0]
    assert tuple(row.wire()) == fields.CAMPAIGN_FIELDS
    assert row.wire() == {key: wire[key] for key in fields.CAMPAIGN_FIELDS}
    assert row.campaign == Campaign.model_validate(wire)


def test_the_commands_print_these_fields() -> None:
    # Every API field in the API's order, plus the status the UI shows (derived, never sent).
    assert tuple(f for f in output.FIELDS if f != "status") == fields.CAMPAIGN_FIELDS
    assert "status" in output.FIELDS

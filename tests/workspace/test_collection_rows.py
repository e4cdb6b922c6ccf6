"""The collection on small cases: a keyed merge in place, views filtered, toggled and sorted,
an incremental filter equal to a fresh one, totals, rows that give back their campaign, a
load's pass, and what rows share."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from skipup_campaigns.workspace.collection import CampaignCollection, ViewSpec, spec_for
from tests.campaign_data import NOW, campaign

ANY = {"active_only": False, "sort": "created", "reverse": False, "now": NOW}


def test_merge_updates_in_place_and_retain_drops() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(1), campaign(2), campaign(3)], NOW)
    collection.merge([campaign(2, name="Renamed")], NOW)
    assert len(collection) == 3 and collection.get("cmp_2").name == "Renamed"
    assert collection.get("cmp_2").arrival == 1  # kept its place in the server's order
    collection.retain({"cmp_1", "cmp_2"})
    assert "cmp_3" not in collection and len(collection) == 2


def test_view_filters_toggles_and_sorts() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n, active=n != 4, name=f"Item {10 - n}") for n in range(1, 7)], NOW)
    ids = lambda spec: [r.id for r in collection.view(spec)]  # noqa: E731
    assert ids(ViewSpec()) == ["cmp_1", "cmp_2", "cmp_3", "cmp_5", "cmp_6"]
    assert len(ids(ViewSpec(active_only=False))) == 6
    assert ids(spec_for("team:part", active_only=False, sort="created", reverse=False)) == [
        "cmp_2",
        "cmp_4",
        "cmp_6",
    ]
    assert ids(spec_for("", active_only=True, sort="name", reverse=False))[0] == "cmp_6"
    assert ids(spec_for("", active_only=True, sort="requests", reverse=False))[0] == "cmp_6"
    assert ids(spec_for("", active_only=True, sort="requests", reverse=True))[0] == "cmp_1"


def test_incremental_filter_gives_the_same_answer_as_a_full_one() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 300)], NOW)
    typed = ""
    for ch in "campaign 1":
        typed += ch
        spec = spec_for(typed, active_only=True, sort="created", reverse=False)
        incremental = [r.id for r in collection.view(spec)]
        fresh = CampaignCollection()
        fresh.merge([campaign(n) for n in range(1, 300)], NOW)
        assert incremental == [r.id for r in fresh.view(spec)]
    # Deleting a character widens again.
    wider = spec_for("campaign", active_only=True, sort="created", reverse=False)
    assert len(collection.view(wider)) == 299


def test_totals() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(1), campaign(2)], NOW)
    totals = collection.totals(collection.view(ViewSpec()))
    assert (totals.campaigns, totals.requests, totals.booked, totals.rate) == (2, 30, 3, 10.0)


def test_a_row_gives_back_the_campaign_it_was_built_from() -> None:
    from skipup_campaigns.api.models import Campaign

    original = campaign(
        7,
        description="d",
        email_address="x@skipup.co",
        starts_at=NOW,
        ends_at=NOW + timedelta(days=3),
        deactivated_at=NOW,
    )
    collection = CampaignCollection()
    collection.merge([original], NOW)
    row = collection.get("cmp_7")
    assert row.campaign == original
    assert Campaign.model_validate(row.wire()) == original
    assert (row.starts, row.ends, row.created) == ("2026-06-15", "2026-06-18", "2026-06-08")


def test_rows_share_one_copy_of_repeated_team_names() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 5)], NOW)
    first, third = collection.get("cmp_1"), collection.get("cmp_3")
    assert first.raw_team == third.raw_team and first.raw_team is third.raw_team


def test_a_pass_drops_what_its_pages_did_not_bring() -> None:
    """A whole-list read (the load) keeps the ids not brought yet, not those brought; a
    campaign merged otherwise meanwhile (an edit's answer) still needs a page to bring it."""
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 5)], NOW)
    token = collection.begin_pass()
    collection.merge([campaign(1), campaign(2, name="Renamed")], NOW, passing=True)
    collection.merge([campaign(9)], NOW)  # not a page of the pass
    collection.merge([campaign(5)], NOW, passing=True)
    assert collection.passed == 3
    collection.end_pass(token, complete=True)
    assert sorted(row.id for row in collection.rows()) == ["cmp_1", "cmp_2", "cmp_5"]
    assert collection.get("cmp_2").name == "Renamed"
    assert collection.view(ViewSpec()) == collection.rows()


def test_an_unfinished_pass_drops_nothing() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 4)], NOW)
    token = collection.begin_pass()
    collection.merge([campaign(1)], NOW, passing=True)
    assert collection.passed == 1
    collection.end_pass(token, complete=False)
    assert len(collection) == 3


def test_an_older_pass_ending_leaves_the_newer_one_open() -> None:
    """A cancelled load's clean-up after the next load began: the newer pass still drops
    what its own pages did not bring."""
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 4)], NOW)
    older = collection.begin_pass()
    newer = collection.begin_pass()
    collection.end_pass(older, complete=False)
    collection.merge([campaign(1), campaign(2)], NOW, passing=True)
    assert collection.passed == 2
    collection.end_pass(newer, complete=True)
    assert sorted(row.id for row in collection.rows()) == ["cmp_1", "cmp_2"]


@pytest.mark.parametrize("description", [None, "", "A Description"])
@pytest.mark.parametrize("email", [None, "", "Campaign-7@SkipUp.co", "x@skipup.co"])
def test_a_row_keeps_slug_description_and_email_apart(
    description: str | None, email: str | None
) -> None:
    """The three are kept end to end in one string: each comes back as sent (None is not
    ""), and the filter finds each, a slug the address holds included."""
    original = campaign(7, description=description, email_address=email)
    collection = CampaignCollection()
    collection.merge([original], NOW)
    row = collection.get("cmp_7")
    assert (row.slug, row.description, row.email_address) == ("campaign-7", description, email)
    assert row.campaign == original
    found = lambda text: [r.id for r in collection.view(spec_for(text, **ANY))]  # noqa: E731
    for text in ("campaign-7", "slug:campaign-7", "gn-7", "campaign 7"):
        assert found(text) == ["cmp_7"], text
    if description:
        assert found("description") == ["cmp_7"]
    if email:
        assert found(email.casefold()) == ["cmp_7"] == found(f"email:{email[:3]}")
    assert found("campaign-7a") == found("7campaign") == found("7sales") == []


def test_rows_share_one_copy_of_a_rate_and_of_an_unedited_moment() -> None:
    collection = CampaignCollection()
    collection.merge(
        [campaign(1), campaign(2), campaign(3, booking_rate=-0.0), campaign(4, booking_rate=0.0)],
        NOW,
    )
    collection.merge([campaign(5, booking_rate=-0.0), campaign(6, updated_at=NOW)], NOW)
    rows = [collection.get(f"cmp_{n}") for n in range(1, 7)]
    assert rows[0].rate is rows[1].rate
    assert [math.copysign(1, row.rate) for row in rows[2:5]] == [-1, 1, -1]
    assert rows[0].updated_at is rows[0].created_at
    assert rows[5].updated_at == NOW.timestamp() != rows[5].created_at


def test_rows_keep_the_servers_order_across_runs_of_arrivals() -> None:
    """A row's place in the server's order is kept in two shared parts (a run of 256 and a
    step in it): across runs, and across merges of any size, it still counts up."""
    from skipup_campaigns.workspace.marks import Marks, marked_rows

    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(1, 301)], NOW)
    collection.merge([campaign(n) for n in range(301, 601)], NOW)
    assert [row.arrival for row in collection.rows()] == list(range(600))
    marks = Marks(lambda _event: None)
    marks.mark(["cmp_590", "cmp_3", "cmp_257", "cmp_256"])
    assert [row.id for row in marked_rows(marks, collection)] == [
        "cmp_3",
        "cmp_256",
        "cmp_257",
        "cmp_590",
    ]


def test_a_rows_name_is_kept_as_received_and_folded_for_its_sort() -> None:
    collection = CampaignCollection()
    collection.merge([campaign(1, name="plain name"), campaign(2, name="Capital")], NOW)
    plain, capital = collection.get("cmp_1"), collection.get("cmp_2")
    assert plain.name_key == plain.name == plain.raw_name == "plain name"
    assert capital.name_key == "capital" and capital.name == capital.raw_name == "Capital"


NAMES = ["Alpha", "alpha", "ALPHA", "Al", "Alpha beta", "al", "", "Ärger", "Straße", "STRASSE", "b"]
"""Equal folded names, a name that is another's start, an empty one, folds that change."""


def by_name_from_scratch(collection: CampaignCollection) -> list[str]:
    """The name sort as promised: folded names, equal ones in the server's order."""
    return [row.id for row in sorted(collection.rows(), key=lambda row: row.raw_name.casefold())]


def test_the_name_sort_is_the_folded_name_then_the_servers_order_across_runs() -> None:
    """The search text is the name sort's key (the folded name, then the row's place in
    whitespace digits): equal names keep the server's order, a shorter name comes first,
    across runs whose places are written with more digits (run 9 is the first of two)."""
    collection = CampaignCollection()
    by_name = spec_for("", **{**ANY, "sort": "name"})
    assert collection.view(by_name) == []  # kept from here on, rows put in page by page
    count = 9 * 256 + 300
    for first in range(1, count, 250):
        page = range(first, min(first + 250, count))
        collection.merge([campaign(n, name=NAMES[n * 7 % len(NAMES)]) for n in page], NOW)
        assert [row.id for row in collection.view(by_name)] == by_name_from_scratch(collection)
    fresh = CampaignCollection()
    fresh.merge([row.campaign for row in collection.rows()], NOW)
    assert [row.id for row in fresh.view(by_name)] == by_name_from_scratch(collection)


def test_a_name_with_a_control_character_keeps_the_name_sort_exact() -> None:
    """A name holding a character below a space (which the search text cannot order) sorts
    by the name itself while such a row is loaded; the same order either way."""
    collection = CampaignCollection()
    collection.merge([campaign(n, name=NAMES[n % len(NAMES)]) for n in range(1, 40)], NOW)
    by_name = spec_for("", **{**ANY, "sort": "name"})
    collection.view(by_name)
    odd = ["Alpha\x01", "Al\tpha", "alpha\x00", "Al\x1f"]
    collection.merge([campaign(40 + n, name=name) for n, name in enumerate(odd)], NOW)
    assert [row.id for row in collection.view(by_name)] == by_name_from_scratch(collection)
    assert [collection.get(f"cmp_{40 + n}").name_key for n in range(4)] == [
        name.casefold() for name in odd
    ]
    collection.merge([campaign(40 + n, name="Alpha") for n in range(4)], NOW)  # renamed
    assert [row.id for row in collection.view(by_name)] == by_name_from_scratch(collection)
    collection.merge([campaign(50, name="Zeta\x02")], NOW)
    collection.retain({row.id for row in collection.rows()} - {"cmp_50"})
    assert [row.id for row in collection.view(by_name)] == by_name_from_scratch(collection)


def test_the_place_in_the_search_text_is_never_found_by_a_word() -> None:
    """Between the name and the rest, the place's digits are whitespace: the text's words
    are the name's, slug's, team's, description's and e-mail address's, nothing else."""
    collection = CampaignCollection()
    collection.merge([campaign(n, name=f"Webinar {n}") for n in range(1, 3000, 7)], NOW)
    for row in collection.rows():
        parts = [row.raw_name, row.slug, row.raw_team, row.description or "", row.email_address]
        words = " ".join(part or "" for part in parts).casefold().split()
        assert [word for word in row.haystack.split() if word not in words] == []
        assert row.name_key == row.raw_name.casefold()


@pytest.mark.parametrize("slug", ["campaign-7", "Campaign-7", "straße-7", "acme"])
@pytest.mark.parametrize(
    "email",
    [None, "", "campaign-7.acme@skipup.co", "Campaign-7@SkipUp.co", "STRASSE-7@x.co", "straße-7@x"],
)
@pytest.mark.parametrize("description", [None, "", "Ünïcode Straße"])
def test_every_layout_of_a_rows_text_gives_back_its_fields(
    slug: str, email: str | None, description: str | None
) -> None:
    """The slug and the address are read from the search text when it holds them as
    received (a lower-case address, a lower-case slug inside it), else from the row's own
    text: every mix comes back as sent, with its sort keys folded."""
    original = campaign(7, slug=slug, email_address=email, description=description)
    collection = CampaignCollection()
    collection.merge([original], NOW)
    row = collection.get("cmp_7")
    assert (row.slug, row.description, row.email_address) == (slug, description, email)
    assert (row.slug_key, row.email_key) == (slug.casefold(), (email or "").casefold())
    assert row.campaign == original and row.raw_name == "Campaign 7"


def test_a_kept_filter_sees_a_slug_change_the_search_text_does_not_show() -> None:
    """A slug inside the address is left out of the search text: a refresh that changes only
    the slug still brings a kept `slug:` result up to date."""
    email = "abc-1.xyz-1@skipup.co"
    collection = CampaignCollection()
    collection.merge([campaign(1, slug="abc-1", email_address=email), campaign(2)], NOW)
    by_slug = spec_for("slug:abc", **ANY)
    assert [row.id for row in collection.view(by_slug)] == ["cmp_1"]
    collection.merge([campaign(1, slug="xyz-1", email_address=email)], NOW)
    assert collection.view(by_slug) == []
    assert [row.id for row in collection.view(spec_for("slug:xyz", **ANY))] == ["cmp_1"]

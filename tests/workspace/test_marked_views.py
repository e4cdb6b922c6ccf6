"""The `marked` term and the title's marked count, made from the marks rather than a pass over
every row: the same rows, in the same order, as picking the marked out of the whole view."""

from __future__ import annotations

import pytest

from skipup_campaigns.plain_record import replace
from skipup_campaigns.workspace.collection import SORT_KEYS, CampaignCollection, spec_for
from tests.benchmarks.bench_list import NOW
from tests.benchmarks.bench_views import campaign

QUERIES = ("", "summit", "team:sales", "rate:<20", "requests:>=50 booked:>0", "status:active")


def loaded(count: int = 600) -> CampaignCollection:
    collection = CampaignCollection()
    collection.merge([campaign(n) for n in range(count)], NOW)
    # Equal sort keys from a second page, and a row changed in place after it arrived.
    collection.merge([campaign(n) for n in range(count, count + 50)], NOW)
    changed = campaign(7)
    changed.meeting_request_count = 3
    collection.merge([changed], NOW)
    return collection


@pytest.mark.parametrize("every", [97, 3])  # few marks (from the marks), many (a pass)
def test_a_marked_view_is_the_marked_rows_of_the_view_in_its_order(every: int) -> None:
    collection = loaded()
    marked = {row.id for row in collection.rows()[::every]}
    collection.marked = marked
    for text in QUERIES:
        for sort in SORT_KEYS:
            for reverse in (False, True):
                for active_only in (True, False):
                    spec = spec_for(
                        f"marked {text}",
                        active_only=active_only,
                        sort=sort,
                        reverse=reverse,
                        now=NOW,
                    )
                    whole = collection.view(replace(spec, query=replace(spec.query, marked=False)))
                    expected = [row for row in whole if row.id in marked]
                    assert collection.view(spec) == expected, (text, sort, reverse, active_only)
                    assert collection.count(spec) == len(expected)
                    assert collection.marked_count(spec) == len(expected)


def test_nothing_marked_is_nothing_shown() -> None:
    collection = loaded()
    spec = spec_for("marked", active_only=False, sort="name", reverse=False, now=NOW)
    assert collection.view(spec) == [] and collection.marked_count(spec) == 0

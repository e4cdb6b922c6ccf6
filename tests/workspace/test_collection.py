"""The collection's incremental views against a recomputation from scratch, and the cost of a
page counted in rows touched (never timed): a full load must stay linear."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from operator import attrgetter
from types import SimpleNamespace

import pytest

from skipup_campaigns.workspace.collection import (
    SORT_KEYS,
    CampaignCollection,
    Row,
    Totals,
    ViewSpec,
    spec_for,
)
from skipup_campaigns.workspace.filtering import matches

NOW = datetime(2026, 6, 15, 12, tzinfo=timezone.utc)
WORDS = ("spring", "summit", "webinar", "sales", "trial", "demo")
TEAMS = ("Sales", "Partnerships", "Customer Success")
TYPED = [
    "",
    "s",
    "su",
    "sum",
    "summ",
    "summi",
    "summit",
    "summit 1",
    "summit",
    "su",
    "",
    "team:sal",
    "team:sales",
    "status:act",
    "w",
    "we",
    "web",
    "webinar",
]
SORT_ATTRIBUTE = {
    "created": "created_key",
    "name": "name_key",
    "rate": "rate_key",
    "requests": "requests_key",
    "start": "start_key",
}


def campaign(n: int, rng: random.Random, *, created: datetime | None = None) -> SimpleNamespace:
    """A campaign as the collection reads it (any object with the API's fields)."""
    requests = rng.randrange(0, 50)
    booked = rng.randrange(0, requests + 1)
    starts = None if rng.random() < 0.3 else NOW + timedelta(days=rng.randrange(-30, 30))
    return SimpleNamespace(
        id=f"cmp_{n}",
        name=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
        slug=f"c-{n}",
        description=rng.choice([None, "summit notes", "plain"]),
        email_address=None,
        team_id="tm_1",
        team_name=rng.choice(TEAMS),
        active=rng.random() < 0.8,
        starts_at=starts,
        ends_at=None,
        deactivated_at=None,
        meeting_request_count=requests,
        meetings_booked_count=booked,
        booking_rate=round(booked * 100 / requests, 1) if requests else 0.0,
        created_at=created or NOW - timedelta(minutes=n),
        updated_at=NOW,
    )


def gained_key(baseline: dict[str, SimpleNamespace]):  # noqa: ANN201
    """The Δ sort as the list promises it: most requests gained first, then no baseline."""

    def key(row: Row) -> float:
        then = baseline.get(row.id)
        return float("inf") if then is None else then.requests - row.requests

    return key


def from_scratch(collection: CampaignCollection, spec: ViewSpec) -> list[Row]:
    """What the view must be: every row (in arrival order) sorted, reversed, filtered."""
    key = (
        gained_key(collection.baseline)
        if spec.sort == "gained"
        else attrgetter(SORT_ATTRIBUTE[spec.sort])
    )
    rows = sorted(collection.rows(), key=key)
    if spec.reverse:
        rows.reverse()
    return [
        row for row in rows if (row.active or not spec.active_only) and matches(row, spec.query)
    ]


def gained_from_scratch(collection: CampaignCollection, rows: list[Row]) -> tuple[int, int] | None:
    """The Δ total the summary must show: over the rows with a baseline, None if none has."""
    thens = [(row, collection.baseline.get(row.id)) for row in rows]
    known = [(row, then) for row, then in thens if then is not None]
    if not known:
        return None
    return (
        sum(row.requests - then.requests for row, then in known),
        sum(row.booked - then.booked for row, then in known),
    )


def check_views(collection: CampaignCollection, specs: list[ViewSpec]) -> None:
    for spec in specs:
        shown = collection.view(spec)
        expected = from_scratch(collection, spec)
        assert [row.id for row in shown] == [row.id for row in expected], spec
        assert collection.view_totals(spec) == CampaignCollection.totals(expected), spec
        assert collection.gained_total(shown) == gained_from_scratch(collection, shown), spec


def random_specs(rng: random.Random, count: int) -> list[ViewSpec]:
    return [
        spec_for(
            rng.choice(TYPED),
            active_only=rng.random() < 0.6,
            sort=rng.choice(SORT_KEYS),
            reverse=rng.random() < 0.2,
        )
        for _ in range(count)
    ]


@pytest.mark.parametrize("seed", range(12))
def test_incremental_views_match_a_full_recomputation(seed: int) -> None:
    """Pages in the server's order, pages that interleave, refreshes that change names,
    counts, dates and the active flag, drops, a new Δ baseline: after each, every view the
    list can ask for (sort, reverse, active only, filters typed and deleted) equals one made
    from scratch."""
    rng = random.Random(seed)
    collection = CampaignCollection()
    next_id = 0
    for _ in range(25):
        step = rng.random()
        if step < 0.5 or not len(collection):  # a page of new campaigns
            size = rng.randrange(1, 40)
            interleave = rng.random() < 0.3
            page = []
            for _ in range(size):
                created = (
                    NOW - timedelta(minutes=rng.randrange(0, next_id + 50)) if interleave else None
                )
                page.append(campaign(next_id, rng, created=created))
                next_id += 1
            collection.merge(page, NOW)
        elif step < 0.85:  # a refresh page: known campaigns, some changed
            known = rng.sample(collection.rows(), min(len(collection), rng.randrange(1, 30)))
            page = []
            for row in known:
                fresh = campaign(
                    int(row.id[4:]),
                    rng,
                    created=datetime.fromtimestamp(row.created_at, timezone.utc),
                )
                if rng.random() < 0.5:  # only the counts move
                    fresh.name, fresh.team_name, fresh.active = (
                        row.raw_name,
                        row.raw_team,
                        row.active,
                    )
                    fresh.description, fresh.starts_at = (
                        row.description,
                        (
                            None
                            if row.starts_at is None
                            else datetime.fromtimestamp(row.starts_at, timezone.utc)
                        ),
                    )
                page.append(fresh)
            collection.merge(page, NOW)
        elif step < 0.93:
            keep = {row.id for row in collection.rows() if rng.random() < 0.9}
            collection.retain(keep)
        else:  # the Δ window moves: counts at its start for some campaigns
            collection.set_baseline(
                {
                    row.id: SimpleNamespace(requests=rng.randrange(0, 50), booked=0)
                    for row in collection.rows()
                    if rng.random() < 0.7
                }
            )
        check_views(collection, random_specs(rng, 8))
        # The Δ total the summary asks for after the frame, pages having arrived meanwhile:
        # that of the list handed out, not of the list as it is now.
        shown = collection.view(random_specs(rng, 1)[0])
        collection.merge([campaign(next_id + n, rng) for n in range(3)], NOW)
        next_id += 3
        assert collection.gained_total(shown) == gained_from_scratch(collection, shown)


@pytest.mark.parametrize(
    ("text", "active_only", "sort"),
    [
        ("", False, "name"),  # new rows land all over the list
        ("", False, "created"),  # new rows append to it
        ("", True, "created"),  # the active ones among them
        ("s", True, "created"),  # a kept filter result
        ("team:sales", False, "rate"),
    ],
)
def test_a_view_handed_out_is_never_changed_afterwards(
    text: str, active_only: bool, sort: str
) -> None:
    """The table keeps the list it was given (the kept list itself, not a copy): later pages
    must not reorder or lengthen it under the cursor; the next view has them."""
    rng = random.Random(1)
    collection = CampaignCollection()
    collection.merge([campaign(n, rng) for n in range(50)], NOW)
    spec = spec_for(text, active_only=active_only, sort=sort, reverse=False)  # type: ignore[arg-type]
    shown = collection.view(spec)
    before = list(shown)
    for first in (50, 100):  # twice: a list copied once is handed out again, then kept
        created = NOW if sort == "name" else NOW - timedelta(days=first)
        collection.merge([campaign(n, rng, created=created) for n in range(first, first + 50)], NOW)
        check_views(collection, [spec])  # (a kept filter result takes the new rows now)
        assert shown == before
        shown = collection.view(spec)
        before = list(shown)


def test_widening_finds_the_result_kept_from_typing() -> None:
    """Backspace and clearing answer from kept results: no row is filtered again."""
    rng = random.Random(2)
    collection = CampaignCollection()
    collection.merge([campaign(n, rng) for n in range(2000)], NOW)
    for text in ("", "s", "su", "sum"):
        collection.view(spec_for(text, active_only=True, sort="created", reverse=False))
    before = collection.touched
    for text in ("su", "s", ""):
        collection.view(spec_for(text, active_only=True, sort="created", reverse=False))
    assert collection.touched == before


def totals_of(rows: list[Row]) -> Totals:
    return CampaignCollection.totals(rows)


@pytest.mark.parametrize(
    ("sort", "reverse", "text", "in_order"),
    [
        ("created", False, "", True),  # the default: pages append
        ("created", True, "", True),
        ("created", False, "summit", True),  # a filter typed while pages stream
        ("name", False, "", False),  # new rows land all over the list
        ("rate", False, "team:sales", False),
    ],
)
def test_each_page_costs_in_proportion_to_the_page(
    sort: str, reverse: bool, text: str, in_order: bool
) -> None:
    """A full load, viewed after every page as the list does: the rows touched per page must
    not grow with what is loaded (the quadratic of issue 11 touched every row per page)."""
    rng = random.Random(3)
    collection = CampaignCollection()
    spec = spec_for(text, active_only=True, sort=sort, reverse=reverse)  # type: ignore[arg-type]
    page_size, pages = 100, 60
    # A history from an earlier session: the summary's Δ total is asked after every frame.
    collection.set_baseline(
        {f"cmp_{n}": SimpleNamespace(requests=1, booked=0) for n in range(0, 6000, 2)}
    )
    per_page = []
    for number in range(pages):
        page = [campaign(number * page_size + i, rng) for i in range(page_size)]
        before = collection.touched
        collection.merge(page, NOW)
        shown = collection.view(spec)
        collection.view_totals(spec)
        assert collection.gained_total(shown) == gained_from_scratch(collection, shown)
        per_page.append(collection.touched - before)
    # The first page builds the order; after it each page touches a bounded number of rows
    # per arriving row (a bisection: its steps, ~log2 of the list).
    late = max(per_page[pages // 2 :])
    bound = 8 * page_size if in_order else 40 * page_size
    assert late <= bound, per_page
    assert late <= 2 * max(per_page[1 : pages // 4]), per_page  # not growing with the list
    check_views(collection, [spec])


def test_the_totals_rate_rounds_as_the_report_does() -> None:
    """Finding 8: one half-up rounding (display/rates.py) for the list's totals and the
    report; a float round made 3 of 2,000 0.1 here and 0.2 there."""
    from skipup_campaigns.report import percent

    assert Totals(1, 2000, 3).rate == 0.2
    assert Totals(1, 16, 1).rate == 6.3  # 6.25
    assert Totals(0, 0, 0).rate == 0.0
    for requests in range(1, 120):
        for booked in range(requests + 1):
            assert Totals(1, requests, booked).rate == float(percent(booked, requests))


def test_rates_module_is_pure() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, skipup_campaigns.display.rates; "
            "print([m for m in ('pydantic', 'httpx', 'textual') if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"

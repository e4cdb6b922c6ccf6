"""The filter's comparisons (ends:<7d, rate:<20, updated:<24h …) and `marked`, parsed and
matched; the collection's kept results with them (and every sort a column offers) against a
recomputation from scratch; the views' counts kept in step with pages and marks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from skipup_campaigns.display.dates import STATUSES
from skipup_campaigns.workspace.collection import (
    ALL_SORTS,
    CampaignCollection,
    ViewSpec,
    spec_for,
)
from skipup_campaigns.workspace.filtering import parse
from tests.workspace.test_collection import NOW, campaign

FAR = float("inf")


def moment(row_value: float | None) -> float:
    return FAR if row_value is None else row_value


# Each sort as the list promises it, written out independently of the collection.
SORT_KEYS: dict[str, Any] = {
    "created": lambda r: -r.created_at,
    "name": lambda r: r.raw_name.casefold(),
    "rate": lambda r: (-round(r.rate * 10), -r.requests),
    "requests": lambda r: -r.requests,
    "start": lambda r: moment(r.starts_at),
    "end": lambda r: moment(r.ends_at),
    "booked": lambda r: -r.booked,
    "updated": lambda r: -r.updated_at,
    "slug": lambda r: r.slug.casefold(),
    "team": lambda r: r.raw_team.casefold(),
    "status": lambda r: STATUSES.index(r.status),
    "email": lambda r: (r.email_address or "").casefold(),
    "id": lambda r: r.id,
    "gained": lambda r: FAR,
}


def expected_rows(
    collection: CampaignCollection,
    text: str,
    *,
    active_only: bool,
    sort: str,
    reverse: bool,
    marked: set[str],
) -> list[str]:
    """The view by hand: each term tested on each row in plain Python."""
    now = NOW.timestamp()
    rows = sorted(collection.rows(), key=SORT_KEYS[sort])
    if reverse:
        rows.reverse()
    out = []
    for row in rows:
        if active_only and not row.active:
            continue
        ok = True
        for term in text.split():
            if term == "marked":
                ok = ok and row.id in marked
            elif term == "rate:<20":
                ok = ok and row.rate < 20
            elif term == "requests:>=25":
                ok = ok and row.requests >= 25
            elif term == "booked:>0":
                ok = ok and row.booked > 0
            elif term == "ends:<7d":
                ok = ok and row.ends_at is not None and row.ends_at < now + 7 * 86400
            elif term == "starts:>today":
                tomorrow = datetime(2026, 6, 16, tzinfo=timezone.utc).timestamp()
                ok = ok and row.starts_at is not None and row.starts_at >= tomorrow
            elif term == "updated:<24h":
                ok = ok and row.updated_at > now - 86400
            elif term.startswith("team:"):
                ok = ok and term[5:] in row.team_key
            else:
                ok = ok and term in row.haystack
        if ok:
            out.append(row.id)
    return out


TERMS = [
    "",
    "rate:<20",
    "requests:>=25",
    "booked:>0",
    "ends:<7d",
    "starts:>today",
    "updated:<24h",
    "marked",
    "summit rate:<20",
    "rate:<20 requests:>=25",
    "s marked",
    "booked:>0 ends:<7d",
    "team:sal rate:<20",
]


def dated(n: int, rng: random.Random) -> SimpleNamespace:
    c = campaign(n, rng)
    c.ends_at = None if rng.random() < 0.3 else NOW + timedelta(days=rng.randrange(-20, 20))
    c.updated_at = NOW - timedelta(hours=rng.randrange(0, 72))
    c.email_address = rng.choice([None, f"x{n}@example.com"])
    return c


@pytest.mark.parametrize("seed", range(8))
def test_comparisons_and_marked_match_a_recomputation(seed: int) -> None:
    rng = random.Random(seed)
    collection = CampaignCollection()
    marked: set[str] = set()
    collection.marked = marked
    next_id = 0
    for _ in range(20):
        step = rng.random()
        if step < 0.5 or not len(collection):
            size = rng.randrange(1, 30)
            collection.merge([dated(next_id + i, rng) for i in range(size)], NOW)
            next_id += size
        elif step < 0.8:  # counts and moments change in place
            page = []
            for row in rng.sample(collection.rows(), min(len(collection), 10)):
                fresh = SimpleNamespace(**row.values())
                fresh.meeting_request_count = rng.randrange(0, 50)
                fresh.meetings_booked_count = rng.randrange(0, fresh.meeting_request_count + 1)
                fresh.booking_rate = (
                    round(fresh.meetings_booked_count * 100 / fresh.meeting_request_count, 1)
                    if fresh.meeting_request_count
                    else 0.0
                )
                fresh.updated_at = NOW - timedelta(hours=rng.randrange(0, 72))
                page.append(fresh)
            collection.merge(page, NOW)
        else:  # marks change (the collection is not told: it reads the set)
            for row in rng.sample(collection.rows(), min(len(collection), 5)):
                marked.symmetric_difference_update({row.id})
        for _ in range(6):
            text = rng.choice(TERMS)
            sort = rng.choice([s for s in ALL_SORTS if s != "gained"])
            active_only, reverse = rng.random() < 0.5, rng.random() < 0.2
            spec = spec_for(text, active_only=active_only, sort=sort, reverse=reverse, now=NOW)
            want = expected_rows(
                collection, text, active_only=active_only, sort=sort, reverse=reverse, marked=marked
            )
            assert [row.id for row in collection.view(spec)] == want, (text, sort)
            assert collection.count(spec) == len(want), text


def test_counts_follow_pages_touching_only_the_new_rows() -> None:
    """Nine views' counts, brought up to date after a page, go through that page's rows (and
    a few bisection steps), not through everything loaded."""
    rng = random.Random(3)
    collection = CampaignCollection()
    collection.merge([dated(n, rng) for n in range(5000)], NOW)
    specs = [
        spec_for(text, active_only=True, sort="created", reverse=False, now=NOW)
        for text in TERMS[1:10]
    ]
    counts = [collection.count(spec) for spec in specs]
    assert counts == [len(collection.view(spec)) for spec in specs]
    for text in ("a", "ab", "abc", "x", "xy", "w", "we", "web") * 4:  # typing meanwhile
        collection.view(spec_for(text, active_only=True, sort="created", reverse=False))
    page = [dated(n, rng) for n in range(5000, 5100)]
    for c in page:  # newest first, as the server sends them
        c.created_at = NOW - timedelta(minutes=10_000)
    collection.touched = 0
    collection.merge(page, NOW)
    counts = [collection.count(spec) for spec in specs]
    assert counts == [len(collection.view(spec)) for spec in specs]
    assert collection.touched < 100 * 12, collection.touched


def test_parse_reads_spans_days_and_numbers() -> None:
    now = datetime(2026, 6, 15, 12, 0, 40, tzinfo=timezone.utc)
    midnight = datetime(2026, 6, 15, tzinfo=timezone.utc).timestamp()
    query = parse("ends:<7d starts:>today rate:<20 requests:>=50 booked:>0 updated:<24h", now)
    got = {(c.attribute, c.op, c.value) for c in query.comparisons}
    base = datetime(2026, 6, 15, 12, tzinfo=timezone.utc).timestamp()  # cut to the minute
    assert got == {
        ("ends_at", "<", base + 7 * 86400),
        ("starts_at", ">=", midnight + 86400),
        ("rate", "<", 20.0),
        ("requests", ">=", 50.0),
        ("booked", ">", 0.0),
        ("updated_at", ">", base - 86400),
    }
    assert parse("ends:2026-06-20", now).comparisons[0].value == midnight + 5 * 86400
    assert parse("marked naa", now).marked and parse("marked naa", now).words == ("naa",)
    # The same text within a minute is the same query (its result is kept).
    assert parse("ends:<7d", now) == parse("ends:<7d", now + timedelta(seconds=15))


@pytest.mark.parametrize(
    "text, says",
    [
        ("rate:<abc", "rate: takes a number"),
        ("ends:<7x", "ends: takes a span"),
        ("requests:>=-3", "requests: takes a number"),
        ("updated:<", "updated: takes a span"),
        ("starts:2026-13-45", "starts: takes a span"),
        ("booked:nan", "booked: takes a number"),
    ],
)
def test_a_term_that_cannot_be_read_is_named_and_left_out(text: str, says: str) -> None:
    query = parse(f"naa {text}")
    assert query.errors and query.errors[0].startswith(says)
    assert query.words == ("naa",) and not query.comparisons  # the rest still filters


def test_rows_without_an_end_never_match_an_end_comparison() -> None:
    rng = random.Random(0)
    collection = CampaignCollection()
    c = dated(1, rng)
    c.ends_at = None
    collection.merge([c], NOW)
    for text in ("ends:<7d", "ends:>7d", "ends:today"):
        assert not collection.view(
            spec_for(text, active_only=False, sort="end", reverse=False, now=NOW)
        )


def test_every_sort_orders_by_its_column() -> None:
    rng = random.Random(5)
    collection = CampaignCollection()
    collection.merge([dated(n, rng) for n in range(200)], NOW)
    for sort in ALL_SORTS:
        if sort == "gained":
            continue
        rows = collection.view(ViewSpec(sort=sort, active_only=False))
        assert rows == sorted(rows, key=SORT_KEYS[sort]) or [
            SORT_KEYS[sort](r) for r in rows
        ] == sorted(map(SORT_KEYS[sort], rows)), sort

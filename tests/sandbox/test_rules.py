"""The API's pure rules: slugs, booking rates, timestamps, ids."""

import random
import re
from datetime import datetime, timezone

import pytest

from skipup_campaigns.sandbox import rules


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("NAA 2026", "naa-2026"),
        ("Café", "cafe"),
        ("  Spring   webinar  ", "spring-webinar"),
        ("Q3/Q4 push!", "q3q4-push"),
        ("São Paulo — día 1", "sao-paulo-dia-1"),
        ("already-hyphenated name", "already-hyphenated-name"),
        ("東京", "campaign"),
        ("!!!", "campaign"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert rules.slugify(name) == slug


def test_unique_slug_counts_up_from_two() -> None:
    assert rules.unique_slug("naa", set()) == "naa"
    assert rules.unique_slug("naa", {"naa"}) == "naa-2"
    assert rules.unique_slug("naa", {"naa", "naa-2", "naa-3"}) == "naa-4"


@pytest.mark.parametrize(
    ("requests", "booked", "rate"),
    [
        (8, 3, 37.5),
        (0, 0, 0.0),
        (16, 1, 6.3),
        (3, 2, 66.7),
        (3, 1, 33.3),
        (7, 7, 100.0),
        (200, 1, 0.5),
        (2000, 1, 0.1),
        (40, 1, 2.5),
    ],
)
def test_booking_rate_rounds_half_up(requests: int, booked: int, rate: float) -> None:
    assert rules.booking_rate(requests, booked) == rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z"),
        ("2026-06-01T09:30:00+02:00", "2026-06-01T07:30:00Z"),
        ("2026-06-01T09:30:00.987Z", "2026-06-01T09:30:00Z"),
        ("2026-06-01T09:30Z", "2026-06-01T09:30:00Z"),
        ("2026-06-01 09:30:00-0500", "2026-06-01T14:30:00Z"),
        # Found by the schemathesis run: strftime wrote the year 199 as "199", breaking the form.
        ("0199-06-21T07:39:50.1+07:12", "0199-06-21T00:27:50Z"),
    ],
)
def test_parse_timestamp_accepts_full_date_times_and_stores_utc(text: str, expected: str) -> None:
    moment = rules.parse_timestamp(text)
    assert moment is not None
    assert rules.format_timestamp(moment) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2026-06-01",
        "2026-06-01T00:00:00",
        "tomorrow",
        "",
        "2026-13-01T00:00:00Z",
        "2026-06-01T25:00:00Z",
        "2026-06-01T00:00:00Z trailing",
    ],
)
def test_parse_timestamp_refuses_dates_without_time_or_zone(text: str) -> None:
    assert rules.parse_timestamp(text) is None


def test_new_id_is_ulid_shaped_and_repeatable() -> None:
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first = rules.new_id("cmp_", moment, random.Random(1))
    assert re.fullmatch(r"cmp_[0-9A-HJKMNP-TV-Z]{26}", first)
    assert first == rules.new_id("cmp_", moment, random.Random(1))
    assert first != rules.new_id("cmp_", moment, random.Random(2))

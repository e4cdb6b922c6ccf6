"""Where loading stands, in words: pure functions of one value."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone

import pytest

from skipup_campaigns.plain_record import replace
from skipup_campaigns.workspace.load_state import (
    LoadState,
    empty_message,
    retry_delay,
    status_text,
)

AT = datetime(2026, 6, 15, 14, 5, tzinfo=timezone.utc)
EARLIER = datetime(2026, 6, 15, 13, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (LoadState(), ""),
        (LoadState(loading=True), "loading…"),
        (LoadState(loading=True, received=1200), "1,200 loaded…"),
        (LoadState(loading=True, cached_at=EARLIER), "cached 13:30 UTC, refreshing…"),
        (
            LoadState(loading=True, cached_at=EARLIER, received=100),
            "cached 13:30 UTC, refreshing… 100 loaded",
        ),
        (LoadState(loaded_at=AT), "updated 14:05 UTC"),
        (LoadState(error="cannot reach the API"), "not loaded: cannot reach the API"),
        (
            LoadState(error="cannot reach the API", loaded_at=AT),
            "stale since 14:05 UTC: cannot reach the API",
        ),
        (
            LoadState(error="cannot reach the API", cached_at=EARLIER),
            "stale since 13:30 UTC (cached): cannot reach the API",
        ),
        (
            LoadState(error="cannot reach the API", loaded_at=AT, retry_in=4.0),
            "stale since 14:05 UTC: cannot reach the API · retrying in 4s",
        ),
        (LoadState(loaded_at=AT, retry_in=4.0), "updated 14:05 UTC"),  # no error, nothing to retry
    ],
)
def test_status_text(state: LoadState, text: str) -> None:
    assert os.environ["TZ"] == "UTC"
    assert status_text(state) == text


def test_empty_message_says_why_and_which_key_helps() -> None:
    def say(state: LoadState, **kwargs: object) -> str:
        options = {
            "filter_text": "",
            "filtered": False,
            "any_loaded": False,
            "active_only": True,
            **kwargs,
        }
        return empty_message(state, **options)  # type: ignore[arg-type]

    loaded = LoadState(loaded_at=AT)
    assert say(loaded, filter_text="zzz", filtered=True) == (
        "Nothing matches 'zzz': esc clears the filter"
    )
    assert say(LoadState()) == "Loading campaigns…"
    assert say(replace(loaded, loading=True)) == "Loading campaigns…"
    assert say(loaded, any_loaded=True) == "No active campaigns: press a to show all"
    assert say(LoadState(error="x")) == "Nothing loaded yet: press r to retry"
    assert say(loaded) == "No campaigns yet: press n to create one"
    assert say(loaded, any_loaded=True, active_only=False) == (
        "No campaigns yet: press n to create one"
    )


def test_retries_wait_longer_each_time_and_never_less_than_asked() -> None:
    delays = (2.0, 4.0, 8.0)
    assert [retry_delay(n, None, delays) for n in (1, 2, 3, 4, 9)] == [2, 4, 8, 8, 8]
    assert retry_delay(1, 30.0, delays) == 30.0  # a 429's Retry-After wins
    assert retry_delay(3, 1.0, delays) == 8.0


@pytest.mark.parametrize("asked", [float("inf"), float("nan"), 1e20, 86_400 * 2])
def test_a_wait_asked_for_is_never_past_a_day(asked: float) -> None:
    """Finding 4: timedelta(seconds=inf or 1e20) raised OverflowError outside the load's
    guard; a wait the server should not have asked for is held to a day, NaN ignored."""
    from datetime import timedelta

    from skipup_campaigns.workspace.load_state import rate_limit_end

    end = rate_limit_end(AT, asked)
    assert end is None or AT < end <= AT + timedelta(days=1)
    assert 0 < retry_delay(1, asked) <= 86_400


def test_the_status_says_its_zone_and_drops_the_name_first_when_short_of_room() -> None:
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from skipup_campaigns.display.dates import DisplayZone
    from skipup_campaigns.workspace.load_state import LoadState, least_width, status_text

    new_york = DisplayZone(ZoneInfo("America/New_York"))
    summer = LoadState(loaded_at=datetime(2026, 6, 15, 14, 5, tzinfo=timezone.utc))
    winter = LoadState(loaded_at=datetime(2026, 12, 7, 14, 5, tzinfo=timezone.utc))
    assert status_text(summer) == "updated 14:05 UTC"
    assert status_text(summer, zone=new_york) == "updated 10:05 EDT"
    assert status_text(winter, zone=new_york) == "updated 09:05 EST"
    assert status_text(summer, width=16) == "updated 14:05"  # the name goes, the time stays
    stale = LoadState(loaded_at=summer.loaded_at, error="cannot reach the API", retry_in=4.0)
    assert status_text(stale, width=80) == (
        "stale since 14:05 UTC: cannot reach the API · retrying in 4s"
    )
    # Shorter words around the reason before it is cut ("cannot…" would say nothing).
    assert status_text(stale, width=44) == "stale 14:05: cannot reach the API · retry 4s"
    assert least_width(stale) == len("stale 14:05 · retry 4s")


def test_a_reason_keeps_a_whole_word_with_shorter_words_around_it() -> None:
    """Where the long words leave no room for the reason, the short ones make it: why the
    list is stale says more than "since"; a cut inside a word is never shown."""
    from datetime import datetime, timezone

    from skipup_campaigns.workspace.load_state import LoadState, status_text

    stale = LoadState(
        loaded_at=datetime(2026, 6, 15, 15, 27, tzinfo=timezone.utc),
        error="cannot reach the API",
        retry_in=30.0,
    )
    assert status_text(stale, width=41) == "stale 15:27: cannot reach… · retry 30s"
    # (whole: no "…" after it)
    assert status_text(stale, width=46) == "stale 15:27: cannot reach the API · retry 30s"
    assert status_text(stale, width=52) == "stale since 15:27: cannot reach… · retrying in 30s"
    for width in range(20, 60):
        text = status_text(stale, width=width)
        assert len(text) <= width
        # At least half the reason, or none of it: never a lone "cannot…".
        assert "…" not in text or text.split("…")[0].endswith(("reach", "the"))

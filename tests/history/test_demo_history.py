"""The demo's fabricated history: plausible (only growing, booked never above requests, gains
only while a campaign ran), repeatable, and only ever in the demo's own file."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

import pytest

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.history.demo import DAYS, fabricate_history, seed_demo_history
from skipup_campaigns.history.store import demo_history_path, gains, open_history
from skipup_campaigns.sandbox import Store
from tests.conftest import FIXED_NOW, campaigns_on_server


@pytest.fixture
def campaigns(store: Store) -> list[Campaign]:
    return [Campaign.model_validate(c) for c in campaigns_on_server(store)]


def test_history_is_plausible(tmp_path: Path, campaigns: list[Campaign]) -> None:
    with open_history(tmp_path / "demo.sqlite3") as store:
        assert fabricate_history(store, campaigns, now=FIXED_NOW) > len(campaigns)
        moved = 0
        for campaign in campaigns:
            samples = store.samples(campaign.id)
            assert samples, campaign.name
            assert samples[0].at >= FIXED_NOW - timedelta(days=DAYS + 1)
            assert samples[-1].at < FIXED_NOW
            for before, after in zip(samples, samples[1:]):
                assert before.requests <= after.requests and before.booked <= after.booked
                # Nothing arrives while a campaign is not running.
                if campaign.starts_at and after.at <= campaign.starts_at:
                    assert after.requests == before.requests, campaign.name
            for sample in samples:
                assert 0 <= sample.booked <= sample.requests
            assert samples[-1].requests <= campaign.meeting_request_count
            assert samples[-1].booked <= campaign.meetings_booked_count
            moved += len(samples) > 1
            if campaign.deactivated_at and campaign.deactivated_at < FIXED_NOW - timedelta(
                days=DAYS + 1
            ):
                assert len(samples) == 1, campaign.name  # long retired: flat
            if campaign.starts_at and campaign.starts_at > FIXED_NOW:
                assert len(samples) == 1 and samples[0].requests == 0, campaign.name
        assert moved >= len(campaigns) // 3
        # The trend a first run shows: something was gained in the last week, and since the
        # last (fabricated) session.
        current = [(c.id, c.meeting_request_count, c.meetings_booked_count) for c in campaigns]
        week = gains(current, store.counts_at(FIXED_NOW - timedelta(days=7)))
        assert sum(g[0] for g in week.values() if g) > 0
        session = gains(current, store.before_session(FIXED_NOW))
        assert all(g is not None for g in session.values())
        assert sum(g[0] for g in session.values() if g) > 0
        running = next(c for c in campaigns if c.name == "Pricing page demo requests")
        assert len(store.daily_gains(running.id, until=FIXED_NOW)) >= DAYS - 1


def test_the_same_seed_gives_the_same_history(tmp_path: Path, campaigns: list[Campaign]) -> None:
    results = []
    for name in ("a", "b"):
        with open_history(tmp_path / name / "demo.sqlite3") as store:
            fabricate_history(store, campaigns, now=FIXED_NOW, rng=random.Random(4))
            results.append({c.id: store.samples(c.id) for c in campaigns})
    assert results[0] == results[1]


def test_seeded_once_and_only_into_the_demos_file(
    tmp_path: Path, campaigns: list[Campaign]
) -> None:
    assert seed_demo_history(campaigns, FIXED_NOW) > 0
    assert demo_history_path().exists()
    assert seed_demo_history(campaigns, FIXED_NOW) == 0  # already has history: left alone
    with pytest.raises(ValueError):
        seed_demo_history(campaigns, FIXED_NOW, path=tmp_path / "history-0123abcd.sqlite3")
    assert not (tmp_path / "history-0123abcd.sqlite3").exists()

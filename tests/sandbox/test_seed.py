"""Seed data: a realistic demo workspace, and fast deterministic synthetic campaigns."""

from __future__ import annotations

from collections import Counter

from skipup_campaigns.sandbox import open_store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.sandbox.store import Store
from tests.conftest import FIXED_NOW, Clock, campaigns_on_server


def everything(store: Store) -> list[dict]:
    return campaigns_on_server(store)


def test_demo_workspace_has_the_spread_a_demo_needs(store: Store) -> None:
    campaigns = everything(store)
    now = "2026-06-15T12:00:00Z"
    assert 35 <= len(campaigns) <= 45
    assert sum(c["deactivated_at"] is not None for c in campaigns) >= 3
    assert sum(c["ends_at"] is not None and c["ends_at"] < now for c in campaigns) >= 3
    assert sum(c["starts_at"] is not None and c["starts_at"] > now for c in campaigns) >= 3
    assert sum(c["active"] for c in campaigns) >= 20
    assert sum(c["meeting_request_count"] == 0 for c in campaigns) >= 3
    rates = {round(c["booking_rate"] // 10) for c in campaigns if c["meeting_request_count"]}
    assert len(rates) >= 6
    assert any(not c["name"].isascii() for c in campaigns)
    assert any(len(c["name"]) > 60 for c in campaigns)
    assert len(Counter(c["team_name"] for c in campaigns)) >= 4
    assert len({c["slug"] for c in campaigns}) == len(campaigns)


def test_same_seed_and_clock_give_the_same_database() -> None:
    a = open_store(clock=Clock(FIXED_NOW), random_seed=5)
    b = open_store(clock=Clock(FIXED_NOW), random_seed=5)
    c = open_store(clock=Clock(FIXED_NOW), random_seed=6)
    assert everything(a) == everything(b)
    assert [x["id"] for x in everything(a)] != [x["id"] for x in everything(c)]


def test_seed_ids_do_not_depend_on_the_day() -> None:
    today = open_store(clock=Clock(FIXED_NOW))
    from datetime import timedelta

    later = open_store(clock=Clock(FIXED_NOW + timedelta(days=100)))
    assert [x["id"] for x in everything(today)] == [x["id"] for x in everything(later)]


def test_empty_seed_has_teams_but_no_campaigns() -> None:
    store = open_store(seed="empty", clock=Clock(FIXED_NOW))
    assert everything(store) == []
    teams, _ = store.list_teams(MAIN_WORKSPACE, limit=100, cursor=None)
    assert len(teams) == 5


def test_synthetic_campaigns_are_many_unique_and_deterministic() -> None:
    a = open_store(seed="empty", seed_count=3000, clock=Clock(FIXED_NOW))
    b = open_store(seed="empty", seed_count=3000, clock=Clock(FIXED_NOW))
    rows = everything(a)
    assert len(rows) == 3000
    assert len({r["slug"] for r in rows}) == len({r["id"] for r in rows}) == 3000
    assert rows == everything(b)
    assert any(not r["active"] for r in rows) and any(r["active"] for r in rows)


def test_existing_database_is_not_reseeded(tmp_path) -> None:
    path = str(tmp_path / "kept.db")
    first = open_store(path, clock=Clock(FIXED_NOW))
    before = everything(first)
    first.close()
    again = open_store(path, seed_count=50, clock=Clock(FIXED_NOW))
    assert everything(again) == before


def test_scheduled_campaigns_have_no_traffic_before_their_start(store: Store) -> None:
    """The demo's and the synthetic ones: a start still ahead means no request yet."""
    from skipup_campaigns.sandbox.seed import seed_synthetic

    seed_synthetic(store, 300)
    now = "2026-06-15T12:00:00Z"
    scheduled = [
        c for c in everything(store) if c["starts_at"] is not None and c["starts_at"] > now
    ]
    assert len(scheduled) > 20
    assert all(c["meeting_request_count"] == c["meetings_booked_count"] == 0 for c in scheduled), [
        c["name"] for c in scheduled if c["meeting_request_count"]
    ]

"""The report's numbers, computed by hand on small cases."""

from __future__ import annotations

from decimal import Decimal

from skipup_campaigns.display.dates import Status
from skipup_campaigns.history.store import Counts
from skipup_campaigns.report import Item, build_report, items_from_campaigns, percent
from tests.conftest import FIXED_NOW


def item(n: int, team: str, requests: int, booked: int, status: Status = "active") -> Item:
    return Item(f"c{n}", f"Campaign {n}", f"tm_{team}", team.title(), status, requests, booked)


def test_rates_round_half_up_to_one_decimal() -> None:
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3, not banker's 6.2
    assert percent(1, 3) == Decimal("33.3")
    assert percent(2, 3) == Decimal("66.7")
    assert percent(0, 5) == Decimal("0.0")
    assert percent(5, 0) is None
    assert percent(7, 7) == Decimal("100.0")


def test_team_rates_are_sums_not_averages() -> None:
    items = [item(1, "sales", 1, 1), item(2, "sales", 1000, 100), item(3, "cs", 10, 5)]
    report = build_report(items)
    sales, cs = report.teams
    assert (sales.key, sales.campaigns, sales.requests, sales.booked) == ("tm_sales", 2, 1001, 101)
    assert sales.rate == Decimal("10.1")  # not (100 % + 10 %) / 2
    assert sales.share == Decimal("99.0") and cs.share == Decimal("1.0")
    assert (report.campaigns, report.requests, report.booked) == (3, 1011, 106)
    assert report.rate == Decimal("10.5")


def test_statuses_all_listed_in_order() -> None:
    items = [item(1, "a", 10, 1), item(2, "a", 5, 5, "ended"), item(3, "b", 0, 0, "ended")]
    report = build_report(items)
    assert [(s.key, s.campaigns, s.requests) for s in report.statuses] == [
        ("active", 1, 10),
        ("scheduled", 0, 0),
        ("ended", 2, 5),
        ("deactivated", 0, 0),
    ]
    assert report.statuses[1].rate is None


def test_best_and_worst_need_enough_requests() -> None:
    items = [item(n, "a", 20 + n, n) for n in range(12)] + [item(99, "a", 1, 1)]
    report = build_report(items)
    assert [r.id for r in report.best] == ["c11", "c10", "c9", "c8", "c7"]
    assert [r.id for r in report.worst] == ["c0", "c1", "c2", "c3", "c4"]
    assert "c99" not in [r.id for r in report.best]
    lowered = build_report(items, min_requests=1)
    assert lowered.best[0].id == "c99" and lowered.min_requests == 1


def test_ties_rank_the_campaign_with_more_requests_first() -> None:
    items = [item(1, "a", 20, 10), item(2, "a", 200, 100), item(3, "a", 40, 20)]
    report = build_report(items + [item(4, "a", 30, 1)])
    assert [r.id for r in report.best] == ["c2", "c3"]
    assert [r.id for r in report.worst] == ["c4", "c1"]  # the rest, the worst first


def test_a_campaign_is_never_both_best_and_worst() -> None:
    for count in range(1, 13):
        items = [item(n, "a", 50, 5) for n in range(count)]  # all alike: ties everywhere
        report = build_report(items)
        best, worst = {r.id for r in report.best}, {r.id for r in report.worst}
        assert not best & worst, count
        assert len(best) == min(5, (count + 1) // 2) and len(best | worst) == min(10, count)


def test_team_gains_over_a_window() -> None:
    items = [
        item(1, "sales", 30, 10),
        item(2, "sales", 50, 20),
        item(3, "cs", 9, 3),
        item(4, "new", 4, 1),
    ]
    baseline = {"c1": Counts(25, 8, 0), "c2": Counts(50, 19, 0), "c3": Counts(9, 3, 0)}
    report = build_report(items, baseline=baseline)
    by_key = {line.key: line for line in report.teams}
    assert (by_key["tm_sales"].gained_requests, by_key["tm_sales"].gained_booked) == (5, 3)
    assert (by_key["tm_cs"].gained_requests, by_key["tm_cs"].gained_booked) == (0, 0)
    assert by_key["tm_new"].gained_requests is None  # no history that old: unknown, not 0
    assert (report.gained_requests, report.gained_booked) == (5, 3)
    assert build_report(items).teams[0].gained_requests is None


def test_empty_report() -> None:
    report = build_report([])
    assert (report.campaigns, report.requests, report.rate, report.teams, report.best) == (
        0,
        0,
        None,
        [],
        [],
    )


def test_items_from_api_campaigns_use_the_lists_status(store) -> None:  # noqa: ANN001
    from skipup_campaigns.api.models import Campaign
    from tests.conftest import campaigns_on_server

    models = [Campaign.model_validate(c) for c in campaigns_on_server(store)]
    items = items_from_campaigns(models, FIXED_NOW)
    report = build_report(items)
    assert report.requests == sum(c.meeting_request_count for c in models)
    assert {s.key: s.campaigns for s in report.statuses}["deactivated"] == sum(
        1 for c in models if c.deactivated_at is not None
    )
    assert {s.key: s.campaigns for s in report.statuses}["scheduled"] >= 1


def test_negative_changes_round_half_away_from_zero_like_the_api() -> None:
    from skipup_campaigns.display.rates import percent as shared

    assert percent is shared  # the one rounding, shared with the list's totals
    assert percent(-1, 16) == Decimal("-6.3")  # a mirror of 6.25 → 6.3

"""The campaigns report: by team, by status, the best and worst converters, and what each team
gained over a window. Pure and Textual-free: the report screen and `skipup-campaigns report`
compute the same numbers here.

Rates are sums of booked over sums of requests, rounded half up to one decimal, never averages
of per-campaign rates (a team with one 100 % campaign of 1 request and one 10 % campaign of
1,000 requests books 10.1 %, not 55 %).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from skipup_campaigns.display.dates import STATUSES, Status, campaign_status
from skipup_campaigns.display.rates import percent as percent  # the one rounding, re-exported

DEFAULT_MIN_REQUESTS = 20
"""A campaign needs this many requests to be ranked: 1 request booked is not "best"."""
RANKED = 5


class Reportable(Protocol):
    """What the report reads of a campaign (the list collection's rows have it all)."""

    id: str
    team_id: str
    status: Status
    requests: int
    booked: int

    # Read-only: a row reads them from its text and its team's shared forms.
    @property
    def raw_name(self) -> str: ...
    @property
    def raw_team(self) -> str: ...


@dataclass(slots=True)
class Item:
    """A campaign reduced to what the report reads (for callers without collection rows)."""

    id: str
    raw_name: str
    team_id: str
    raw_team: str
    status: Status
    requests: int
    booked: int


def items_from_campaigns(campaigns: Iterable[Any], now: datetime) -> list[Item]:
    """Report items from API campaigns, with the status as the list computes it."""
    return [
        Item(
            c.id,
            c.name,
            c.team_id,
            c.team_name,
            campaign_status(
                deactivated_at=c.deactivated_at, starts_at=c.starts_at, ends_at=c.ends_at, now=now
            ),
            c.meeting_request_count,
            c.meetings_booked_count,
        )
        for c in campaigns
    ]


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: a team or a status."""

    key: str
    """The team's id, or the status."""
    label: str
    """The team's name as the server sent it (make it safe before showing it), or the status."""
    campaigns: int
    requests: int
    booked: int
    share: Decimal | None
    """This line's requests as a percentage of all requests in the report."""
    gained_requests: int | None = None
    """Requests gained over the window by this line's campaigns that have a baseline; None
    when none of them has (no history that old)."""
    gained_booked: int | None = None

    @property
    def rate(self) -> Decimal | None:
        return percent(self.booked, self.requests)


@dataclass(frozen=True)
class Ranked:
    """A campaign in the best or worst five."""

    id: str
    name: str
    team: str
    requests: int
    booked: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.booked, self.requests)


@dataclass(frozen=True)
class Report:
    campaigns: int
    requests: int
    booked: int
    teams: list[Line]
    """By requests, most first (then by name)."""
    statuses: list[Line]
    """Every status, in the list's order, even when it has no campaigns."""
    best: list[Ranked]
    worst: list[Ranked]
    min_requests: int
    gained_requests: int | None = None
    gained_booked: int | None = None

    @property
    def rate(self) -> Decimal | None:
        return percent(self.booked, self.requests)


def build_report(
    items: Sequence[Reportable],
    *,
    min_requests: int = DEFAULT_MIN_REQUESTS,
    baseline: Mapping[str, Any] | None = None,
) -> Report:
    """The report over `items`. `baseline` maps a campaign's id to its counts at the window's
    start (anything with `.requests` and `.booked`, e.g. the history's `Counts`); campaigns
    absent from it count towards no gain."""
    # One pass, plain lists per key: this runs on every open of the screen (100,000 rows).
    teams: dict[str, list[Any]] = {}
    statuses: dict[str, list[int]] = {status: [0, 0, 0] for status in STATUSES}
    total_requests = total_booked = 0
    for item in items:
        requests, booked = item.requests, item.booked
        total_requests += requests
        total_booked += booked
        team = teams.get(item.team_id)
        if team is None:
            team = teams[item.team_id] = [item.raw_team, 0, 0, 0, None, None]
        team[1] += 1
        team[2] += requests
        team[3] += booked
        status = statuses[item.status]
        status[0] += 1
        status[1] += requests
        status[2] += booked
    if baseline is not None:
        _add_gains(items, baseline, teams)
    team_lines = [
        Line(
            team_id,
            name,
            count,
            requests,
            booked,
            percent(requests, total_requests),
            gained_r,
            gained_b,
        )
        for team_id, (name, count, requests, booked, gained_r, gained_b) in teams.items()
    ]
    team_lines.sort(key=lambda line: (-line.requests, line.label.casefold(), line.key))
    status_lines = [
        Line(status, status, count, requests, booked, percent(requests, total_requests))
        for status, (count, requests, booked) in statuses.items()
    ]
    best, worst = _ranked(items, min_requests)
    gained = [line for line in team_lines if line.gained_requests is not None]
    return Report(
        campaigns=len(items),
        requests=total_requests,
        booked=total_booked,
        teams=team_lines,
        statuses=status_lines,
        best=best,
        worst=worst,
        min_requests=min_requests,
        gained_requests=sum(line.gained_requests or 0 for line in gained) if gained else None,
        gained_booked=sum(line.gained_booked or 0 for line in gained) if gained else None,
    )


def _add_gains(
    items: Sequence[Reportable], baseline: Mapping[str, Any], teams: dict[str, list[Any]]
) -> None:
    for item in items:
        then = baseline.get(item.id)
        if then is None:
            continue
        team = teams[item.team_id]
        team[4] = (team[4] or 0) + item.requests - then.requests
        team[5] = (team[5] or 0) + item.booked - then.booked


def _ranked(items: Sequence[Reportable], min_requests: int) -> tuple[list[Ranked], list[Ranked]]:
    """The five best and five worst by booking rate among campaigns with enough requests; a
    campaign is never in both (with fewer than ten eligible, the best take the better half).

    Exact rates (a float quotient of two integers is correctly rounded, so equal fractions
    compare equal); on a tie the campaign with more requests, the stronger evidence, ranks
    first, then the name. The cut-off rate is found on bare floats first, so only the few
    campaigns at or beyond it are sorted by the full key."""
    floor = max(min_requests, 1)
    eligible = [item for item in items if item.requests >= floor]
    best_count = min(RANKED, (len(eligible) + 1) // 2)
    worst_count = min(RANKED, len(eligible) - best_count)

    def pick(pool: list[Any], count: int, best: bool) -> list[Any]:
        if not pool or count <= 0:
            return []
        rates = [item.booked / item.requests for item in pool]
        if best:
            cut = heapq.nlargest(count, rates)[-1]
            chosen = [item for item, rate in zip(pool, rates) if rate >= cut]
        else:
            cut = heapq.nsmallest(count, rates)[-1]
            chosen = [item for item, rate in zip(pool, rates) if rate <= cut]
        sign = -1 if best else 1
        return heapq.nsmallest(
            count,
            chosen,
            key=lambda i: (sign * i.booked / i.requests, -i.requests, i.raw_name, i.id),
        )

    best = pick(eligible, best_count, True)
    taken = {id(item) for item in best}
    worst = pick([item for item in eligible if id(item) not in taken], worst_count, False)
    return (
        [Ranked(i.id, i.raw_name, i.raw_team, i.requests, i.booked) for i in best],
        [Ranked(i.id, i.raw_name, i.raw_team, i.requests, i.booked) for i in worst],
    )

"""The list's data: every loaded campaign keyed by id, and the filtered, sorted view of them.

Pages merge in by id (update in place, add; a finished refresh drops what the server no longer
has), so a row's identity survives every reload. Each row carries what the screen and the filter
need, computed once when it arrives: safe display strings and lower-case search text. The view
is cached per sort, and a filter that only narrows the previous one filters that result instead
of every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.tui.dates import Status, campaign_status, short_date
from skipup_campaigns.tui.filtering import Query, matches, parse
from skipup_campaigns.tui.safe_text import safe

SortKey = Literal["created", "name", "rate", "requests", "start"]
SORT_KEYS: tuple[SortKey, ...] = ("created", "name", "rate", "requests", "start")
SORT_LABELS: dict[SortKey, str] = {"created": "created", "name": "name", "rate": "booking rate",
                                   "requests": "requests", "start": "start"}
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc).timestamp()


@dataclass(slots=True, eq=False)
class Row:
    """One campaign as the list shows and searches it."""

    id: str
    campaign: Campaign
    arrival: int
    """Position in the server's order (newest first) when first seen: the tie-breaker."""
    name: str
    team: str
    status: Status
    starts: str
    ends: str
    created: str
    haystack: str
    team_key: str
    name_key: str
    slug_key: str
    email_key: str

    @classmethod
    def build(cls, campaign: Campaign, arrival: int, now: datetime) -> Row:
        name_key = campaign.name.casefold()
        team_key = campaign.team_name.casefold()
        slug_key = campaign.slug.casefold()
        email_key = (campaign.email_address or "").casefold()
        haystack = "\n".join((name_key, slug_key, team_key,
                              (campaign.description or "").casefold(), email_key))
        return cls(
            id=campaign.id, campaign=campaign, arrival=arrival,
            name=safe(campaign.name), team=safe(campaign.team_name),
            status=campaign_status(deactivated_at=campaign.deactivated_at,
                                   starts_at=campaign.starts_at, ends_at=campaign.ends_at,
                                   now=now),
            starts=short_date(campaign.starts_at), ends=short_date(campaign.ends_at),
            created=short_date(campaign.created_at), haystack=haystack, team_key=team_key,
            name_key=name_key, slug_key=slug_key, email_key=email_key,
        )

    @property
    def active(self) -> bool:
        return self.campaign.active


def _sort_key(key: SortKey):  # noqa: ANN202 - returns a key function for sorted()
    if key == "name":
        return lambda r: (r.name_key, r.arrival)
    if key == "rate":
        return lambda r: (-r.campaign.booking_rate, -r.campaign.meeting_request_count, r.arrival)
    if key == "requests":
        return lambda r: (-r.campaign.meeting_request_count, r.arrival)
    if key == "start":
        return lambda r: (r.campaign.starts_at.timestamp() if r.campaign.starts_at
                          else _FAR_FUTURE, r.arrival)
    return lambda r: (-r.campaign.created_at.timestamp(), r.arrival)


@dataclass(frozen=True)
class ViewSpec:
    query: Query = Query()
    active_only: bool = True
    sort: SortKey = "created"
    reverse: bool = False


@dataclass(frozen=True)
class Totals:
    campaigns: int
    requests: int
    booked: int

    @property
    def rate(self) -> float:
        return round(self.booked * 100 / self.requests, 1) if self.requests else 0.0


class CampaignCollection:
    """Loaded campaigns by id, plus the current view of them."""

    def __init__(self) -> None:
        self._rows: dict[str, Row] = {}
        self._next_arrival = 0
        self._version = 0
        self._sorted: dict[SortKey, tuple[int, list[Row]]] = {}
        self._last: tuple[int, ViewSpec, list[Row]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, campaign_id: object) -> bool:
        return campaign_id in self._rows

    def get(self, campaign_id: str) -> Row | None:
        return self._rows.get(campaign_id)

    def merge(self, campaigns: Iterable[Campaign], now: datetime | None = None) -> None:
        """Add new campaigns and update known ones in place (their position in the server's
        order is kept, so a refresh does not reshuffle equal keys)."""
        now = now or datetime.now(timezone.utc)
        for campaign in campaigns:
            known = self._rows.get(campaign.id)
            arrival = known.arrival if known else self._next_arrival
            if known is None:
                self._next_arrival += 1
            self._rows[campaign.id] = Row.build(campaign, arrival, now)
        self._version += 1

    def retain(self, ids: set[str]) -> None:
        """Drop every campaign not in `ids` (after a complete refresh)."""
        gone = [campaign_id for campaign_id in self._rows if campaign_id not in ids]
        for campaign_id in gone:
            del self._rows[campaign_id]
        if gone:
            self._version += 1

    def view_all_by_name(self) -> list[Row]:
        """Every loaded campaign, by name (for jumping to one)."""
        return self._ordered("name", False)

    def count(self, *, active_only: bool) -> int:
        if not active_only:
            return len(self._rows)
        return sum(1 for row in self._rows.values() if row.active)

    def view(self, spec: ViewSpec) -> list[Row]:
        """The rows the list shows for `spec`, in order."""
        last = self._last
        if (last is not None and last[0] == self._version and last[1] == spec):
            return last[2]
        if (last is not None and last[0] == self._version
                and (last[1].active_only, last[1].sort, last[1].reverse)
                == (spec.active_only, spec.sort, spec.reverse)
                and spec.query.narrows(last[1].query)):
            source = last[2]  # typing more: filter the previous result only
        else:
            source = self._ordered(spec.sort, spec.reverse)
            if spec.active_only:
                source = [row for row in source if row.active]
        query = spec.query
        result = source if query.is_empty else [row for row in source if matches(row, query)]
        self._last = (self._version, spec, result)
        return result

    def _ordered(self, sort: SortKey, reverse: bool) -> list[Row]:
        cached = self._sorted.get(sort)
        if cached is None or cached[0] != self._version:
            cached = (self._version, sorted(self._rows.values(), key=_sort_key(sort)))
            self._sorted[sort] = cached
        return cached[1][::-1] if reverse else cached[1]

    @staticmethod
    def totals(rows: Iterable[Row]) -> Totals:
        count = requests = booked = 0
        for row in rows:
            count += 1
            requests += row.campaign.meeting_request_count
            booked += row.campaign.meetings_booked_count
        return Totals(count, requests, booked)


def spec_for(text: str, *, active_only: bool, sort: SortKey, reverse: bool) -> ViewSpec:
    return ViewSpec(parse(text), active_only, sort, reverse)

"""The list's data: every loaded campaign keyed by id, and the filtered, sorted view of them.

Pages merge in by id (update in place, add; a finished refresh drops what the server no longer
has), so a row's identity survives every reload. Each row carries what the screen and the filter
need, computed once when it arrives: safe display strings and lower-case search text. The view
is cached per sort, and a filter that only narrows the previous one filters that result instead
of every row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from skipup_campaigns.tui.dates import Status, campaign_status, short_date
from skipup_campaigns.tui.filtering import Query, matches, parse
from skipup_campaigns.tui.safe_text import safe

if TYPE_CHECKING:  # pydantic stays off the path to the first frame
    from skipup_campaigns.api.models import Campaign

SortKey = Literal["created", "name", "rate", "requests", "start"]
SORT_KEYS: tuple[SortKey, ...] = ("created", "name", "rate", "requests", "start")
SORT_LABELS: dict[SortKey, str] = {"created": "created", "name": "name", "rate": "booking rate",
                                   "requests": "requests", "start": "start"}
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc).timestamp()


@dataclass(slots=True, eq=False)
class Row:
    """One campaign as the list shows, searches and sorts it: plain values computed once when
    the campaign arrives, so per-keystroke and per-sort work touches no model attributes.

    A row object lives as long as its campaign is loaded: a refresh updates it in place, so
    the table can find its cursor row by identity."""

    id: str
    arrival: int
    """Position in the server's order (newest first) when first seen: the tie-breaker."""
    campaign: Campaign = field(init=False)
    name: str = field(init=False)
    team: str = field(init=False)
    status: Status = field(init=False)
    active: bool = field(init=False)
    starts: str = field(init=False)
    ends: str = field(init=False)
    created: str = field(init=False)
    requests: int = field(init=False)
    booked: int = field(init=False)
    rate: float = field(init=False)
    haystack: str = field(init=False)
    team_key: str = field(init=False)
    name_key: str = field(init=False)
    slug_key: str = field(init=False)
    email_key: str = field(init=False)
    created_key: float = field(init=False)
    start_key: float = field(init=False)
    rate_key: int = field(init=False)
    requests_key: int = field(init=False)

    @classmethod
    def build(cls, campaign: Campaign, arrival: int, now: datetime) -> Row:
        row = cls(campaign.id, arrival)
        row.update(campaign, now)
        return row

    def update(self, campaign: Campaign, now: datetime) -> None:
        self.campaign = campaign
        self.name_key = campaign.name.casefold()
        self.team_key = campaign.team_name.casefold()
        self.slug_key = campaign.slug.casefold()
        self.email_key = (campaign.email_address or "").casefold()
        self.haystack = "\n".join((self.name_key, self.slug_key, self.team_key,
                                   (campaign.description or "").casefold(), self.email_key))
        self.name = safe(campaign.name)
        self.team = safe(campaign.team_name)
        self.status = campaign_status(deactivated_at=campaign.deactivated_at,
                                      starts_at=campaign.starts_at, ends_at=campaign.ends_at,
                                      now=now)
        self.active = campaign.active
        self.starts = short_date(campaign.starts_at)
        self.ends = short_date(campaign.ends_at)
        self.created = short_date(campaign.created_at)
        self.requests = campaign.meeting_request_count
        self.booked = campaign.meetings_booked_count
        self.rate = campaign.booking_rate
        # One value per sort: sorted() is stable and rows are kept in arrival order, so equal
        # keys stay in the server's order without a tuple per row.
        self.created_key = -campaign.created_at.timestamp()
        self.start_key = campaign.starts_at.timestamp() if campaign.starts_at else _FAR_FUTURE
        self.rate_key = -(round(self.rate * 10) * 10**12 + min(self.requests, 10**12 - 1))
        self.requests_key = -self.requests


_SORT_ATTRIBUTE: dict[SortKey, str] = {"created": "created_key", "name": "name_key",
                                       "rate": "rate_key", "requests": "requests_key",
                                       "start": "start_key"}


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
            if known is not None:
                known.update(campaign, now)
            else:
                self._rows[campaign.id] = Row.build(campaign, self._next_arrival, now)
                self._next_arrival += 1
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
            # The dict keeps first-arrival order: equal keys stay in the server's order.
            key = attrgetter(_SORT_ATTRIBUTE[sort])
            cached = (self._version, sorted(self._rows.values(), key=key))
            self._sorted[sort] = cached
        return cached[1][::-1] if reverse else cached[1]

    @staticmethod
    def totals(rows: Iterable[Row]) -> Totals:
        rows = rows if isinstance(rows, list) else list(rows)
        return Totals(len(rows), sum(map(attrgetter("requests"), rows)),
                      sum(map(attrgetter("booked"), rows)))


def spec_for(text: str, *, active_only: bool, sort: SortKey, reverse: bool) -> ViewSpec:
    return ViewSpec(parse(text), active_only, sort, reverse)

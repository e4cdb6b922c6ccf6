"""The list's data: every loaded campaign keyed by id, and the filtered, sorted view of them.

Pages merge in by id (update in place, add; a finished refresh drops what the server no longer
has), so a row's identity survives every reload. Each row carries what the screen and the filter
need, computed once when it arrives: safe display strings and lower-case search text. The view
is cached per sort, and a filter that only narrows the previous one filters that result instead
of every row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, is_not, itemgetter
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal

from skipup_campaigns.display.dates import Status, campaign_status, short_date, wire
from skipup_campaigns.workspace.filtering import Query, matches, parse
from skipup_campaigns.display.safe_text import safe

if TYPE_CHECKING:  # pydantic stays off the path to the first frame
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.history.store import Counts

SortKey = Literal["created", "name", "rate", "requests", "start", "gained"]
SORT_KEYS: tuple[SortKey, ...] = ("created", "name", "rate", "requests", "start", "gained")
SORT_LABELS: dict[SortKey, str] = {"created": "created", "name": "name", "rate": "booking rate",
                                   "requests": "requests", "start": "start", "gained": "Δ"}
_NO_GAIN = float("inf")
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc).timestamp()


def _stamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _moment(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, timezone.utc)


@dataclass(slots=True, eq=False)
class Row:
    """One campaign as the list shows, searches and sorts it: plain values computed once when
    the campaign arrives, so per-keystroke and per-sort work touches no model. No model is
    kept either (a pydantic object per campaign costs ~1.7 kB): `campaign` rebuilds one when a
    screen needs it.

    A row object lives as long as its campaign is loaded: a refresh updates it in place, so
    the table can find its cursor row by identity."""

    id: str
    arrival: int
    """Position in the server's order (newest first) when first seen: the tie-breaker."""
    name: str = field(init=False)
    """The name made safe for the screen (server text is never drawn raw)."""
    raw_name: str = field(init=False)
    slug: str = field(init=False)
    description: str | None = field(init=False)
    email_address: str | None = field(init=False)
    team_id: str = field(init=False)
    team: str = field(init=False)
    """The team's name, made safe for the screen."""
    raw_team: str = field(init=False)
    active: bool = field(init=False)
    status: Status = field(init=False)
    requests: int = field(init=False)
    booked: int = field(init=False)
    rate: float = field(init=False)
    starts_at: float | None = field(init=False)
    ends_at: float | None = field(init=False)
    deactivated_at: float | None = field(init=False)
    created_at: float = field(init=False)
    updated_at: float = field(init=False)
    haystack: str = field(init=False)
    """name, slug, team, description and e-mail, case-folded, for the filter's words."""
    name_key: str = field(init=False)
    team_key: str = field(init=False)
    created_key: float = field(init=False)
    start_key: float = field(init=False)
    rate_key: int = field(init=False)
    requests_key: int = field(init=False)

    @classmethod
    def build(cls, campaign: Campaign, arrival: int, now: datetime,
              shared: dict[str, str] | None = None) -> Row:
        row = cls(campaign.id, arrival)
        row.update(campaign, now, shared)
        return row

    def update(self, campaign: Campaign, now: datetime,
               shared: dict[str, str] | None = None) -> None:
        """Take the campaign's values. `shared` interns strings many rows repeat (team names)
        so 100,000 rows hold one copy of each."""
        intern = (lambda text: shared.setdefault(text, text)) if shared is not None else str
        self.raw_name = campaign.name
        self.name = _same_if_equal(safe(campaign.name), campaign.name)
        self.slug = campaign.slug
        self.description = campaign.description
        self.email_address = campaign.email_address
        self.team_id = intern(campaign.team_id)
        self.raw_team = intern(campaign.team_name)
        self.team = intern(safe(campaign.team_name))
        self.team_key = intern(campaign.team_name.casefold())
        self.name_key = campaign.name.casefold()
        self.haystack = "\n".join((self.name_key, campaign.slug.casefold(), self.team_key,
                                   (campaign.description or "").casefold(),
                                   (campaign.email_address or "").casefold()))
        self.status = campaign_status(deactivated_at=campaign.deactivated_at,
                                      starts_at=campaign.starts_at, ends_at=campaign.ends_at,
                                      now=now)
        self.active = campaign.active
        self.requests = campaign.meeting_request_count
        self.booked = campaign.meetings_booked_count
        self.rate = campaign.booking_rate
        self.starts_at = _stamp(campaign.starts_at)
        self.ends_at = _stamp(campaign.ends_at)
        self.deactivated_at = _stamp(campaign.deactivated_at)
        self.created_at = campaign.created_at.timestamp()
        self.updated_at = campaign.updated_at.timestamp()
        # One value per sort: sorted() is stable and rows are kept in arrival order, so equal
        # keys stay in the server's order without a tuple per row.
        self.created_key = -self.created_at
        self.start_key = self.starts_at if self.starts_at is not None else _FAR_FUTURE
        self.rate_key = -(round(self.rate * 10) * 10**12 + min(self.requests, 10**12 - 1))
        self.requests_key = -self.requests

    @property
    def slug_key(self) -> str:
        return self.slug.casefold()

    @property
    def email_key(self) -> str:
        return (self.email_address or "").casefold()

    @property
    def starts(self) -> str:
        return short_date(_moment(self.starts_at))

    @property
    def ends(self) -> str:
        return short_date(_moment(self.ends_at))

    @property
    def created(self) -> str:
        return short_date(_moment(self.created_at))

    def values(self) -> dict[str, Any]:
        """The campaign's fields (`fields.CAMPAIGN_FIELDS`, in that order), moments as
        datetimes: what `wire` and `campaign` are made from."""
        return {
            "id": self.id, "name": self.raw_name, "slug": self.slug,
            "description": self.description, "email_address": self.email_address,
            "team_id": self.team_id, "team_name": self.raw_team, "active": self.active,
            "starts_at": _moment(self.starts_at), "ends_at": _moment(self.ends_at),
            "deactivated_at": _moment(self.deactivated_at),
            "meeting_request_count": self.requests, "meetings_booked_count": self.booked,
            "booking_rate": self.rate, "created_at": _moment(self.created_at),
            "updated_at": _moment(self.updated_at),
        }

    def wire(self) -> dict[str, Any]:
        """The campaign as the API sends it (for the list cache)."""
        return {key: wire(value) if isinstance(value, datetime) else value
                for key, value in self.values().items()}

    @property
    def campaign(self) -> Campaign:
        """The campaign as last received (rebuilt, not kept: see the class docstring)."""
        from skipup_campaigns.api.models import Campaign

        return Campaign.model_construct(**self.values())


def _same_if_equal(made: str, original: str) -> str:
    """Keep one string object when making it safe changed nothing."""
    return original if made == original else made


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
        self._shared: dict[str, str] = {}
        self._next_arrival = 0
        self._version = 0
        self._sorted: dict[SortKey, tuple[int, list[Row]]] = {}
        self._last: tuple[int, ViewSpec, list[Row]] | None = None
        self.baseline: Mapping[str, Counts] = {}
        """Each campaign's counts at the Δ window's start (the history's `Counts`: requests,
        booked, …); a campaign absent has no sample that old (its Δ is shown empty, not
        zero)."""

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
                known.update(campaign, now, self._shared)
            else:
                self._rows[campaign.id] = Row.build(campaign, self._next_arrival, now,
                                                    self._shared)
                self._next_arrival += 1
        self._version += 1

    def retain(self, ids: set[str]) -> None:
        """Drop every campaign not in `ids` (after a complete refresh)."""
        gone = [campaign_id for campaign_id in self._rows if campaign_id not in ids]
        for campaign_id in gone:
            del self._rows[campaign_id]
        if gone:
            self._version += 1

    def set_baseline(self, baseline: Mapping[str, Counts]) -> None:
        """Count the Δ from these counts (the history's, at the window's start)."""
        self.baseline = baseline
        self._version += 1  # the Δ sort changes

    def gained(self, row: Row) -> tuple[int, int] | None:
        """(requests, booked) the campaign gained since the baseline; None without one."""
        then = self.baseline.get(row.id)
        return None if then is None else (row.requests - then.requests,
                                          row.booked - then.booked)

    def gained_total(self, rows: list[Row]) -> tuple[int, int] | None:
        """The Δ of `rows` summed over those with a baseline; None when none has one. In C
        loops (map, compress): the summary runs this on every keystroke of the filter."""
        baseline = self.baseline
        if not baseline or not rows:
            return None
        thens = list(map(baseline.get, map(attrgetter("id"), rows)))
        known = list(compress(rows, map(is_not, thens, repeat(None))))
        if not known:
            return None
        thens = list(filter(None, thens))
        return (sum(map(attrgetter("requests"), known)) - sum(map(itemgetter(0), thens)),
                sum(map(attrgetter("booked"), known)) - sum(map(itemgetter(1), thens)))

    def rows(self) -> list[Row]:
        """Every loaded row, in the server's order of first arrival."""
        return list(self._rows.values())

    def view_all_by_name(self) -> list[Row]:
        """Every loaded campaign, by name (for jumping to one)."""
        return self._ordered("name", False)

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
            key = self._gained_key() if sort == "gained" else attrgetter(_SORT_ATTRIBUTE[sort])
            cached = (self._version, sorted(self._rows.values(), key=key))
            self._sorted[sort] = cached
        return cached[1][::-1] if reverse else cached[1]

    def _gained_key(self) -> Callable[[Row], float]:
        """Most gained first; campaigns without a baseline after every one with."""
        baseline = self.baseline

        def key(row: Row) -> float:
            then = baseline.get(row.id)
            return _NO_GAIN if then is None else then.requests - row.requests

        return key

    @staticmethod
    def totals(rows: Iterable[Row]) -> Totals:
        rows = rows if isinstance(rows, list) else list(rows)
        return Totals(len(rows), sum(map(attrgetter("requests"), rows)),
                      sum(map(attrgetter("booked"), rows)))


def spec_for(text: str, *, active_only: bool, sort: SortKey, reverse: bool) -> ViewSpec:
    return ViewSpec(parse(text), active_only, sort, reverse)

"""The list's data: every loaded campaign keyed by id, and the filtered, sorted view of them.

Pages merge in by id (update in place, add; a finished refresh drops what the server no longer
has), so a row's identity survives every reload. Each row carries what the screen and the filter
need, computed once when it arrives: safe display strings and lower-case search text. The sort
orders, the active-only lists, the totals and recent filter results are kept and extended page
by page (see `CampaignCollection`), so loading costs in proportion to what arrives, and a
keystroke that narrows filters the previous result while one that widens finds its result kept.
"""

from __future__ import annotations

from bisect import insort_right
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime, timezone
from math import copysign
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from skipup_campaigns.display.dates import STATUSES, Status, short_date, wire
from skipup_campaigns.display.rates import percent_value
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.plain_record import FrozenRecord, Record, replace
from skipup_campaigns.workspace.filtering import Query, matches, parse

if TYPE_CHECKING:  # pydantic stays off the path to the first frame
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.history.store import Counts

SortKey = Literal[
    "created",
    "name",
    "rate",
    "requests",
    "start",
    "gained",
    "end",
    "booked",
    "updated",
    "slug",
    "team",
    "status",
    "email",
    "id",
]
SORT_KEYS: tuple[SortKey, ...] = ("created", "name", "rate", "requests", "start", "gained")
"""What `s` steps through by default."""
ALL_SORTS: tuple[SortKey, ...] = get_args(SortKey)
"""Every sort (one per column a view can show), `SORT_KEYS` first."""
assert ALL_SORTS[: len(SORT_KEYS)] == SORT_KEYS
SORT_LABELS: dict[SortKey, str] = {
    "created": "created",
    "name": "name",
    "rate": "booking rate",
    "requests": "requests",
    "start": "start",
    "gained": "Δ",
    "end": "end",
    "booked": "booked",
    "updated": "updated",
    "slug": "slug",
    "team": "team",
    "status": "status",
    "email": "e-mail",
    "id": "id",
}
DESCENDING_SORTS = frozenset({"created", "rate", "requests", "gained", "booked", "updated"})
"""Sorts whose natural order is the biggest (or newest) first."""


def sort_arrow(sort: SortKey, reverse: bool) -> str:
    """The sort's direction as the list shows it, in the column's header and the top bar
    alike: "↓" descending (Z to A, the biggest or newest first), "↑" ascending."""
    return "↓" if (sort in DESCENDING_SORTS) != reverse else "↑"


_NO_GAIN = float("inf")
ARRIVAL_RUN_BITS = 8
_ARRIVAL_STEPS = (1 << ARRIVAL_RUN_BITS) - 1
"""A row's step within its run of arrivals (0..255): a run's places are written once."""
_MAX_TIE = 10**12 - 1
"""The requests that break a tie of rates (within `rate_key`, below its rate's place)."""
MAX_SHARED_RATES = MAX_SHARED_LAYOUTS = 4096
"""Distinct booking rates and text layouts kept one copy each (past that, each row keeps
its own)."""
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc).timestamp()


def _moment(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, timezone.utc)


_PLACE_DIGITS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
"""Nine ASCII whitespace characters, in ascending order and all below a space: the digits of
a row's place in the server's order in its search text (see `_BY_SEARCH_TEXT`), where no
filter word can match them (words hold no whitespace; a phrase's words, single spaces)."""


def _place_digits(number: int, width: int = 0) -> str:
    """`number` in base 9 written in `_PLACE_DIGITS`, at least `width` digits."""
    digits: list[str] = []
    while number or len(digits) < max(width, 1):
        number, digit = divmod(number, len(_PLACE_DIGITS))
        digits.append(_PLACE_DIGITS[digit])
    return "".join(reversed(digits))


assert len(_PLACE_DIGITS) ** 3 >= 1 << ARRIVAL_RUN_BITS, "a step's code is three digits"
_STEP_CODES = tuple(_place_digits(step, 3) for step in range(1 << ARRIVAL_RUN_BITS))


def _run_code(run: int) -> str:
    """A run of arrivals as text that orders as the numbers do: its count of digits, then
    its digits; a step's code (`_STEP_CODES`, always three digits) follows it."""
    digits = _place_digits(run)
    assert len(digits) <= len(_PLACE_DIGITS)  # (9**9 runs of 256 arrivals)
    return f"{_PLACE_DIGITS[len(digits) - 1]}{digits}"


def _orders_below_a_space(text: str) -> bool:
    return any(character < " " for character in text)


class Row:
    """One campaign as the list shows, searches and sorts it: plain values computed once when
    the campaign arrives, so per-keystroke and per-sort work touches no model. No model is
    kept either (a pydantic object per campaign costs ~1.7 kB): `campaign` rebuilds one when a
    screen needs it.

    A row object lives as long as its campaign is loaded: a refresh updates it in place, so
    the table can find its cursor row by identity."""

    # Slots, not a dataclass: one less class made at start (a slotted dataclass is made twice).
    __slots__ = (
        "id",
        "_text",
        "_layout",
        "team_id",
        "_team",
        "active",
        "status",
        "requests",
        "booked",
        "rate",
        "starts_at",
        "ends_at",
        "deactivated_at",
        "created_at",
        "updated_at",
        "haystack",
        "team_key",
        "start_key",
        "rate_key",
    )

    id: str
    _text: str
    """The name as received, the slug, the description and the e-mail address end to end
    (see `raw_name`): one string where four would each cost ~50 bytes of their own beside
    their text. The slug and the address are left out where `haystack` holds them as
    received (lower case: the usual address, and the slug it is made from)."""
    _layout: _Layout
    """Where `_text` and `haystack` divide: the lengths of the name, the slug, the
    description (-1: none) and the e-mail address (-1: none), and of the folded name that
    opens `haystack` (`name_key`); then where the slug is (0: in `_text`, else that many
    characters from the end of `haystack`, in the address) and whether the address is in
    `_text` (else at the end of `haystack`). One tuple shared by the rows laid out alike
    (one slot where seven put each row in the next size of memory block)."""
    team_id: str
    _team: tuple[str, str, str]
    """The team's name as received, made safe to show, and case-folded: one tuple per team,
    shared by its rows (`SharedText.team`)."""
    active: bool
    status: Status
    requests: int
    booked: int
    rate: float
    starts_at: float | None
    ends_at: float | None
    deactivated_at: float | None
    created_at: float
    updated_at: float
    haystack: str
    """name, slug, team, description and e-mail, case-folded, for the filter's words; the
    name is followed by the row's place in the server's order, so the text is also the name
    sort's key (see `_BY_SEARCH_TEXT`)."""
    team_key: str
    start_key: float
    rate_key: int

    @classmethod
    def build(
        cls, campaign: Campaign, arrival: int, now: float, shared: SharedText | None = None
    ) -> Row:
        """A row for a campaign first seen at `arrival` (its place in the server's order)."""
        if shared is None:
            shared = SharedText()
        row = cls.__new__(cls)  # (not through __init__: one call fewer for every campaign)
        row.id = campaign.id
        row.update(campaign, now, shared, shared.place(arrival))
        return row

    @property
    def place(self) -> str:
        """The row's place in the server's order (newest first) when first seen, as its
        search text writes it after the name (see `_BY_SEARCH_TEXT`): the tie-breaker. Kept
        only there (two slots a row were the next size of memory block)."""
        haystack, start = self.haystack, self._layout[4]
        # Its count of run digits, the run's digits, then three for the step.
        return haystack[start : start + _PLACE_DIGITS.index(haystack[start]) + 5]

    @property
    def arrival(self) -> int:
        """`place` as a number: 0 for the first row ever loaded, then 1, 2, ..."""
        number = 0
        for digit in self.place[1:]:
            number = number * len(_PLACE_DIGITS) + _PLACE_DIGITS.index(digit)
        run, step = divmod(number, len(_PLACE_DIGITS) ** 3)
        return run << ARRIVAL_RUN_BITS | step

    def update(
        self,
        campaign: Campaign,
        now: float,
        shared: SharedText | None = None,
        place: str | None = None,
    ) -> None:
        """Take the campaign's values as of `now` (POSIX seconds: its status). `shared` keeps
        one copy of what many rows repeat (team ids, and each team's name as received, shown
        and folded), so 100,000 rows hold one of each and work each out once."""
        # Locals, and calls only where a campaign is unusual: this runs once per campaign of
        # every page.
        if shared is None:
            shared = SharedText()
        if place is None:  # (a known row keeps its place; read before its text changes)
            place = self.place
        name, team_name, slug = campaign.name, campaign.team_name, campaign.slug
        description, email = campaign.description, campaign.email_address
        starts, ends, deactivated = (campaign.starts_at, campaign.ends_at, campaign.deactivated_at)
        name_key, slug_key = name.casefold(), slug.casefold()
        if email is None:
            email = email_key = ""
            email_length, email_in_text = -1, False
        else:
            email_key = email.casefold()
            email_length, email_in_text = len(email), email != email_key
        # The usual slug is the start of the e-mail address: the search text leaves it out
        # (a word found in it is found in the address), and a lower-case one is read from
        # there (see `slug`).
        slug_at = email_key.find(slug_key)
        slug_from_end = (
            len(email_key) - slug_at if slug_at >= 0 and slug and slug == slug_key else 0
        )
        layout = (
            len(name),
            len(slug),
            -1 if description is None else len(description),
            email_length,
            len(name_key),
            slug_from_end,
            email_in_text,
        )
        kept_layout = shared.layouts.get(layout)
        if kept_layout is None:
            if len(shared.layouts) < MAX_SHARED_LAYOUTS:
                shared.layouts[layout] = layout
        else:
            layout = kept_layout
        self._layout = layout
        if description is None:
            description = ""
        self._text = (
            f"{name}{'' if slug_from_end else slug}{description}{email if email_in_text else ''}"
        )
        team_id = campaign.team_id
        self.team_id = shared.team_ids.setdefault(team_id, team_id)
        team = shared.teams.get(team_name)
        if team is None:
            team = shared.team(team_name)
        self._team = team
        self.team_key = team[2]
        # The name, its place (whitespace: it also parts the name from what follows), then
        # the rest.
        self.haystack = (
            f"{name_key}{place}{team[2]}\n{description.casefold()}\n{email_key}"
            if slug_at >= 0
            else f"{name_key}{place}{slug_key}\n{team[2]}\n{description.casefold()}\n{email_key}"
        )
        # The rare name the text cannot order (see `_BY_SEARCH_TEXT`). (A printable name has
        # no control character, nor has its folded form.)
        if not name.isprintable() and _orders_below_a_space(name_key):
            shared.low_names.add(self.id)
        elif shared.low_names:
            shared.low_names.discard(self.id)
        # Each moment converted once; the status compares the floats (comparing aware
        # datetimes asks each for its offset: ~0.5 µs a campaign).
        self.starts_at = starts_at = None if starts is None else starts.timestamp()
        self.ends_at = ends_at = None if ends is None else ends.timestamp()
        self.deactivated_at = None if deactivated is None else deactivated.timestamp()
        # `status_at`, inline (a call with its keywords was ~0.1 µs of each campaign's row).
        if deactivated is not None:
            self.status = "deactivated"
        elif ends_at is not None and ends_at <= now:
            self.status = "ended"
        elif starts_at is not None and starts_at > now:
            self.status = "scheduled"
        else:
            self.status = "active"
        self.active = campaign.active
        self.requests = requests = campaign.meeting_request_count
        self.booked = campaign.meetings_booked_count
        rate = campaign.booking_rate
        kept = shared.rates.get(rate)
        if kept is None:
            rate_place = -round(rate * 10) * 10**12
            if len(shared.rates) < MAX_SHARED_RATES:
                shared.rates[rate] = (rate, rate_place)
        else:
            # (Its sort key's multi-digit product made once a rate: ~1,100 instructions.)
            kept_rate, rate_place = kept
            if rate or copysign(1.0, rate) == copysign(1.0, kept_rate):  # (0.0 == -0.0)
                rate = kept_rate
        self.rate = rate
        created, updated = campaign.created_at, campaign.updated_at
        self.created_at = created_at = created.timestamp()
        # Never edited: one float for both (24 bytes a campaign; a record gives one datetime).
        if updated is created:
            self.updated_at = created_at
        else:
            updated_at = updated.timestamp()
            self.updated_at = created_at if updated_at == created_at else updated_at
        # One value per sort: sorted() is stable and rows are kept in arrival order, so equal
        # keys stay in the server's order without a tuple per row.
        self.start_key = starts_at if starts_at is not None else _FAR_FUTURE
        self.rate_key = rate_place - (requests if requests < _MAX_TIE else _MAX_TIE)

    @property
    def raw_name(self) -> str:
        """The name as received."""
        return self._text[: self._layout[0]]

    @property
    def name(self) -> str:
        """The name made safe for the screen (server text is never drawn raw)."""
        name = self.raw_name
        # Printable text is already safe (display/safe_text.py): the usual name is as is.
        return name if name.isprintable() else safe(name)

    @property
    def name_key(self) -> str:
        """The name case-folded: what the name sort and the `name:` term read."""
        return self.haystack[: self._layout[4]]

    def find_in_name(self, folded: str) -> int:
        """Where `folded` first occurs in `name_key` (-1: nowhere), without making it."""
        return self.haystack.find(folded, 0, self._layout[4])

    @property
    def raw_team(self) -> str:
        return self._team[0]

    @property
    def team(self) -> str:
        """The team's name, made safe for the screen."""
        return self._team[1]

    @property
    def created_key(self) -> float:
        return -self.created_at

    @property
    def requests_key(self) -> int:
        return -self.requests

    @property
    def slug(self) -> str:
        name_length, slug_length, _, _, _, from_end, _ = self._layout
        if from_end:
            haystack = self.haystack
            start = len(haystack) - from_end
            return haystack[start : start + slug_length]
        return self._text[name_length : name_length + slug_length]

    @property
    def description(self) -> str | None:
        name_length, slug_length, length, _, _, from_end, _ = self._layout
        start = name_length if from_end else name_length + slug_length
        return None if length < 0 else self._text[start : start + length]

    @property
    def email_address(self) -> str | None:
        _, _, _, length, _, _, in_text = self._layout
        if length < 0:
            return None
        text = self._text if in_text else self.haystack
        return text[len(text) - length :]

    @property
    def slug_key(self) -> str:
        name_length, slug_length, _, _, _, from_end, _ = self._layout  # (inline: a sort's key)
        if from_end:
            haystack = self.haystack
            start = len(haystack) - from_end
            return haystack[start : start + slug_length]  # (lower case already)
        return self._text[name_length : name_length + slug_length].casefold()

    @property
    def end_key(self) -> float:
        return self.ends_at if self.ends_at is not None else _FAR_FUTURE

    @property
    def booked_key(self) -> int:
        return -self.booked

    @property
    def updated_key(self) -> float:
        return -self.updated_at

    @property
    def status_key(self) -> int:
        return STATUSES.index(self.status)

    @property
    def updated(self) -> str:
        return short_date(_moment(self.updated_at))

    @property
    def email(self) -> str:
        """The e-mail address made safe for the screen ("–" for none)."""
        return safe(self.email_address) if self.email_address else "–"

    @property
    def email_key(self) -> str:
        _, _, _, length, _, _, in_text = self._layout  # (inline: a sort's key per row)
        if length < 0:
            return ""
        if in_text:
            text = self._text
            return text[len(text) - length :].casefold()
        haystack = self.haystack
        return haystack[len(haystack) - length :]  # (lower case already)

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
        text = self._text
        name_end, _, description_length, _, _, from_end, _ = self._layout
        start = name_end if from_end else name_end + self._layout[1]
        return {
            "id": self.id,
            "name": text[:name_end],
            "slug": self.slug,
            "description": (
                None if description_length < 0 else text[start : start + description_length]
            ),
            "email_address": self.email_address,
            "team_id": self.team_id,
            "team_name": self.raw_team,
            "active": self.active,
            "starts_at": _moment(self.starts_at),
            "ends_at": _moment(self.ends_at),
            "deactivated_at": _moment(self.deactivated_at),
            "meeting_request_count": self.requests,
            "meetings_booked_count": self.booked,
            "booking_rate": self.rate,
            "created_at": _moment(self.created_at),
            "updated_at": _moment(self.updated_at),
        }

    def wire(self) -> dict[str, Any]:
        """The campaign as the API sends it (for the list cache)."""
        return {
            key: wire(value) if isinstance(value, datetime) else value
            for key, value in self.values().items()
        }

    @property
    def campaign(self) -> Campaign:
        """The campaign as last received (rebuilt, not kept: see the class docstring)."""
        from skipup_campaigns.api.models import Campaign

        return Campaign.model_construct(**self.values())


_Layout = tuple[int, int, int, int, int, int, bool]
"""A row's `_layout`."""


class SharedText:
    """Strings many rows repeat, one copy each (see `Row.update`)."""

    __slots__ = ("team_ids", "teams", "rates", "layouts", "run", "places", "low_names")

    def __init__(self) -> None:
        self.layouts: dict[_Layout, _Layout] = {}
        """Rows' `_layout`s (a few hundred lengths of names, slugs and descriptions in
        practice)."""
        self.rates: dict[float, tuple[float, int]] = {}
        """Booking rates (a percent to one decimal: at most 1,001 of them in practice), each
        with its place in the rate sort's key (`rate_key` without the requests)."""
        self.team_ids: dict[str, str] = {}
        self.teams: dict[str, tuple[str, str, str]] = {}
        """A team's name as received -> (as received, made safe to show, case-folded)."""
        self.run = -1
        self.places: tuple[str, ...] = ()
        """The last run of arrivals a row was made for, and each of its steps' places in the
        server's order as a search text writes them (see `_BY_SEARCH_TEXT`)."""
        self.low_names: set[str] = set()
        """The ids of rows whose folded name has a character below a space (a control
        character: their search text cannot be their name sort's key)."""

    def place(self, arrival: int) -> str:
        """`Row.place` of the row first seen at `arrival`."""
        if arrival >> ARRIVAL_RUN_BITS != self.run:
            self.start_run(arrival >> ARRIVAL_RUN_BITS)
        return self.places[arrival & _ARRIVAL_STEPS]

    def start_run(self, run: int) -> None:
        """Rows of another run of arrivals come: write its places once."""
        code = _run_code(run)
        self.run, self.places = run, tuple(f"{code}{step}" for step in _STEP_CODES)

    def team(self, name: str) -> tuple[str, str, str]:
        """A team name's three forms, worked out the first time it is seen."""
        shown = safe(name)
        team = (name, name if shown == name else shown, name.casefold())
        self.teams[name] = team
        return team


def _same_if_equal(made: str, original: str) -> str:
    """Keep one string object when making it safe changed nothing."""
    return original if made == original else made


_SORT_ATTRIBUTE: dict[SortKey, str] = {
    "created": "created_key",
    "name": "name_key",
    "rate": "rate_key",
    "requests": "requests_key",
    "start": "start_key",
    "end": "end_key",
    "booked": "booked_key",
    "updated": "updated_key",
    "slug": "slug_key",
    "team": "team_key",
    "status": "status_key",
    "email": "email_key",
    "id": "id",
}


class ViewSpec(FrozenRecord):
    query: Query = Query()
    active_only: bool = True
    sort: SortKey = "created"
    reverse: bool = False


class Totals(FrozenRecord):
    campaigns: int
    requests: int
    booked: int

    @property
    def rate(self) -> float:
        """Booked over requests, rounded half up as the report rounds it (0.0: no requests)."""
        return percent_value(self.booked, self.requests)

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            self.campaigns + other.campaigns,
            self.requests + other.requests,
            self.booked + other.booked,
        )

    def __sub__(self, other: Totals) -> Totals:
        return Totals(
            self.campaigns - other.campaigns,
            self.requests - other.requests,
            self.booked - other.booked,
        )


MAX_CACHED_FILTERS = 24
"""Filter results kept per collection (the keystrokes just typed, so backspace finds its
answer instead of filtering every row again)."""


def _sum(rows: list[Row]) -> Totals:
    return Totals(
        len(rows), sum(map(attrgetter("requests"), rows)), sum(map(attrgetter("booked"), rows))
    )


def _matching(rows: list[Row], query: Query) -> list[Row]:
    """The rows `query` matches (a new list; `marked` aside). Plain words, the usual filter,
    are tested inline one word at a time, each pass over what the last one kept: about three
    times faster over 100,000 rows than a call of `matches` per row; comparisons likewise,
    each one pass in C (`Comparison.select`)."""
    if query.qualifiers:
        textual = replace(query, comparisons=())
        rows = [row for row in rows if matches(row, textual)]
    else:
        for word in query.words:
            rows = [row for row in rows if word in row.haystack]
    for compared in query.comparisons:
        rows = compared.select(rows)
    return rows


def _matching_totals(rows: list[Row], query: Query) -> tuple[list[Row], Totals]:
    """`_matching` and the totals of what it keeps. For plain words (no comparison) the
    last word's pass sums the counts as it goes: reading a row's counts while the row is at
    hand is half the cost of two more passes over the result (100,000 rows, the cyclic
    collector's freezing leaves them spread over the heap: ~4 ms of ~8)."""
    if query.qualifiers or query.comparisons or not query.words:
        rows = _matching(rows, query)
        return rows, _sum(rows)
    *narrowing, last = query.words
    for word in narrowing:
        rows = [row for row in rows if word in row.haystack]
    kept: list[Row] = []
    keep = kept.append
    requests = booked = 0
    for row in rows:
        if last in row.haystack:
            keep(row)
            requests += row.requests
            booked += row.booked
    return kept, Totals(len(kept), requests, booked)


def _filter_fields(row: Row) -> tuple[object, ...]:
    """What decides whether a row is in a view (apart from its sort position): the search
    text and the row's own text with their layout hold every text a filter reads (the name,
    slug and address as the qualifiers fold them), read as they are kept, without slicing."""
    return (
        row.active,
        row.haystack,
        row._text,  # noqa: SLF001 - the row's own storage, in its module
        row._layout,  # noqa: SLF001
        row.status,
        row.team_key,
        row.team_id,
    )


def _compared_fields(row: Row) -> tuple[object, ...]:
    """What the filter's comparisons read (they change more often: counts, `updated`)."""
    return (
        row.requests,
        row.booked,
        row.rate,
        row.starts_at,
        row.ends_at,
        row.created_at,
        row.updated_at,
    )


_BY_SEARCH_TEXT = attrgetter("haystack")
"""The name sort's key: a row's search text opens with its folded name, then its place in
the server's order in digits that are whitespace below a space and order as the numbers do.
Unless a name holds a character below a space (a control character), comparing two texts
compares the names (a name that is another's start meets a digit, below any character of
the other), and equal names by their place: the order of a stable sort by name from
arrival order, without a folded name kept beside the text (~70 bytes a row)."""


def _name_sort_key(row: Row) -> tuple[str, str]:
    """The name sort's key while a name holds such a character (the same order, slower)."""
    return (row.name_key, row.place)


_DESCENDING_BY: dict[SortKey, str] = {"created": "created_at", "requests": "requests"}
"""Sorts whose key is one attribute negated: sorted by the attribute, biggest first, at C
speed (`reverse` keeps equal keys in their order, as the negated key did), rather than each
row keeping the negated value (a float or an int each: ~50 bytes a campaign)."""

_ROW_SORTS: tuple[SortKey, ...] = tuple(_SORT_ATTRIBUTE)
"""The sorts by a row's own value (the Δ sort also reads the baseline)."""


def _sort_fields(row: Row, sorts: tuple[SortKey, ...]) -> tuple[object, ...]:
    return tuple(getattr(row, _SORT_ATTRIBUTE[sort]) for sort in sorts)


MARKED_FEW = 8
"""Marks fewer than the rows by this factor are put through the view themselves (sorted, not
picked out of the whole sorted list)."""


class _Ordering:
    """Every row in one sort's order, and the active ones among them (made when first asked).
    `handed_out`: which of the two lists a view has handed out (see `_hand_out`)."""

    __slots__ = ("rows", "active", "handed_out")

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.active: list[Row] | None = None
        self.handed_out: set[str] = set()


_Gains = tuple[int, int, int]
"""The Δ of some rows: how many have a baseline, and the requests and booked they gained."""


class _Filtered(Record):
    """One filter's result over the rows that had arrived when it was last brought up to
    date (the first `seen` of the arrivals)."""

    seen: int
    rows: list[Row]
    totals: Totals
    counts_version: int
    gains: _Gains | None = None
    """The Δ summed over `rows`, once asked for (kept up to date like `totals` after that)."""
    handed_out: bool = False
    """`rows` was handed out as a view: it is replaced, never changed (see `_hand_out`)."""


class _Shown(Record):
    """The last view handed out, with what its Δ total is made from (see `gained_total`)."""

    version: int
    spec: ViewSpec
    rows: list[Row]
    totals: Totals
    counts_version: int
    baseline_version: int
    gains: _Gains | None
    """The Δ of `rows` when the view was made (None: not known yet)."""
    filtered: _Filtered | None
    """The kept filter result `rows` came from, as of `seen` arrivals."""
    seen: int


class CampaignCollection:
    """Loaded campaigns by id, plus the views of them.

    Each page costs in proportion to the page, not to what is loaded. A page's new rows are
    sorted among themselves and put into each kept sort order: appended when they all come
    after it (the server's newest-first order means they do for the default sort), else
    inserted by bisection (or, for a page large beside the list, merged by one two-run sort).
    New rows never reorder the old ones, so the active-only lists, the totals and the results
    of recent filters are brought up to date with the new rows only; a change to a known row
    that moves it in a sort, or in or out of a filter, drops what it affects. Nothing handed
    out is changed afterwards (the table's cursor relies on it): a view is the kept list
    itself, and a kept list once handed out is copied before rows are put into it.
    `touched` counts the rows each sort, filter and sum goes through (a bisection counts its
    steps): the unit tests read it to catch a per-page cost that grows with the list."""

    def __init__(self) -> None:
        self._rows: dict[str, Row] = {}
        self._arrivals: list[Row] = []
        """The rows in arrival order (what the kept results take new rows from)."""
        self._shared = SharedText()
        self._unseen: set[str] | None = None
        """While a pass is open (`begin_pass`): the loaded ids its pages have not brought."""
        self._open_pass: object | None = None
        """The open pass's token: only its own `end_pass` ends it."""
        self._next_arrival = 0
        self._version = 0
        self._orderings: dict[SortKey, _Ordering] = {}
        self._filtered: dict[tuple[SortKey, bool, Query], _Filtered] = {}
        self._counts_version = 0
        self._counts = [0, 0, 0, 0, 0, 0]
        """campaigns, requests, booked: of every row, then of the active ones."""
        self._gains = [0, 0, 0, 0, 0, 0]
        """The Δ (see `_Gains`) of every row, then of the active ones."""
        self._baseline_version = 0
        self._last: _Shown | None = None
        self.touched = 0
        """Rows gone through by sorting, filtering and summing so far (see the class doc)."""
        self.updated_in_place = 0
        """Counts merges that changed a known row (a screen redraws the rows it shows)."""
        self.marked: Collection[str] = frozenset()
        """The marked ids, for the `marked` filter term (the workspace's own set, read when a
        view is made: marks never change what is kept here)."""
        self.pinned: set[tuple[SortKey, bool, Query]] = set()
        """Filter results kept whatever is typed since (the views' counts: see `count`)."""
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

    # -- changes ---------------------------------------------------------------------------

    def begin_pass(self) -> object:
        """A read of the server's whole list starts: the campaigns its pages (`merge` with
        `passing`) do not bring are dropped by `end_pass`. What is kept is the ids not
        brought yet, not those brought: none at all on a first load (a set of 100,000 ids
        is ~4 MB at the load's peak). Returns the pass's token, for `end_pass`."""
        self._unseen = set(self._rows)
        self._open_pass = token = object()
        return token

    @property
    def passed(self) -> int:
        """How many loaded campaigns the pass's pages have brought so far."""
        return len(self._rows) - len(self._unseen or ())

    def end_pass(self, token: object, *, complete: bool) -> None:
        """The pass `token` is over: if it read the whole list, drop what it did not bring.
        A pass begun since is left open: a cancelled load's clean-up can come after the next
        load's start, and must not end that one's pass."""
        if token is not self._open_pass:
            return
        unseen, self._unseen, self._open_pass = self._unseen, None, None
        if complete and unseen:
            self._drop(unseen)

    def merge(
        self,
        campaigns: Iterable[Campaign],
        now: datetime | None = None,
        *,
        passing: bool = False,
    ) -> None:
        """Add new campaigns and update known ones in place (their position in the server's
        order is kept, so a refresh does not reshuffle equal keys). `passing`: a page of the
        pass begun (`begin_pass`); a campaign merged otherwise meanwhile (an edit's answer)
        still needs a page to bring it, or the pass's end drops it."""
        moment = (now or datetime.now(timezone.utc)).timestamp()
        added: list[Row] = []
        refiltered = recounted = updated = recompared = False
        resorted: set[SortKey] = set()
        unseen = self._unseen
        loaded, shared, new_row = self._rows, self._shared, Row.__new__
        # A new row made here rather than by `Row.build` (one call fewer a campaign), its
        # place counted in a local (written back even if a campaign fails).
        arrival = self._next_arrival
        # The sorts a known row's change could reorder something kept in (once one comes).
        kept_sorts: tuple[SortKey, ...] | None = None
        try:
            for campaign in campaigns:
                campaign_id = campaign.id
                known = loaded.get(campaign_id)
                if known is None:
                    if arrival >> ARRIVAL_RUN_BITS != shared.run:
                        shared.start_run(arrival >> ARRIVAL_RUN_BITS)
                    row = new_row(Row)
                    row.id = campaign_id
                    row.update(campaign, moment, shared, shared.places[arrival & _ARRIVAL_STEPS])
                    loaded[campaign_id] = row
                    arrival += 1
                    added.append(row)
                    if unseen is not None and not passing:
                        unseen.add(campaign_id)
                    continue
                if unseen is not None and passing:
                    unseen.discard(known.id)
                if kept_sorts is None:
                    kept_sorts = self._kept_row_sorts()
                filter_before = _filter_fields(known)
                sort_before = _sort_fields(known, kept_sorts)
                compared_before = _compared_fields(known)
                self._count(known, -1)
                counts_before = (known.requests, known.booked)
                known.update(campaign, moment, self._shared)
                updated = True
                self._count(known, +1)
                recounted = recounted or (known.requests, known.booked) != counts_before
                refiltered = refiltered or _filter_fields(known) != filter_before
                recompared = recompared or _compared_fields(known) != compared_before
                for sort, old, new in zip(kept_sorts, sort_before, _sort_fields(known, kept_sorts)):
                    if old != new:
                        resorted.add(sort)
                if (known.requests, known.booked) != counts_before:
                    resorted.add("gained")
        finally:
            self._next_arrival = arrival
        self._version += 1
        if updated:
            self.updated_in_place += 1
        for sort in resorted:
            self._drop_sort(sort)
        if refiltered:
            for ordering in self._orderings.values():
                ordering.active = None
            self._filtered.clear()
        elif recompared:  # only the results of filters that compare counts or moments
            for cached in [cached for cached in self._filtered if cached[2].comparisons]:
                del self._filtered[cached]
        if recounted:
            self._counts_version += 1
        if added:
            self._count_added(added)
            self._arrivals.extend(added)
            for sort, ordering in self._orderings.items():
                fresh = added[:]
                self._sort_in_place(fresh, sort)  # stable: equal keys stay in arrival order
                self.touched += len(fresh)
                ordering.rows = self._insert(ordering.rows, fresh, sort, ordering, "rows")
                if ordering.active is not None:
                    active = [row for row in fresh if row.active]
                    ordering.active = self._insert(
                        ordering.active, active, sort, ordering, "active"
                    )

    def _kept_row_sorts(self) -> tuple[SortKey, ...]:
        """The row sorts with an order or a filter's result kept: only a change to their
        keys drops anything (`_drop_sort`), so a refresh reads no other sort's key (the
        slug's and e-mail's are made each time they are read)."""
        kept = set(self._orderings) | {key[0] for key in self._filtered}
        return tuple(sort for sort in _ROW_SORTS if sort in kept)

    def _drop_sort(self, sort: SortKey) -> None:
        """Forget one sort's order and the filter results kept in it (made again, sorted
        afresh, when next asked)."""
        self._orderings.pop(sort, None)
        for key in [key for key in self._filtered if key[0] == sort]:
            del self._filtered[key]

    def set_baseline(self, baseline: Mapping[str, Counts]) -> None:
        """Count the Δ from these counts (the history's, at the window's start)."""
        self.baseline = baseline
        self._drop_sort("gained")
        self._version += 1
        self._baseline_version += 1
        for kept in self._filtered.values():
            kept.gains = None
        self._gains = self._gains_both(self._arrivals)

    def gained(self, row: Row) -> tuple[int, int] | None:
        """(requests, booked) the campaign gained since the baseline; None without one."""
        then = self.baseline.get(row.id)
        return None if then is None else (row.requests - then.requests, row.booked - then.booked)

    def gained_total(self, rows: list[Row]) -> tuple[int, int] | None:
        """The Δ of `rows` summed over those with a baseline; None when none has one.

        The summary asks this after each frame of the list, pages streaming in or keys
        typed: for the view last handed out (`view`) it is kept, like its totals, and costs
        in proportion to what arrived since; for any other list it is a pass over it."""
        if not self.baseline or not rows:
            return None
        shown = self._last
        if (
            shown is not None
            and rows is shown.rows
            and shown.counts_version == self._counts_version
            and shown.baseline_version == self._baseline_version
        ):
            gains = shown.gains
            if gains is None:  # a filter's result, the first time its Δ is asked for
                gains = shown.gains = self._gains_of(rows)
                kept = shown.filtered
                if (
                    kept is not None
                    and kept.seen == shown.seen
                    and kept.counts_version == self._counts_version
                ):
                    kept.gains = gains  # (the same rows: kept up to date from here on)
        else:
            gains = self._gains_of(rows)
        known, requests, booked = gains
        return (requests, booked) if known else None

    def _gains_of(self, rows: list[Row]) -> _Gains:
        """The Δ of `rows`."""
        known, requests, booked, *_ = self._gains_both(rows)
        return (known, requests, booked)

    def _gains_both(self, rows: list[Row]) -> list[int]:
        """The Δ (`_Gains`) of `rows`, then of the active ones among them: one plain loop
        (a third faster than chained maps over a dict's get)."""
        self.touched += len(rows)
        get = self.baseline.get
        gains = [0, 0, 0, 0, 0, 0]
        for row in rows:
            then = get(row.id)
            if then is not None:
                requests, booked = row.requests - then.requests, row.booked - then.booked
                gains[0] += 1
                gains[1] += requests
                gains[2] += booked
                if row.active:
                    gains[3] += 1
                    gains[4] += requests
                    gains[5] += booked
        return gains

    def _sort_key(self, sort: SortKey) -> Callable[[Row], Any]:
        """The key a sort orders rows by (the Δ's reads the baseline)."""
        if sort == "name":
            return _name_sort_key if self._shared.low_names else _BY_SEARCH_TEXT
        if sort != "gained":
            return attrgetter(_SORT_ATTRIBUTE[sort])
        baseline = self.baseline

        def most_gained_first(row: Row) -> float:  # without a baseline: after every one with
            then = baseline.get(row.id)
            return _NO_GAIN if then is None else then.requests - row.requests

        return most_gained_first

    def _count(self, row: Row, sign: int) -> None:
        """Add a row to (or take it from) the totals of every row and of the active ones,
        and to their Δ if it has a baseline."""
        counts, requests, booked = self._counts, sign * row.requests, sign * row.booked
        counts[0] += sign
        counts[1] += requests
        counts[2] += booked
        if row.active:
            counts[3] += sign
            counts[4] += requests
            counts[5] += booked
        then = self.baseline.get(row.id) if self.baseline else None
        if then is not None:
            gains = self._gains
            requests -= sign * then.requests
            booked -= sign * then.booked
            gains[0] += sign
            gains[1] += requests
            gains[2] += booked
            if row.active:
                gains[3] += sign
                gains[4] += requests
                gains[5] += booked

    def _count_added(self, added: list[Row]) -> None:
        """`_count` of a page's new rows, in C loops (sum and map) rather than a call each."""
        active = [row for row in added if row.active]
        counts, requests, booked = self._counts, attrgetter("requests"), attrgetter("booked")
        counts[0] += len(added)
        counts[1] += sum(map(requests, added))
        counts[2] += sum(map(booked, added))
        counts[3] += len(active)
        counts[4] += sum(map(requests, active))
        counts[5] += sum(map(booked, active))
        if self.baseline:
            self._gains = [a + b for a, b in zip(self._gains, self._gains_both(added))]

    def _sort_in_place(self, rows: list[Row], sort: SortKey) -> None:
        """Sort `rows` by a sort's key, stably."""
        attribute = _DESCENDING_BY.get(sort)
        if attribute is None:
            rows.sort(key=self._sort_key(sort))
        else:
            rows.sort(key=attrgetter(attribute), reverse=True)

    def _insert(
        self,
        rows: list[Row],
        fresh: list[Row],
        sort: SortKey,
        holder: _Ordering | _Filtered,
        name: str = "rows",
    ) -> list[Row]:
        """`rows` (sorted) with `fresh` (sorted, and arrived after every row of `rows`) put
        in, equal keys after the rows already there (the server's order): `rows` itself, or
        a copy if `holder` has handed it out."""
        if not fresh:
            return rows
        if isinstance(holder, _Filtered):
            if holder.handed_out:
                rows, holder.handed_out = rows[:], False
        elif name in holder.handed_out:
            rows = rows[:]
            holder.handed_out.discard(name)
        key = self._sort_key(sort)
        if not rows or key(fresh[0]) >= key(rows[-1]):
            rows.extend(fresh)
        elif len(fresh) * 16 < len(rows):
            for row in fresh:
                insort_right(rows, row, key=key)
            self.touched += len(fresh) * len(rows).bit_length()
        else:  # two sorted runs: Timsort merges them in one pass
            rows.extend(fresh)
            self._sort_in_place(rows, sort)
            self.touched += len(rows)
        return rows

    def retain(self, ids: set[str]) -> None:
        """Drop every campaign not in `ids` (after a complete refresh)."""
        self._drop({campaign_id for campaign_id in self._rows if campaign_id not in ids})

    def _drop(self, ids: set[str]) -> None:
        gone = [campaign_id for campaign_id in self._rows if campaign_id in ids]
        low_names = self._shared.low_names
        for campaign_id in gone:
            self._count(self._rows.pop(campaign_id), -1)
            low_names.discard(campaign_id)
        if gone:
            self._version += 1
            self._arrivals = list(self._rows.values())
            self._orderings.clear()
            self._filtered.clear()

    # -- views -----------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """Every loaded row, in the server's order of first arrival."""
        return list(self._rows.values())

    def view_all_by_name(self) -> list[Row]:
        """Every loaded campaign, by name (for jumping to one)."""
        return list(self._ordering("name").rows)

    def view(self, spec: ViewSpec) -> list[Row]:
        """The rows the list shows for `spec`, in order (a list nobody else changes)."""
        return self._view(spec)[0]

    def view_totals(self, spec: ViewSpec) -> Totals:
        """The totals of `view(spec)`, kept as rows arrive instead of summed again."""
        return self._view(spec)[1]

    def count(self, spec: ViewSpec) -> int:
        """How many rows `view(spec)` has, without making the list: the filter's result is
        kept (and pinned: typing in the filter does not push it out) and brought up to date
        with the rows that arrived since, so a view's count in the top bar costs in
        proportion to what changed."""
        query = spec.query
        if query.marked:
            return self.marked_count(spec)
        if query.is_empty:
            return self._counts[3] if spec.active_only else self._counts[0]
        key = (spec.sort, spec.active_only, query)
        self.pinned.add(key)
        return len(self._filter(spec.sort, spec.active_only, query).rows)

    def marked_count(self, spec: ViewSpec) -> int:
        """How many marked rows `view(spec)` holds (its own `marked` term aside): the marked
        rows put through the rest of the spec, in proportion to the marks, not the rows. A
        `marked` view's count and the title's "5 marked (2 hidden)" ask it at every redraw:
        a pass over 100,000 rows each was most of a switch between views."""
        return len(self._marked_rows(spec))

    def _marked_rows(self, spec: ViewSpec) -> list[Row]:
        """The marked rows the rest of `spec` takes, in arrival order."""
        rows = [row for row in map(self._rows.get, self.marked) if row is not None]
        rows.sort(key=attrgetter("place"))
        if spec.active_only:
            rows = [row for row in rows if row.active]
        rest = replace(spec.query, marked=False)
        self.touched += len(rows)
        return rows if rest.is_empty else _matching(rows, rest)

    def unpin(self) -> None:
        """Let the kept results of the views' filters go like any other (views changed)."""
        self.pinned.clear()

    def _marked_view(self, spec: ViewSpec) -> tuple[list[Row], Totals]:
        """`spec` with `marked`: the rest of the query's rows that are marked (never kept:
        marks change without the collection knowing). Few marks among many rows: the marked
        rows sorted as the base list is (stably, from arrival order, so equal keys keep the
        server's order), in proportion to the marks rather than a pass over every row."""
        marked = self.marked
        if len(marked) * MARKED_FEW < len(self._rows):
            rows = self._marked_rows(spec)
            self._sort_in_place(rows, spec.sort)
        else:
            rows, _ = self._view(
                replace(spec, query=replace(spec.query, marked=False), reverse=False)
            )
            rows = [row for row in rows if row.id in marked] if marked else []
            self.touched += len(rows)
        if spec.reverse:
            rows.reverse()
        return rows, self._sum(rows)

    def _view(self, spec: ViewSpec) -> tuple[list[Row], Totals]:
        if spec.query.marked:
            return self._marked_view(spec)
        last = self._last
        if last is not None and last.version == self._version and last.spec == spec:
            return last.rows, last.totals
        filtered: _Filtered | None = None
        gains: _Gains | None
        if spec.query.is_empty:
            source = self._base(spec.sort, spec.active_only)
            totals = Totals(*(self._counts[3:] if spec.active_only else self._counts[:3]))
            gains = cast("_Gains", tuple(self._gains[3:] if spec.active_only else self._gains[:3]))
        else:
            filtered = self._filter(spec.sort, spec.active_only, spec.query)
            source, totals, gains = filtered.rows, filtered.totals, filtered.gains
        result = source[::-1] if spec.reverse else self._hand_out(source, spec, filtered)
        self._last = _Shown(
            self._version,
            spec,
            result,
            totals,
            self._counts_version,
            self._baseline_version,
            gains,
            filtered,
            filtered.seen if filtered is not None else len(self._arrivals),
        )
        return result, totals

    def _hand_out(self, rows: list[Row], spec: ViewSpec, filtered: _Filtered | None) -> list[Row]:
        """A kept list as a view, marked so that it is copied before it is next changed.
        Copying it here instead (100,000 rows: ~1 ms) made a big new list each keystroke,
        which the cyclic collector then walked once or twice while it was young (~5 ms each
        at 100,000 rows, whose headers are out of the CPU's cache)."""
        if filtered is not None:
            filtered.handed_out = True
        else:
            ordering = self._ordering(spec.sort)
            ordering.handed_out.add("rows" if rows is ordering.rows else "active")
        return rows

    def _ordering(self, sort: SortKey) -> _Ordering:
        ordering = self._orderings.get(sort)
        if ordering is None:
            # Arrival order first: equal keys stay in the server's order.
            rows = list(self._rows.values())
            self._sort_in_place(rows, sort)
            self.touched += len(rows)
            ordering = self._orderings[sort] = _Ordering(rows)
        return ordering

    def _base(self, sort: SortKey, active_only: bool) -> list[Row]:
        ordering = self._ordering(sort)
        if not active_only:
            return ordering.rows
        if ordering.active is None:
            ordering.active = [row for row in ordering.rows if row.active]
            self.touched += len(ordering.rows)
        return ordering.active

    def _filter(self, sort: SortKey, active_only: bool, query: Query) -> _Filtered:
        """The base list's rows that match `query`: a kept result brought up to date with
        the rows that arrived since; else the smallest kept result of a query this one
        narrows, filtered further; else the whole base list filtered."""
        key = (sort, active_only, query)
        found = self._filtered.pop(key, None)
        if found is None:
            wider = [
                (len(kept.rows), n, (s, a, q), kept)
                for n, ((s, a, q), kept) in enumerate(self._filtered.items())
                if (s, a) == (sort, active_only) and query.narrows(q)
            ]
            if wider:
                _, _, source_key, source = min(wider, key=itemgetter(0, 1))
                self._catch_up(source, source_key)
                rows, seen = source.rows, source.seen
            else:
                rows, seen = self._base(sort, active_only), len(self._arrivals)
            self.touched += len(rows)
            rows, totals = _matching_totals(rows, query)
            self.touched += len(rows)  # (the sum)
            found = _Filtered(seen, rows, totals, self._counts_version)
        self._catch_up(found, key)
        self._filtered[key] = found  # the most recently used last
        if len(self._filtered) > MAX_CACHED_FILTERS:
            evictable = [k for k in self._filtered if k not in self.pinned]
            for old in evictable[: len(self._filtered) - MAX_CACHED_FILTERS]:
                del self._filtered[old]
        return found

    def _catch_up(self, kept: _Filtered, key: tuple[SortKey, bool, Query]) -> None:
        """Bring a kept result up to date: only the rows that arrived since are filtered
        and put in place; the totals are summed again only if counts changed in place."""
        sort, active_only, query = key
        if kept.seen < len(self._arrivals):
            tail = self._arrivals[kept.seen :]
            self.touched += len(tail)
            new = [row for row in tail if (row.active or not active_only) and matches(row, query)]
            self._sort_in_place(new, sort)
            kept.rows = self._insert(kept.rows, new, sort, kept)
            kept.seen = len(self._arrivals)
            if kept.counts_version == self._counts_version:
                kept.totals += self._sum(new)
                if kept.gains is not None:
                    more = self._gains_of(new)
                    kept.gains = (
                        kept.gains[0] + more[0],
                        kept.gains[1] + more[1],
                        kept.gains[2] + more[2],
                    )
        if kept.counts_version != self._counts_version:
            kept.totals = self._sum(kept.rows)
            kept.gains = None
            kept.counts_version = self._counts_version

    def _sum(self, rows: list[Row]) -> Totals:
        self.touched += len(rows)
        return _sum(rows)

    @staticmethod
    def totals(rows: Iterable[Row]) -> Totals:
        rows = rows if isinstance(rows, list) else list(rows)
        return _sum(rows)


def spec_for(
    text: str, *, active_only: bool, sort: SortKey, reverse: bool, now: datetime | None = None
) -> ViewSpec:
    return ViewSpec(parse(text, now), active_only, sort, reverse)

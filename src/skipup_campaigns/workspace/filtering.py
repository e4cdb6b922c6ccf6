"""The list's filter language: words that must all appear, and `field:value` qualifiers.

    naa 2026            name, slug, team, description or e-mail contain "naa" and "2026"
    team:sales          the team name contains "sales"
    status:ended        the status (active, scheduled, ended, deactivated) contains "ended"
    team_id:tm_01HQ…    the team's id is exactly that (the report's enter writes it)
    ends:<7d            ends within 7 days from now (starts: likewise)
    starts:>today       starts after today (a date: today, tomorrow, yesterday, 2026-12-31)
    updated:<24h        updated less than 24 hours ago (created: likewise; m, h, d, w)
    rate:<20            booking rate under 20 % (requests:>=50, booked:>0; < <= > >= =)
    marked              only the marked campaigns
    "spring sale"       a phrase: these words in this order, one space apart, within one
                        field (name:"spring sale" likewise; an unclosed quote runs to the end)

Matching is case-insensitive substring matching, so typing more only ever narrows: the next
keystroke can filter the previous result instead of every campaign. `team_id:` is the
exception: the whole id, or nothing ("Sales" must not bring "Presales" along).

A phrase is a word holding single spaces, matched as any word is (a substring: no pattern per
row, the keystroke stays as fast). It never spans two fields: the search text parts its
fields with whitespace other than a space (line breaks, the name's place digits).

A comparison that cannot be read (`rate:<abc`, `ends:<7x`) is left out of the filter and
named in `Query.errors`, so the list keeps filtering by the rest while the user fixes it.
Moments are worked out once, at parse time, from `now` cut to the minute: the same text
within a minute is the same query (the collection keeps its result).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from itertools import compress
from operator import attrgetter
from typing import Any, Protocol, TypeVar

from skipup_campaigns.plain_record import FrozenRecord, field

QUALIFIERS = ("team", "status", "name", "slug", "email", "team_id")
"""Fields a `field:value` term can name; anything else with a colon is a plain word."""
EXACT = frozenset({"team_id"})
"""Qualifiers that match the whole value (case-insensitive), not a part of it."""


MOMENTS = {
    "starts": "starts_at",
    "ends": "ends_at",
    "created": "created_at",
    "updated": "updated_at",
}
"""Comparisons by a moment, with the row's timestamp (seconds) each reads."""
PAST_MOMENTS = frozenset({"created", "updated"})
"""Moments a span counts back from now (an age: `updated:<24h`), not forward (`ends:<7d`)."""
NUMBERS = {"rate": "rate", "requests": "requests", "booked": "booked"}
"""Comparisons by a number, with the row's attribute each reads (the rate in percent)."""
COMPARED = (*MOMENTS, *NUMBERS)
MARKED = "marked"
"""The word that keeps only the marked campaigns."""

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "=": operator.eq,
}
_TERM = r"^(<=|>=|<|>|=)?(.*)$"
_SPAN = r"^(\d+(?:\.\d+)?)(m|h|d|w)$"
"""(Patterns compiled on first use, by `re`'s own cache: not on every start's path.)"""
_SPAN_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}
_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}
_DUNDER = {"<": "__lt__", "<=": "__le__", ">": "__gt__", ">=": "__ge__", "=": "__eq__"}
R = TypeVar("R")


class Comparison(FrozenRecord):
    """`attribute op value` for one row attribute; a row without the value (no end date)
    never matches."""

    attribute: str
    op: str
    value: float

    def test(self, value: float | None) -> bool:
        return value is not None and _OPERATORS[self.op](value, self.value)

    def select(self, rows: list[R]) -> list[R]:
        """The rows that pass, at C speed where the attribute is never None (a few ms for
        100,000 rows)."""
        if self.attribute in ("starts_at", "ends_at"):
            return [row for row in rows if self.test(getattr(row, self.attribute))]
        # threshold.__gt__(value) is value < threshold: the operator's mirror, bound.
        mirrored = getattr(float(self.value), _DUNDER[_FLIPPED[self.op]])
        return list(compress(rows, map(mirrored, map(attrgetter(self.attribute), rows))))


class Query(FrozenRecord):
    words: tuple[str, ...] = ()
    qualifiers: tuple[tuple[str, str], ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    marked: bool = False
    """Only the marked campaigns (applied by the collection over the rest of the query)."""
    errors: tuple[str, ...] = field(default=(), compare=False)
    """What could not be read, in words (those terms are left out)."""

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.qualifiers and not self.comparisons and not self.marked

    def narrows(self, previous: Query) -> bool:
        """True when everything this query matches, `previous` matched too."""
        return (
            all(any(old in new for new in self.words) for old in previous.words)
            and all(
                any(
                    field == f and (old == new if field in EXACT else old in new)
                    for f, new in self.qualifiers
                )
                for field, old in previous.qualifiers
            )
            and set(previous.comparisons) <= set(self.comparisons)
            and (self.marked or not previous.marked)
        )


def parse(text: str, now: datetime | None = None) -> Query:
    """The query `text` says; `now` (default: the clock) anchors spans and days."""
    words: list[str] = []
    qualifiers: list[tuple[str, str]] = []
    comparisons: list[Comparison] = []
    errors: list[str] = []
    marked = False
    anchor: datetime | None = None
    for token, quoted_from in tokens(text.casefold()):
        field, sep, value = token.partition(":")
        if quoted_from >= 0 and (not sep or len(field) >= quoted_from):
            sep = ""  # a quoted colon is text: "a:b" is a word, never a qualifier
        if not token:
            continue  # "" (or a quote still being typed)
        if not sep and token == MARKED and quoted_from < 0:
            marked = True
        elif sep and field in QUALIFIERS:
            if value:
                qualifiers.append((field, value))
        elif sep and field in COMPARED:
            if not value:
                continue  # still being typed
            if anchor is None:
                anchor = (now or datetime.now(timezone.utc)).replace(second=0, microsecond=0)
            try:
                comparisons.extend(comparison(field, value, anchor))
            except ValueError as exc:
                errors.append(str(exc))
        else:
            words.append(token)
    return Query(tuple(words), tuple(qualifiers), tuple(comparisons), marked, tuple(errors))


def tokens(text: str) -> list[tuple[str, int]]:
    """The terms of `text`, split at whitespace outside double quotes: each as (its text
    without the quote marks, where its first quoted character is or -1). Within quotes a run
    of whitespace is one space, and none is kept at a phrase's ends (typing a phrase only ever
    narrows); a quote left open runs to the end, as while it is being typed."""
    if '"' not in text:  # the usual filter: plain words
        return [(word, -1) for word in text.split()]
    terms: list[tuple[str, int]] = []
    term: list[str] = []
    quoted_from = -1
    inside = started = False
    for character in text + " ":
        if character == '"':
            inside = not inside
            started = True
            if inside and quoted_from < 0:
                quoted_from = len(term)
        elif not character.isspace():
            term.append(character)
            started = True
        elif inside:
            if term and term[-1] != " " and len(term) > quoted_from:
                term.append(" ")
        elif started:
            terms.append(("".join(term).rstrip(" "), quoted_from))
            term, quoted_from, started = [], -1, False
    if inside and started:  # (the " " added above went into the open phrase)
        terms.append(("".join(term).rstrip(" "), quoted_from))
    return terms


def written_terms(text: str) -> list[str]:
    """The terms of `text` as written, quote marks kept (split as `tokens` splits: at
    whitespace outside double quotes), a phrase left open closed: for rewriting a filter a
    term at a time (`:marked`, a team picked in the report), where splitting at every space
    took a phrase apart."""
    if '"' not in text:
        return text.split()
    terms: list[str] = []
    term: list[str] = []
    inside = False
    for character in text + " ":
        if character == '"':
            inside = not inside
        elif character.isspace() and not inside:
            if term:
                terms.append("".join(term))
                term = []
            continue
        term.append(character)
    if inside:  # a phrase left open runs to the end: it ends there
        terms.append("".join(term).rstrip() + '"')
    return terms


def comparison(field: str, text: str, now: datetime) -> list[Comparison]:
    """The comparisons one `field:text` term means (a day: two, its start and its end);
    ValueError saying what the field takes."""
    found = re.match(_TERM, text)
    assert found is not None  # (the pattern matches any text)
    op, value = found.group(1) or "=", found.group(2)
    if field in NUMBERS:
        try:
            number = float(value.removesuffix("%"))
        except ValueError:
            number = float("nan")
        if not value or number != number or number < 0 or number == float("inf"):
            raise ValueError(
                f"{field}: takes a number, e.g. {field}:<20 or {field}:>=50 "
                f"(not {value or 'nothing'})"
            )
        return [Comparison(NUMBERS[field], op, number)]
    attribute = MOMENTS[field]
    span = re.match(_SPAN, value)
    if span:
        seconds = float(span.group(1)) * _SPAN_SECONDS[span.group(2)]
        if field in PAST_MOMENTS:  # an age: updated:<24h is "after 24 h ago"
            return [Comparison(attribute, _FLIPPED[op], now.timestamp() - seconds)]
        return [Comparison(attribute, op, now.timestamp() + seconds)]
    day = _day(value, now)
    if day is None:
        raise ValueError(
            f"{field}: takes a span (7d, 24h, 2w, 30m) or a day (today, tomorrow, "
            f"yesterday, 2026-12-31), e.g. {field}:<7d (not {value or 'nothing'})"
        )
    start = datetime.combine(day, time(), timezone.utc).timestamp()
    end = start + 86400
    if op == "=":
        return [Comparison(attribute, ">=", start), Comparison(attribute, "<", end)]
    # A day is a stretch of time: after it is from its end, before it is before its start.
    bound, strict = {"<": (start, "<"), "<=": (end, "<"), ">": (end, ">="), ">=": (start, ">=")}[op]
    return [Comparison(attribute, strict, bound)]


def _day(text: str, now: datetime) -> date | None:
    if text in _DAYS:
        return (now + timedelta(days=_DAYS[text])).date()
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class Searchable(Protocol):
    """What the filter reads of a row: a precomputed lower-case text per field."""

    # Read-only: a row may compute them (properties) or narrow them (a Literal status).
    @property
    def haystack(self) -> str: ...
    @property
    def team_key(self) -> str: ...
    @property
    def team_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def name_key(self) -> str: ...
    @property
    def slug_key(self) -> str: ...
    @property
    def email_key(self) -> str: ...


def matches(row: Searchable, query: Query) -> bool:
    """Whether the row passes every term but `marked` (the collection applies that one)."""
    haystack = row.haystack
    for word in query.words:
        if word not in haystack:
            return False
    for compared in query.comparisons:
        if not compared.test(getattr(row, compared.attribute)):
            return False
    for name, value in query.qualifiers:
        if name in EXACT:
            if value != _field(row, name).casefold():
                return False
        elif value not in _field(row, name):
            return False
    return True


def team_id_term(team_id: str) -> str | None:
    """The filter term for exactly one team; None when the id cannot be typed as one term
    (a space, a quote or a control character in it: server text is data, never put in the field)."""
    if not team_id or not team_id.isprintable() or len(team_id.split()) != 1 or '"' in team_id:
        return None
    return f"team_id:{team_id}"


_FIELD_TEXT = {
    "team": "team_key",
    "status": "status",
    "name": "name_key",
    "slug": "slug_key",
    "email": "email_key",
    "team_id": "team_id",
}
"""Which precomputed text of a row each qualifier searches."""


def _field(row: Searchable, field: str) -> str:
    text: str = getattr(row, _FIELD_TEXT[field])
    return text

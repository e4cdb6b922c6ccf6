"""The list's filter language: words that must all appear, and `field:value` qualifiers.

    naa 2026            name, slug, team, description or e-mail contain "naa" and "2026"
    team:sales          the team name contains "sales"
    status:ended        the status (active, scheduled, ended, deactivated) contains "ended"
    team_id:tm_01HQ…    the team's id is exactly that (the report's enter writes it)

Matching is case-insensitive substring matching, so typing more only ever narrows: the next
keystroke can filter the previous result instead of every campaign. `team_id:` is the
exception: the whole id, or nothing ("Sales" must not bring "Presales" along).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

QUALIFIERS = ("team", "status", "name", "slug", "email", "team_id")
"""Fields a `field:value` term can name; anything else with a colon is a plain word."""
EXACT = frozenset({"team_id"})
"""Qualifiers that match the whole value (case-insensitive), not a part of it."""


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    qualifiers: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.words and not self.qualifiers

    def narrows(self, previous: Query) -> bool:
        """True when everything this query matches, `previous` matched too."""
        return (all(any(old in new for new in self.words) for old in previous.words)
                and all(any(field == f and (old == new if field in EXACT else old in new)
                            for f, new in self.qualifiers)
                        for field, old in previous.qualifiers))


def parse(text: str) -> Query:
    words: list[str] = []
    qualifiers: list[tuple[str, str]] = []
    for token in text.casefold().split():
        field, sep, value = token.partition(":")
        if sep and field in QUALIFIERS:
            if value:
                qualifiers.append((field, value))
        else:
            words.append(token)
    return Query(tuple(words), tuple(qualifiers))


class Searchable(Protocol):
    """What the filter reads of a row: a precomputed lower-case text per field."""

    haystack: str
    team_key: str
    team_id: str
    status: str
    name_key: str
    slug_key: str
    email_key: str


def matches(row: Searchable, query: Query) -> bool:
    haystack = row.haystack
    for word in query.words:
        if word not in haystack:
            return False
    for field, value in query.qualifiers:
        if field in EXACT:
            if value != _field(row, field).casefold():
                return False
        elif value not in _field(row, field):
            return False
    return True


def team_id_term(team_id: str) -> str | None:
    """The filter term for exactly one team; None when the id cannot be typed as one term
    (a space or a control character in it: server text is data, never put in the field)."""
    if not team_id or not team_id.isprintable() or len(team_id.split()) != 1:
        return None
    return f"team_id:{team_id}"


_FIELD_TEXT = {"team": "team_key", "status": "status", "name": "name_key", "slug": "slug_key",
               "email": "email_key", "team_id": "team_id"}
"""Which precomputed text of a row each qualifier searches."""


def _field(row: Searchable, field: str) -> str:
    return getattr(row, _FIELD_TEXT[field])

"""The list's filter language: words that must all appear, and `field:value` qualifiers.

    naa 2026            name, slug, team, description or e-mail contain "naa" and "2026"
    team:sales          the team name contains "sales"
    status:ended        the status (active, scheduled, ended, deactivated) contains "ended"

Matching is case-insensitive substring matching, so typing more only ever narrows: the next
keystroke can filter the previous result instead of every campaign.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

QUALIFIERS = ("team", "status", "name", "slug", "email")
"""Fields a `field:value` term can name; anything else with a colon is a plain word."""


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
                and all(any(field == f and old in new for f, new in self.qualifiers)
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
        if value not in _field(row, field):
            return False
    return True


_FIELD_TEXT = {"team": "team_key", "status": "status", "name": "name_key", "slug": "slug_key",
               "email": "email_key"}
"""Which precomputed text of a row each qualifier searches."""


def _field(row: Searchable, field: str) -> str:
    return getattr(row, _FIELD_TEXT[field])

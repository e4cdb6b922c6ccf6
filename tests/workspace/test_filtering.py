"""The filter grammar: words and qualifiers, a team id matched whole, and narrowing detected
only when it is safe to filter the previous answer again."""

from __future__ import annotations

import pytest

from skipup_campaigns.workspace.filtering import Query, parse


def test_parse_words_and_qualifiers() -> None:
    assert parse("  NAA  team:Sales status:ENDED q3:x team: ") == Query(
        ("naa", "q3:x"), (("team", "sales"), ("status", "ended"))
    )
    assert parse("").is_empty
    assert parse("team_id:TM_01HQ team_id:") == Query((), (("team_id", "tm_01hq"),))


def test_team_id_matches_the_whole_id_only() -> None:
    from types import SimpleNamespace

    from skipup_campaigns.workspace.filtering import matches, team_id_term

    sales = SimpleNamespace(team_id="tm_01SALES", team_key="sales", haystack="")
    presales = SimpleNamespace(team_id="tm_01SALES2", team_key="presales", haystack="")
    query = parse(team_id_term("tm_01SALES") or "")
    assert [matches(row, query) for row in (sales, presales)] == [True, False]
    assert matches(presales, parse("team:sales"))  # the substring the report used to write
    assert team_id_term("tm_a b") is None and team_id_term("tm_\x1b") is None
    assert team_id_term("") is None and team_id_term('tm_"a') is None


@pytest.mark.parametrize(
    ("text", "words", "qualifiers"),
    [
        ('"Zebra  Alpha"', ("zebra alpha",), ()),
        ('x "a b" y', ("x", "a b", "y"), ()),
        ('"zebra al', ("zebra al",), ()),  # an open quote runs to the end
        ('"zebra ', ("zebra",), ()),  # no space kept at a phrase's ends
        ('" lead', ("lead",), ()),
        ('"" "', (), ()),  # empty phrases are no term
        ('team:"North Sales" z', ("z",), (("team", "north sales"),)),
        ('"team:x" "marked"', ("team:x", "marked"), ()),  # quoted: plain text
    ],
)
def test_a_quoted_phrase_is_one_word_holding_single_spaces(
    text: str, words: tuple[str, ...], qualifiers: tuple[tuple[str, str], ...]
) -> None:
    assert parse(text) == Query(words, qualifiers)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("a  b", ["a", "b"]),
        ('team:"North Sales" spring', ['team:"North Sales"', "spring"]),
        ('x "a b" y', ["x", '"a b"', "y"]),
        ('"spring sale', ['"spring sale"']),  # an open phrase is closed: a term added after
        ('"spring sale  ', ['"spring sale"']),  # it stays a term of its own
        ('"marked"', ['"marked"']),
    ],
)
def test_written_terms_keep_a_phrase_whole(text: str, terms: list[str]) -> None:
    from skipup_campaigns.workspace.filtering import written_terms

    assert written_terms(text) == terms
    assert parse(" ".join(terms)) == parse(text)  # written again, the filter is the same


def test_a_phrase_never_matches_across_fields() -> None:
    from types import SimpleNamespace

    from skipup_campaigns.workspace.filtering import matches

    # The name, its place (whitespace below a space), the team, then the rest by lines.
    row = SimpleNamespace(haystack="zebra\t\x1c\nalpha\ndesc words\n", team_key="alpha")
    assert matches(row, parse("zebra alpha"))
    assert not matches(row, parse('"zebra alpha"'))
    assert not matches(row, parse('"alpha desc"'))
    assert matches(row, parse('"desc words"'))


@pytest.mark.parametrize(
    ("old", "new", "narrows"),
    [
        ("na", "naa", True),
        ("naa", "naa 2026", True),
        ("team:sa", "team:sales", True),
        ("naa", "na", False),
        ("naa 2026", "naa", False),
        ("team:sales", "sales", False),
        ("", "anything", True),
        ("x", "", False),
        ("team_id:tm_1", "team_id:tm_1 q3", True),
        ("team_id:tm_1", "team_id:tm_12", False),
        ("team_id:tm_12", "team_id:tm_1", False),
        ("team:sa", "team_id:tm_1", False),
        ('"zebra', '"zebra a', True),
        ('"zebra a', '"zebra al"', True),
        ("zebra alpha", '"zebra alpha"', True),
        ('"zebra alpha"', "zebra alpha", False),
        ('"zebra alpha"', '"alpha zebra"', False),
    ],
)
def test_narrowing_is_detected_only_when_it_is_safe(old: str, new: str, narrows: bool) -> None:
    assert parse(new).narrows(parse(old)) is narrows

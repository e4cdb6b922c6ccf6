"""A line of parts fits by dropping whole parts by priority: no cut word, no stray " · "."""

from __future__ import annotations

import pytest

from skipup_campaigns.display.fitting import fit_parts

TITLE = [
    ("SkipUp (demo)", 2),
    ("40 of 52 campaigns", 9),
    ("2 marked", 7),
    ("active only", 3),
    ("by created", 1),
]


def test_everything_shows_when_it_fits() -> None:
    assert fit_parts(TITLE, None) == (
        "SkipUp (demo) · 40 of 52 campaigns · 2 marked · active only · by created"
    )
    assert fit_parts(TITLE, 200) == fit_parts(TITLE, None)


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (70, "SkipUp (demo) · 40 of 52 campaigns · 2 marked · active only"),
        (59, "SkipUp (demo) · 40 of 52 campaigns · 2 marked · active only"),
        (58, "40 of 52 campaigns · 2 marked · active only"),
        (43, "40 of 52 campaigns · 2 marked · active only"),
        (42, "40 of 52 campaigns · 2 marked"),
        (20, "40 of 52 campaigns"),
    ],
)
def test_whole_parts_go_least_needed_first(width: int, expected: str) -> None:
    line = fit_parts(TITLE, width)
    assert line == expected
    assert len(line) <= width and not line.endswith(("·", " ")) and "…" not in line


def test_only_a_lone_part_too_long_for_the_width_is_cut() -> None:
    assert fit_parts(TITLE, 12) == "40 of 52 ca…"
    assert fit_parts([("", 5), ("a", 1)], 10) == "a"  # an empty part leaves no separator

"""The campaign table's columns at each width (name and rate always kept, the least useful
dropped first) and text fitted by terminal cells."""

from __future__ import annotations

import pytest

from skipup_campaigns.tui.widgets.campaign_table import NAME_MIN, chosen_layout, fit, layout
from skipup_campaigns.workspace.views import DEFAULT_COLUMNS


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 200])
def test_layout_fills_the_width_and_always_keeps_name_and_rate(width: int) -> None:
    columns = layout(width)
    keys = [c.key for c, _ in columns]
    assert "name" in keys and "rate" in keys
    if width >= 80:
        used = 2 + sum(w for _, w in columns) + len(columns) - 1
        assert used == width
        assert dict((c.key, w) for c, w in columns)["name"] >= NAME_MIN
    assert len(layout(200)) == 10 and len(layout(80)) < 9
    assert len(layout(200, frozenset({"gained"}))) == 9  # no history: no Δ column


def test_layout_drops_least_useful_columns_first() -> None:
    at80 = {c.key for c, _ in layout(80)}
    assert {"status", "team", "requests"} <= at80
    assert not {"created", "starts"} & at80
    # Δ gives way at 80 (names and rates stay; the summary line has its total) and shows
    # from 90.
    assert "gained" not in at80 and "gained" in {c.key for c, _ in layout(90)}


def test_the_sorted_column_is_kept_next_after_name_rate_status_and_team() -> None:
    for width in (80, 100):
        assert "created" in {c.key for c, _ in layout(width, sort="created")}
        assert "starts" in {c.key for c, _ in layout(width, sort="start")}
    assert "created" not in {c.key for c, _ in layout(80, sort="name")}


def test_fit_cuts_by_cells_with_an_ellipsis() -> None:
    assert fit("東京東京", 5) == "東京…"
    assert fit("abc", 5) == "abc  " and fit("abc", 5, right=True) == "  abc"
    assert fit("abcdef", 4) == "abc…"


CHOSEN = tuple(c for c in DEFAULT_COLUMNS if c != "team") + ("updated",)


def test_chosen_columns_keep_the_sorted_one_and_the_one_just_added() -> None:
    # 100 wide, sorted by created, Updated just added: both shown, the name at its minimum
    # or more, what gives way is from the end of the chosen order.
    columns = chosen_layout(100, CHOSEN, sort="created", added=("updated",))
    keys = [c.key for c, _ in columns]
    assert "created" in keys and "updated" in keys
    assert keys == [
        k
        for k in (
            "name",
            "status",
            "starts",
            "ends",
            "requests",
            "gained",
            "booked",
            "rate",
            "created",
            "updated",
        )
        if k in keys
    ]
    assert dict((c.key, w) for c, w in columns)["name"] >= NAME_MIN
    assert 2 + sum(w for _, w in columns) + len(columns) - 1 <= 100
    # not just added: Updated is the chosen order's last, the first to go
    assert "updated" not in [c.key for c, _ in chosen_layout(100, CHOSEN, sort="created")]
    assert "created" in [c.key for c, _ in chosen_layout(100, CHOSEN, sort="created")]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("sort", ["created", "booked", "updated", "start"])
def test_the_sorted_chosen_column_is_always_shown(width: int, sort: str) -> None:
    columns = chosen_layout(width, CHOSEN, sort=sort)  # type: ignore[arg-type]
    assert sort in [c.sort for c, _ in columns]
    assert dict((c.key, w) for c, w in columns)["name"] >= NAME_MIN


def test_spare_room_goes_to_the_chosen_columns_that_are_cut_first() -> None:
    names = ("name", "slug", "email", "team")  # 20 + 16 + 22 + 14 and 3 gaps: 75 of 98
    wants = {"slug": 24, "email": 30, "team": 10}
    widths = {c.key: w for c, w in chosen_layout(100, names, wants=wants)}
    assert widths == {"name": 27, "slug": 24, "email": 30, "team": 14}  # the name the rest
    # Not enough for both: the first chosen one grows first, the name keeps its least.
    tight = {c.key: w for c, w in chosen_layout(100, names, wants={"slug": 30, "email": 40})}
    assert tight == {"name": NAME_MIN, "slug": 30, "email": 31, "team": 14}
    # Nothing measured (no rows yet): as before, the name takes it all.
    plain = {c.key: w for c, w in chosen_layout(100, names)}
    assert plain == {"name": 43, "slug": 16, "email": 22, "team": 14}

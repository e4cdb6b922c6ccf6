"""The views' tab labels: every view drawn with its count, short names too."""

from __future__ import annotations

from skipup_campaigns.tui.widgets.view_tabs import tab_labels


def test_short_names_alone_are_drawn() -> None:
    # Names all shorter than the shortest a name is ever cut to were never drawn at all.
    assert tab_labels(["Mine"], [26], 80) == [" 1 Mine 26 "]
    assert tab_labels(["Sales", "Q4"], [3, 1_200], 80) == [" 1 Sales 3 ", " 2 Q4 1,200 "]


def test_long_names_are_cut_before_the_counts() -> None:
    labels = tab_labels(["A very long view name indeed", "Another long one here"], [5, 7], 40)
    assert [label.split()[-1] for label in labels] == ["5", "7"]
    assert sum(len(label) + 1 for label in labels) <= 40

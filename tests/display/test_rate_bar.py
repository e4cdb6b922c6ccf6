"""The booking rate's bar is exactly as wide as asked, and its text and band."""

from __future__ import annotations

import pytest

from skipup_campaigns.display.rate_bar import format_rate, rate_band, rate_bar


@pytest.mark.parametrize(
    ("rate", "width", "bar"),
    [
        (42.9, 12, "█████▏      "),
        (0.0, 5, "     "),
        (100.0, 4, "████"),
        (50.0, 3, "█▌ "),
        (150.0, 2, "██"),
        (-3.0, 2, "  "),
        (1.0, 10, "▏         "),
        (33.3, 0, ""),
    ],
)
def test_rate_bar_is_exactly_width_cells(rate: float, width: int, bar: str) -> None:
    assert rate_bar(rate, width) == bar
    assert len(rate_bar(rate, width)) == width


def test_rate_text_and_bands() -> None:
    assert format_rate(42.9) == " 42.9%" and format_rate(100.0) == "100.0%"
    assert [rate_band(r, 10) for r in (0.0, 19.9, 20.0, 39.9, 40.0, 100.0)] == [
        "low",
        "low",
        "mid",
        "mid",
        "high",
        "high",
    ]
    assert rate_band(0.0, 0) == "none"

"""Server text made inert: no control character, bidi override or markup survives, and
ordinary and wide text is kept as it is."""

from __future__ import annotations

import pytest

from skipup_campaigns.display.safe_text import safe


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[2J",
        "\x1b]52;c;cHduZWQ=\x07",
        "\x1b]8;;https://evil\x1b\\x",
        "\x9b31m",
        "\x90q",
        "a\x00b",
        "\x7f",
        "\u202eevil",
        "\u2066iso\u2069",
        "\r\x08\x07",
    ],
)
def test_safe_leaves_no_control_character(hostile: str) -> None:
    out = safe(hostile)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in out)
    assert not any(ch in out for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert len(out) >= 1  # shown, not silently dropped


def test_safe_keeps_ordinary_and_wide_text_and_markup_as_characters() -> None:
    text = "[@click=app.quit]x 東京 é\u0301 [link=https://e]y[/]"
    assert safe(text) == text
    assert safe("👩\u200d💻 a\u200bb") == "👩💻 ab"
    assert safe("👩\u200d💻", multiline=True) == "👩\u200d💻"
    assert safe("esc\x1b") == "esc␛"
    assert safe("a\tb\nc") == "a b c"
    assert safe("a\tb\nc\r\n", multiline=True) == "a    b\nc\n"
    assert safe(None) == ""


def test_safe_fast_path_only_skips_text_the_tables_would_leave_alone() -> None:
    """safe() returns printable text untouched without translating it: that is right only
    while every character it replaces is one str.isprintable() refuses."""
    from skipup_campaigns.display import safe_text

    for table in (safe_text._SINGLE_LINE, safe_text._MULTI_LINE):  # noqa: SLF001
        assert not [hex(code) for code in table if chr(code).isprintable()]

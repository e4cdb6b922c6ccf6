"""Server text made safe to show: it is data, never markup and never a terminal control.

Textual parses markup in plain strings given to most widgets, and passes control characters
straight to the terminal. Every piece of text that came from the server goes through `safe()`
(for our own Segments and strings) or `safe_text()` (for widgets), which
replace anything that could act on the terminal with a visible, inert stand-in.
"""

from __future__ import annotations

from rich.text import Text

REPLACEMENT = "\ufffd"

# C0 controls show as their Unicode "control picture" (ESC → ␛), DEL as ␡; C1 controls
# (0x80-0x9f, which some terminals obey like ESC sequences) and the bidi overrides and
# isolates (which reorder what is shown around them) as the replacement character.
_TABLE: dict[int, str | None] = {code: chr(0x2400 + code) for code in range(0x20)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
_TABLE.update(
    {
        code: REPLACEMENT
        for code in (
            0x061C,
            0x200E,
            0x200F,
            0x202A,
            0x202B,
            0x202C,
            0x202D,
            0x202E,
            0x2066,
            0x2067,
            0x2068,
            0x2069,
            0xFFF9,
            0xFFFA,
            0xFFFB,
        )
    }
)
_TABLE.update({0x2028: " ", 0x2029: " "})

_SINGLE_LINE = dict(_TABLE)
_SINGLE_LINE.update({0x09: " ", 0x0A: " ", 0x0D: " "})
# Zero-width characters: terminals disagree with each other (and with Rich) on the width of
# what they join, which shifts every column after them; in a row they are dropped.
_SINGLE_LINE.update({code: None for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})

_MULTI_LINE = dict(_TABLE)
_MULTI_LINE.update({0x09: "    ", 0x0A: "\n", 0x0D: ""})


def safe(text: str | None, *, multiline: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in.

    Single-line (the default) also turns tabs and newlines into spaces and drops zero-width
    characters; multi-line keeps newlines and expands tabs.
    """
    if not text:
        return ""
    if text.isprintable():
        # Every character either table changes is unprintable (a test holds it to that), so
        # printable text is already safe: a C check, against a translate at ~1.7 µs a name.
        return text
    return text.translate(_MULTI_LINE if multiline else _SINGLE_LINE)


def safe_text(text: str | None, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich `Text` of server text: never parsed as markup."""
    return Text(safe(text, multiline=multiline), style=style, end="")

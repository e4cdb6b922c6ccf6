"""Text fitted to a number of terminal cells (wide characters count two), for the list's
columns and the commands' aligned tables alike."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size


def fit(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis when too long (never half a
    wide character: the ellipsis follows the last whole one), padded (on the left with
    `right`) when short."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        used, end = 0, 0
        for end, char in enumerate(text):  # noqa: B007 - `end` is used after the loop
            size = get_character_cell_size(char)
            if used + size > width - 1:
                break
            used += size
        text = text[:end] + "…"
    pad = width - cell_len(text)
    return " " * pad + text if right else text + " " * pad

"""A line made of parts ("40 of 52 campaigns · 2 marked · active only"), fitted to a width by
dropping whole parts, least needed first: never a word cut in half, never a separator left
hanging."""

from __future__ import annotations

from collections.abc import Sequence

SEPARATOR = " · "


def fit_parts(parts: Sequence[tuple[str, int]], width: int | None) -> str:
    """The (text, priority) parts joined by " · " in at most `width` cells: while too long,
    the part of the lowest priority goes (of equal ones, the rightmost); the rest keep their
    order. Only the last part left is ever cut (with …), and only when it alone is too long."""
    kept = [(index, text, priority) for index, (text, priority) in enumerate(parts) if text]

    def joined() -> str:
        return SEPARATOR.join(text for _, text, _ in kept)

    while width is not None and len(kept) > 1 and len(joined()) > width:
        kept.remove(min(kept, key=lambda part: (part[2], -part[0])))
    line = joined()
    if width is None or len(line) <= width:
        return line
    return line[: max(width - 1, 0)].rstrip() + "…"

"""Campaigns written for people and for programs: an aligned table on a terminal, tab-separated
lines in a pipe, CSV, or JSON.

The table and the `field: value` lines are here; CSV, TSV and JSON are display/formats.py's
(the UI's export writes them too), named here for the commands. Every format but JSON goes
through the UI's sanitiser; JSON is exact (see display/formats.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from rich.cells import cell_len

from skipup_campaigns.display.cells import fit
from skipup_campaigns.display.formats import cell, exact_json, write_csv, write_json, write_tsv
from skipup_campaigns.display.records import FIELDS
from skipup_campaigns.display.safe_text import safe

__all__ = [
    "FIELDS",
    "TABLE_FIELDS",
    "cell",
    "exact_json",
    "parse_fields",
    "write_csv",
    "write_json",
    "write_record",
    "write_table",
    "write_tsv",
]

TABLE_FIELDS = (
    "id",
    "name",
    "team_name",
    "status",
    "meeting_request_count",
    "meetings_booked_count",
    "booking_rate",
)
HEADINGS = {
    "meeting_request_count": "reqs",
    "meetings_booked_count": "booked",
    "booking_rate": "rate%",
    "team_name": "team",
    "email_address": "email",
}
_NUMERIC = {"meeting_request_count", "meetings_booked_count", "booking_rate"}
_GIVES_WAY = (
    ("description", 12),
    ("name", 16),
    ("team_name", 10),
    ("email_address", 16),
    ("slug", 12),
    ("team_name", 8),
    ("description", 4),
    ("name", 8),
    ("team_name", 6),
    ("status", 6),
)


def parse_fields(text: str | None, default: Sequence[str]) -> list[str]:
    """`--fields a,b,c` as a list, or ValueError naming the unknown field."""
    if text is None:
        return list(default)
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    if not chosen:
        raise ValueError("--fields needs at least one field name")
    for name in chosen:
        if name not in FIELDS:
            raise ValueError(f"unknown field {name!r}; choose from: {', '.join(FIELDS)}")
    return chosen


def write_table(
    records: Sequence[dict[str, Any]], fields: Sequence[str], out: TextIO, width: int
) -> None:
    """Aligned columns fitted to `width`: long text columns give way, ending in `…` (a
    terminal narrower than the ids and numbers wraps, which beats a cut id)."""
    headings = [HEADINGS.get(name, name) for name in fields]
    rows = [[cell(record[name]) for name in fields] for record in records]
    widths = [
        max([cell_len(h)] + [cell_len(row[i]) for row in rows]) for i, h in enumerate(headings)
    ]
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    # Text columns give way in this order, down to a floor; ids, numbers and dates never do.
    for name, floor in _GIVES_WAY:
        if excess <= 0:
            break
        if name in fields:
            i = fields.index(name)
            cut = min(excess, max(0, widths[i] - floor))
            widths[i] -= cut
            excess -= cut
    for row in [headings, *rows]:
        parts = [fit(text, widths[i], right=fields[i] in _NUMERIC) for i, text in enumerate(row)]
        out.write("  ".join(parts).rstrip() + "\n")


def write_record(record: dict[str, Any], fields: Sequence[str], out: TextIO) -> None:
    """One campaign as `field: value` lines; the description keeps its lines, indented."""
    label_width = max(len(name) for name in fields)
    for name in fields:
        value = record[name]
        if name == "description" and value:
            lines = safe(value, multiline=True).split("\n")
            text = ("\n" + " " * (label_width + 2)).join(lines)
        else:
            text = cell(value) or "–"
        out.write(f"{name + ':':<{label_width + 2}}{text}\n")

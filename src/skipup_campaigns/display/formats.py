"""Records written for programs: CSV, tab-separated lines and JSON, given the fields to write.

Shared by the commands (`list --csv/--json`) and the UI's export. CSV and TSV cells go through
the sanitiser, so text from the server cannot move the cursor, set a title or write the
clipboard of whoever reads the output. JSON is exact (a program gets the server's bytes back),
with the characters a terminal would obey written as `\\u` escapes, which every JSON reader
decodes to the same text.

CSV is what people open in a spreadsheet, which runs a cell starting with `=`, `+`, `-` or `@`
as a formula (a campaign named `=HYPERLINK(...)` would be one). So CSV text cells starting
with those, a tab or a carriage return get a `'` in front: shown, never run. TSV is for `cut`,
`awk` and `sort` and stays exact (the README says to use `--csv` for a spreadsheet).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from skipup_campaigns.display.safe_text import safe

# C0 (but the JSON escapes already cover those), DEL, C1, bidi controls, line separators.
_TERMINAL_ACTIVE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)


def cell(value: Any) -> str:
    """One value as sanitised single-line text (`true`/`false`, empty for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return safe(str(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as text: a `'` before what it would run as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_cell(value: Any) -> str:
    """A CSV cell: sanitised, and text kept from running as a formula (numbers stay
    numbers)."""
    text = cell(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + text  # the sanitiser made a leading tab a space; still quoted
    return spreadsheet_text(text) if isinstance(value, str) else text


def exact_json(value: Any, *, indent: int | None = 2) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _TERMINAL_ACTIVE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def write_json(records: Iterable[dict[str, Any]], fields: Sequence[str], out: TextIO) -> None:
    out.write(exact_json([{name: record[name] for name in fields} for record in records]))
    out.write("\n")


def write_csv(records: Iterable[dict[str, Any]], fields: Sequence[str], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([csv_cell(record[name]) for name in fields])


def write_tsv(records: Iterable[dict[str, Any]], fields: Sequence[str], out: TextIO) -> None:
    """Tab-separated with a header: for `cut`, `awk` and `sort` (tabs in data are spaces)."""
    out.write("\t".join(fields) + "\n")
    for record in records:
        out.write("\t".join(cell(record[name]) for name in fields) + "\n")

"""Campaigns written to a file the user names, as `list --csv` / `list --json` write them (the
same writers, fields and formats), readable by others (0644) and never over an existing file
unless the caller says the user agreed.

Synchronous: call it off the UI's loop (100,000 campaigns take about a second).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from skipup_campaigns.display import formats, records

if TYPE_CHECKING:
    from skipup_campaigns.workspace.collection import Row

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
FILE_MODE = 0o644


def format_for(path: str | Path) -> Format | None:
    """The format a file name asks for by its extension (None: it does not say)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def export_path(text: str, base: Path | None = None) -> Path:
    """The file a typed name means: `~` expanded, relative to `base` (the working
    directory)."""
    path = Path(text.strip()).expanduser()
    return path if path.is_absolute() else (base or Path.cwd()) / path


def write_export(
    path: Path,
    rows: Sequence[Row],
    fmt: Format,
    *,
    replace: bool = False,
    now: datetime | None = None,
) -> int:
    """Write `rows` to `path`; returns how many. FileExistsError when the file exists and
    `replace` is not set; a replaced file is swapped in whole (a temporary file beside it,
    renamed), so a symlink at the name is replaced, never written through."""
    at = now or records.now()
    data = [records.record(row.campaign, at) for row in rows]
    write = formats.write_json if fmt == "json" else formats.write_csv
    if not replace:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        try:
            os.fchmod(descriptor, FILE_MODE)  # whatever the umask
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
                descriptor = -1
                write(data, records.FIELDS, out)
        except BaseException:
            if descriptor >= 0:
                os.close(descriptor)
            path.unlink(missing_ok=True)
            raise
        return len(data)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            write(data, records.FIELDS, out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(data)

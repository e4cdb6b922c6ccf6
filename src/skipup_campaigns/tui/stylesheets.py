"""Which stylesheets are read when. Parsing all eight at start cost a tenth of a warm start, for
screens not yet shown: the app reads the list's two (`AT_START`); every other screen names its
own in `CSS_PATH` (Textual reads it when that screen is first shown), and once the list's first
rows are on screen and its load has ended the app reads the rest in one go (`read_later`), so
no screen's first showing waits for a whole reparse, and no load waits for them either.

Each sheet's rules start with its screens' types, so when a sheet is read changes nothing on
the screens already shown (and the order they are read in breaks no tie between them)."""

from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from skipup_campaigns.paths import styles_dir

if TYPE_CHECKING:
    from textual.app import App

AT_START = ("base.tcss", "list.tcss")
LATER = ("detail.tcss", "edit.tcss", "dialogs.tcss", "report.tcss", "bulk.tcss", "result.tcss")
"""In the order they were read at start before, which is the order `read_later` keeps."""


def sheets(*names: str) -> list[str | PurePath]:
    """The paths of `names`, as Textual keys a read sheet (absolute and normalised), so a
    screen's `CSS_PATH` is found already read."""
    return [Path(os.path.abspath(styles_dir() / name)) for name in names]


def read_later(app: App[Any]) -> None:
    """Read the stylesheets not read yet (`LATER`) and restyle what is mounted. Only the new
    sheets are parsed: the stylesheet keeps what it parsed before."""
    stylesheet = app.stylesheet
    new = [path for path in sheets(*LATER) if not stylesheet.has_source(str(path))]
    if not new:
        return
    for path in new:
        stylesheet.read(path)
    stylesheet.parse()
    stylesheet.update(app)

"""The list's export: the marked campaigns (or, with none marked, those shown) to a CSV or
JSON file the user names, asking before a file is replaced. Runs inside a worker of the list
(it waits for dialogs); the file is written off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from skipup_campaigns.display.export import export_path, format_for, write_export
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.tui.bulk_screens import ExportScreen, plural
from skipup_campaigns.tui.dialogs import ConfirmDialog

if TYPE_CHECKING:
    from textual.screen import Screen

    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.collection import Row


async def export(
    screen: Screen[Any], workspace: Workspace, shown: Sequence[Row], file_name: str | None = None
) -> None:
    """`x`: the marked campaigns (or, with none marked, those shown) to a CSV or JSON file.
    With `file_name` (`:export FILE`) whose extension names the format, no dialog is asked
    for (unless a file is there to replace, or writing fails: then the dialog has the name)."""
    marked = workspace.marked_rows()
    rows = marked or list(shown)
    if not rows:
        screen.notify("Nothing to export: no campaign is shown or marked.", markup=False)
        return
    what = (
        plural(len(rows), "marked campaign")
        if marked
        else f"the {plural(len(rows), 'shown campaign')}"
    )
    name = file_name or ""
    given = format_for(name) if file_name else None
    while True:
        if given is not None:
            fmt, given = given, None
        else:
            answer = await screen.app.push_screen_wait(ExportScreen(what, name))
            if answer is None:
                return
            name, fmt = answer
        path = export_path(name)
        try:
            try:
                count = await asyncio.to_thread(write_export, path, rows, fmt)
            except FileExistsError:
                sure = await screen.app.push_screen_wait(
                    ConfirmDialog(
                        "Replace the file?",
                        str(path),
                        "A file of that name exists: it will be replaced by the export.",
                        "Replace",
                    )
                )
                if not sure:
                    continue  # back to the name, to choose another
                count = await asyncio.to_thread(write_export, path, rows, fmt, replace=True)
        except OSError as exc:
            screen.notify(
                f"Could not write {safe(str(path))}: {safe(exc.strerror or str(exc))}",
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        screen.notify(
            f"Wrote {plural(count, 'campaign')} to {safe(str(path))} ({fmt.upper()}).", markup=False
        )
        return

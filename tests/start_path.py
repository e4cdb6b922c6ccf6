"""Which modules the app has imported when its first rows are on screen, started the way a user
starts it (`skipup-campaigns` → `cli.main`), in a fresh interpreter.

    python -m tests.start_path [ARG ...]     # prints one JSON object: {"modules": [...]}

Run with the environment (API key, base URL, XDG directories) of the start to look at. The
app runs headless (no terminal) and ends once the list's first painted frame holds rows: the
screen's `painted` hook, which the load awaits after the first cached chunk or the first page,
so what the load imports after that frame (the HTTP stack) is not counted.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def main(argv: list[str]) -> int:
    from textual.app import App

    from skipup_campaigns import cli
    from skipup_campaigns.tui.list_screen import ListScreen

    seen: dict[str, Any] = {}
    painted, run = ListScreen.painted, App.run

    async def watching_painted(self: ListScreen) -> None:
        await painted(self)
        if "modules" not in seen and self.table.rows:
            seen["modules"] = sorted(sys.modules)
            seen["rows"] = len(self.table.rows)
            self.app.exit()

    def headless_run(self: App[Any], **_: Any) -> None:
        run(self, headless=True, size=(120, 40))

    ListScreen.painted = watching_painted  # type: ignore[method-assign]
    App.run = headless_run  # type: ignore[method-assign]
    cli.main(argv)
    print(json.dumps(seen))
    return 0 if "modules" in seen else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Regenerate the README's screenshots from the real app on the demo data:

    python -m tests.screenshots                      # every one
    python -m tests.screenshots report-80x24.svg     # only these

Writes screenshots/*.svg (run from the repository root, with the package installed). Shots
with `"history": True` run with the demo's seeded history (in a temporary directory).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from tests.demo_app import demo_app, loaded

OUT = Path(__file__).resolve().parents[1] / "screenshots"

SHOTS = [
    # (file, size, keys pressed after loading, app options)
    ("list-80x24.svg", (80, 24), (), {}),
    ("list-120x40.svg", (120, 40), (), {}),
    ("list-filtered-120x40.svg", (120, 40), ("a", "slash", *"team:sales"), {}),
    ("list-light-100x30.svg", (100, 30), ("s", "s"), {"theme": "textual-light"}),
    ("list-ansi-80x24.svg", (80, 24), ("a",), {"theme": "textual-ansi"}),
    ("help-80x24.svg", (80, 24), ("question_mark",), {}),
    ("detail-80x24.svg", (80, 24), ("enter",), {}),
    ("edit-80x24.svg", (80, 24), ("enter", "e"), {}),
    ("deactivate-80x24.svg", (80, 24), ("enter", "d"), {}),
    ("report-80x24.svg", (80, 24), ("R",), {"history": True}),
    ("report-120x40.svg", (120, 40), ("R",), {"history": True}),
    ("list-delta-120x40.svg", (120, 40), ("s",) * 5, {"history": True}),
    ("detail-trend-120x40.svg", (120, 40), ("enter",), {"history": True}),
]


async def take(name: str, size: tuple[int, int], keys: tuple[str, ...], options: dict) -> Path:
    if options.get("history"):
        with tempfile.TemporaryDirectory() as directory:
            return await _take(name, size, keys, {**options, "history": Path(directory)})
    return await _take(name, size, keys, options)


async def _take(name: str, size: tuple[int, int], keys: tuple[str, ...], options: dict) -> Path:
    app = demo_app(**options)
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
            if key != "d":  # the deactivate worker waits for the dialog's answer
                await loaded(pilot)
        path = OUT / name
        app.save_screenshot(filename=name, path=str(OUT))
    return path


async def main(names: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    for shot in SHOTS:
        if not names or shot[0] in names:
            print(await take(*shot))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))

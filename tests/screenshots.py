"""Regenerate the README's screenshots from the real app on the demo data:

    python -m tests.screenshots

Writes screenshots/*.svg (run from the repository root, with the package installed).
"""

from __future__ import annotations

import asyncio
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
]


async def take(name: str, size: tuple[int, int], keys: tuple[str, ...], options: dict) -> Path:
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


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    for shot in SHOTS:
        print(await take(*shot))


if __name__ == "__main__":
    asyncio.run(main())

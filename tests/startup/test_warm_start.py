"""The start-up rule for the first frame: on a warm start (a cached list), the rows are drawn
before httpx and pydantic are imported (about 90 ms of imports). And the workspace package,
shared with the scripting commands, imports nothing of Textual, the UI or the commands.

Each check runs in a fresh interpreter: this one has long imported everything."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import skipup_campaigns.workspace

HEAVY = ("httpx", "pydantic")

FIRST_FRAME = r"""
import asyncio, json, sys
from pathlib import Path

from skipup_campaigns.startup.setup import build_workspace
from skipup_campaigns.tui.app import CampaignsApp, UISettings
from skipup_campaigns.startup.list_cache import ListCache
from skipup_campaigns.tui.widgets.campaign_table import CampaignTable

seen = {}
show = CampaignTable.show

def watching_show(self, rows, **kwargs):
    if rows and "first_rows" not in seen:
        seen["first_rows"] = [m for m in ("httpx", "pydantic") if m in sys.modules]
    return show(self, rows, **kwargs)

CampaignTable.show = watching_show
directory = Path(sys.argv[1])

def connect():
    from skipup_campaigns.startup.connection import demo_client
    return demo_client(path=directory / "demo.db")

async def main():
    setup = build_workspace(connect=connect, list_cache=ListCache("demo", "demo", directory))
    app = CampaignsApp(setup, ui=UISettings(remember_theme=False))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if "first_rows" in seen and "httpx" in sys.modules:
                break
        await app.workers.wait_for_complete()
    seen["after"] = [m for m in ("httpx", "pydantic") if m in sys.modules]

asyncio.run(main())
print(json.dumps(seen))
"""


def cached_list(directory: Path) -> None:
    """A cache file as a previous run leaves it (written without the HTTP stack)."""
    from skipup_campaigns.startup.list_cache import ListCache
    from tests.cached_rows import cached_campaigns
    from tests.conftest import FIXED_NOW

    ListCache("demo", "demo", directory).save(cached_campaigns(), FIXED_NOW)


def test_cached_rows_are_drawn_before_the_http_stack_is_imported(tmp_path: Path) -> None:
    cached_list(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first_rows"] == []  # the cached rows came first
    # and then the client was made, and loaded records (the models, pydantic, never needed)
    assert seen["after"] == ["httpx"]


def test_the_workspace_imports_no_textual_no_ui_and_no_http_stack() -> None:
    code = (
        "import sys; import skipup_campaigns.workspace, skipup_campaigns.startup.connection\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'httpx', "
        "'pydantic') or m.startswith('skipup_campaigns.tui')])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


# Layers above the workspace: it may not import them, not even inside a function.
ABOVE_THE_WORKSPACE = ("textual", "skipup_campaigns.tui", "skipup_campaigns.scripting")


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: a relative import"
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_workspace_module_imports_textual_the_ui_or_the_commands() -> None:
    package = Path(skipup_campaigns.workspace.__file__).parent
    upward = {
        f"{path.name}: {name}"
        for path in sorted(package.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(ABOVE_THE_WORKSPACE)
    }
    assert upward == set()

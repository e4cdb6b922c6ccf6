"""Stylesheets off the start path (tui/stylesheets.py): the app reads the list's two at start,
every other screen names its own sheet, and the rest are read once the first rows are shown."""

from __future__ import annotations

import importlib
import inspect
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.screen import Screen

from skipup_campaigns.paths import styles_dir
from skipup_campaigns.startup.list_cache import ListCache
from skipup_campaigns.tui import stylesheets
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.dialogs import HelpScreen
from skipup_campaigns.tui.list_screen import ListScreen
from tests.cached_rows import cached_campaigns
from tests.conftest import FIXED_NOW
from tests.tui.conftest import settle

SCREEN_MODULES = (
    "bulk_screens",
    "column_picker",
    "detail_screen",
    "dialogs",
    "edit_screen",
    "list_screen",
    "own_commands",
    "report_screen",
)


def our_screens() -> dict[str, type[Screen[object]]]:
    found: dict[str, type[Screen[object]]] = {}
    for name in SCREEN_MODULES:
        module = importlib.import_module(f"skipup_campaigns.tui.{name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
            ):
                found[value.__name__] = value
    return found


def selector_types(sheet: str) -> set[str]:
    """The type each of the sheet's selectors starts with."""
    text = re.sub(r"/\*.*?\*/", "", (styles_dir() / sheet).read_text(), flags=re.S)
    heads = re.findall(r"([^{}]+)\{", text)
    return {part.split()[0] for head in heads for part in head.split(",") if part.strip()}


def read(app: CampaignsApp, *names: str) -> bool:
    return all(app.stylesheet.has_source(str(path)) for path in stylesheets.sheets(*names))


def test_every_later_sheet_is_named_by_the_screens_its_rules_are_for() -> None:
    screens = our_screens()
    for sheet in stylesheets.LATER:
        path = Path(os.path.abspath(styles_dir() / sheet))
        for type_name in selector_types(sheet):
            assert type_name in screens, f"{sheet}: {type_name} is no screen of ours"
            assert path in (screens[type_name].CSS_PATH or []), (sheet, type_name)


def test_the_sheets_read_at_start_style_only_the_list_and_the_whole_app() -> None:
    assert set(stylesheets.AT_START + stylesheets.LATER) == {
        p.name for p in styles_dir().glob("*.tcss")
    }
    for sheet in stylesheets.AT_START:
        assert selector_types(sheet) <= {"Screen", "Toast", "ListScreen"}, sheet
    assert "ListScreen" not in set().union(*(selector_types(s) for s in stylesheets.LATER))


async def test_the_later_sheets_are_read_once_the_first_rows_are_shown_and_the_load_ends(
    tmp_path: Path, make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(cached_campaigns(), FIXED_NOW)
    app = make_app(list_cache=cache)
    seen: list[tuple[int, bool, bool]] = []
    real = stylesheets.read_later

    def watching(app: CampaignsApp) -> None:
        later_read = any(read(app, name) for name in stylesheets.LATER)
        loading = app.workspace.load_state.loading
        seen.append((len(list_screen_of(app).table.rows), later_read, loading))
        real(app)

    monkeypatch.setattr(stylesheets, "read_later", watching)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for _ in range(100):  # (read after the frame that follows the load's end)
            if seen:
                break
            await pilot.pause(0.01)
        [(rows, later_read_before, loading)] = seen  # once,
        assert rows and not later_read_before  # with rows on screen, and nothing before
        assert not loading  # (not while the load runs: it would wait for them)
        assert read(app, *stylesheets.AT_START, *stylesheets.LATER)


def list_screen_of(app: CampaignsApp) -> ListScreen:
    assert isinstance(app.screen, ListScreen)
    return app.screen


async def test_a_screen_shown_before_the_first_rows_brings_its_own_sheet(
    make_app: Callable[..., CampaignsApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(HelpScreen([]))  # before anything is loaded
        await pilot.pause()
        assert read(app, "dialogs.tcss")
        box = app.screen.query_one("#help-box")
        assert box.styles.border_top[0] == "round"  # dialogs.tcss's frame
        await settle(pilot)

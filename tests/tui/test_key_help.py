"""`?` and the key bar come from the bindings: every key of every screen is in the help (a
screen added later is walked too), the help starts with the screen it was opened on, and the
key bar follows the context and fits any width without cutting a label."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen

import skipup_campaigns.tui
from skipup_campaigns.keymap import key_label
from skipup_campaigns.tui.app import CampaignsApp, default_keys
from skipup_campaigns.tui.dialogs import HelpScreen
from skipup_campaigns.tui.key_help import help_sections
from skipup_campaigns.tui.key_help import section as help_section
from skipup_campaigns.tui.report_screen import ReportScreen
from skipup_campaigns.tui.widgets.key_bar import BarItem, KeyBar, fit
from skipup_campaigns.workspace.collection import SORT_KEYS, SORT_LABELS
from tests.tui.conftest import settle, until

MakeApp = Callable[..., CampaignsApp]


def every_screen_class() -> list[type[Screen[Any]]]:
    """Walked here on its own (not through key_help), so the help cannot skip a screen."""
    for module in pkgutil.walk_packages(skipup_campaigns.tui.__path__, "skipup_campaigns.tui."):
        importlib.import_module(module.name)
    found, pending = [], list(Screen.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("skipup_campaigns."):
            found.append(cls)
    return found


def declared(cls: type) -> list[Binding]:
    return [
        b
        for klass in cls.__mro__
        if klass.__module__.startswith("skipup_campaigns.")
        for b in vars(klass).get("BINDINGS", ())
    ]


def test_every_binding_of_every_screen_is_in_the_help() -> None:
    screens = every_screen_class()
    assert len(screens) >= 12  # list, page, form, report, bulk ×5, dialogs, help, setup
    sections = help_sections(CampaignsApp, [], default_keys())
    rows = {
        binding_id: (section.title, row)
        for section in sections
        for row in section.rows
        for binding_id in row.ids.split()
    }
    missing = []
    for cls in [CampaignsApp, *screens]:
        for binding in declared(cls):
            assert isinstance(binding, Binding) and binding.id, (cls, binding)
            if binding.id not in rows:
                missing.append(f"{cls.__name__}: {binding.key} ({binding.id})")
                continue
            shown = rows[binding.id][1].keys
            if "…" in shown:  # a run of number keys, shown by its ends ("1…9")
                first, last = shown.split("…")
                assert first <= key_label(binding.key) <= last, (shown, binding.key)
            else:
                assert key_label(binding.key) in shown
    assert not missing, missing


def test_the_help_names_the_keys_it_used_to_miss() -> None:
    sections = {s.title: s for s in help_sections(CampaignsApp, [], default_keys())}
    listed = {row.ids: row for row in sections["The list"].rows}
    assert listed["list.report"].keys == "R" and listed["list.since"].keys == "h"
    assert "Δ" in listed["list.sort"].what
    assert all(SORT_LABELS[key] in listed["list.sort"].what for key in SORT_KEYS)
    report = {row.ids: row for row in sections["The report"].rows}
    assert report["report.more"].keys == "+ ="
    assert report["report.fewer"].keys == "-"
    assert report["report.choose"].keys == "enter"


async def open_report(pilot: Pilot[Any]) -> ReportScreen:
    await pilot.press("R")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReportScreen)
    return screen


async def test_the_reports_help_shows_the_reports_keys_first(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_report(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        headings = [str(s.render()) for s in help_screen.query(".help-heading")]
        assert headings[:3] == ["The report (here)", "The list", "Anywhere"]
        keys = [str(s.render()) for s in help_screen.query(".help-key")]
        assert "+ =" in keys and "-" in keys and "R" in keys and "h" in keys


def shown(pilot: Pilot[Any]) -> list[BarItem]:
    bar = pilot.app.screen.query_one(KeyBar)
    return bar.shown()


def bar_text(pilot: Pilot[Any]) -> str:
    return "  ".join(f"{item.key} {item.label}" for item in shown(pilot))


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
async def test_the_list_key_bar_ends_with_help_and_quit_at_any_width(
    make_app: MakeApp, width: int
) -> None:
    async with make_app().run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        # (the bar is mounted after the first rows)
        await until(pilot, lambda: bool(pilot.app.screen.query(KeyBar)), "the key bar")
        items = shown(pilot)
        assert [(i.key, i.label) for i in items[-2:]] == [("?", "Help"), ("q", "Quit")]
        assert sum(item.width for item in items) <= width  # every label whole
        rendered = pilot.app.screen.query_one(KeyBar).render().plain
        assert all(f"{item.key} {item.label}" in rendered for item in items)


async def test_the_key_bar_follows_the_marks_the_filter_and_the_report(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: bool(pilot.app.screen.query(KeyBar)), "the key bar")
        assert "space Mark" in bar_text(pilot) or "R Report" in bar_text(pilot)
        await pilot.press("space")
        await pilot.pause()
        keys = [item.key for item in shown(pilot)]
        assert keys[:6] == ["space", "d", "e", "x", "u", "esc"] and keys[-2:] == ["?", "q"]
        await pilot.press("escape")  # the marks cleared: back to the list's keys
        await pilot.pause()
        assert "x" not in [item.key for item in shown(pilot)][:1]
        await pilot.press("slash")
        await pilot.pause()
        assert [item.label for item in shown(pilot)][:2] == ["To the list", "Clear filter"]
        await pilot.press("escape")
        await open_report(pilot)
        await pilot.pause()
        keys = [item.key for item in shown(pilot)]
        assert keys[:3] == ["⏎", "+", "-"] and keys[-2:] == ["q", "?"]


async def test_the_pages_key_bar_at_80_columns_cuts_no_label(make_app: MakeApp) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        items = shown(pilot)
        assert sum(item.width for item in items) <= 80
        assert [(i.key, i.label) for i in items[-2:]] == [("q", "Back"), ("?", "Help")]


def test_fit_keeps_the_kept_items_and_whole_labels_only() -> None:
    items = [
        BarItem("a", "Alpha", "x", None),
        BarItem("b", "Bravo long", "x", None),
        BarItem("c", "C", "x", None),
        BarItem("?", "Help", "x", None, keep=True),
    ]
    assert [i.key for i in fit(items, 10)] == ["?"]
    assert [i.key for i in fit(items, 19)] == ["a", "?"]
    assert [i.key for i in fit(items, 24)] == ["a", "c", "?"]  # b does not fit: c still does


def test_a_run_of_number_keys_is_shown_as_a_range() -> None:
    views = [
        Binding(str(n), f"view({n})", f"View {n}", id=f"views.{n}", tooltip="the view")
        for n in range(1, 7)
    ]
    section = help_section("Views", views, {})
    assert [row.keys for row in section.rows] == ["1…6"]
    assert section.rows[0].ids == " ".join(f"views.{n}" for n in range(1, 7))
    mixed = [
        Binding("1", "a", "A", id="a.1", tooltip="same"),
        Binding("x", "b", "B", id="a.x", tooltip="same"),
        Binding("2", "c", "C", id="a.2", tooltip="same"),
    ]
    assert [row.keys for row in help_section("Mixed", mixed, {}).rows] == ["1  x  2"]
    assert [row.keys for row in help_section("Two", views[:2], {}).rows] == ["1  2"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_every_help_row_leaves_a_gap_between_keys_and_what_they_do(
    make_app: MakeApp, size: tuple[int, int]
) -> None:
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        rows = list(help_screen.query(".help-row"))
        assert rows
        for row in rows:
            key, what = row.query_one(".help-key"), row.query_one(".help-what")
            for y in range(key.size.height):
                text_end = key.content_region.x + len(key.render_line(y).text.rstrip())
                assert text_end < what.region.x, (str(key.render()), str(what.render()))

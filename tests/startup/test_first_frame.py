"""The first frame holds rows on a warm start: the cache's first campaigns, read before the UI
is imported, are merged without waiting when they are there; and the garbage collector, paused
for the start, comes back with the first rows."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from skipup_campaigns.startup import collector
from skipup_campaigns.startup.list_cache import (
    READ_AHEAD,
    CacheReader,
    ListCache,
    checked_campaign,
)
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.list_screen import ListScreen
from skipup_campaigns.workspace import Workspace
from skipup_campaigns.workspace.workspace import FIRST_CHUNK
from tests.cached_rows import cached_campaigns
from tests.conftest import FIXED_NOW
from tests.tui.conftest import list_screen, settle
from tests.workspace.conftest import make_workspace

__all__ = ["make_workspace"]  # the fixture, used here as in tests/workspace


def saved_cache(directory: Path, count: int = 300) -> ListCache:
    cache = ListCache("u", "k", directory)
    cache.save(cached_campaigns(count), FIXED_NOW)
    return cache


def until_ready(source: Any) -> None:
    deadline = time.monotonic() + 10
    while not source.ready():
        assert time.monotonic() < deadline, "never ready"
        time.sleep(0.005)


def test_the_read_ahead_is_the_workspaces_first_chunk() -> None:
    assert READ_AHEAD == FIRST_CHUNK  # else the first frame's chunk reads the file on the loop


def test_a_read_ahead_gives_the_first_campaigns_then_the_rest(tmp_path: Path) -> None:
    cache = saved_cache(tmp_path)
    assert not cache.ready()  # nothing asked for
    cache.read_ahead(5)
    until_ready(cache)
    reader = cache.open()
    assert reader is not None and not cache.ready()  # taken once
    with reader:
        first, second, rest = reader.read(3), reader.read(4), reader.read(None)
    ids = [c.id for c in first + second + rest]
    assert ids == [c["id"] for c in cached_campaigns(300)]
    assert (len(first), len(second)) == (3, 4)


def test_a_read_ahead_of_no_usable_file_is_no_cache(tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)  # never saved
    cache.read_ahead(5)
    until_ready(cache)
    assert cache.open() is None
    cache.path.write_text("not a cache\n")
    cache.read_ahead(5)
    until_ready(cache)
    assert cache.open() is None


async def test_a_ready_cache_is_merged_before_the_load_first_waits(
    tmp_path: Path, make_workspace: Callable[..., Workspace]
) -> None:
    cache = saved_cache(tmp_path)
    cache.read_ahead(READ_AHEAD)
    until_ready(cache)
    workspace = make_workspace(list_cache=cache)
    load = asyncio.create_task(workspace.load(from_cache=True))
    await asyncio.sleep(0)  # the load's first step, up to its first wait
    assert len(workspace.collection) == FIRST_CHUNK  # no thread hop: the first frame has them
    await load
    await workspace.aclose()


async def test_an_early_page_that_came_is_merged_before_the_load_first_waits(
    make_workspace: Callable[..., Workspace],
) -> None:
    """A cold start's early page that came while the UI started goes into the first frame,
    without a thread hop (which let Textual draw an empty frame first)."""

    class Came:
        def ready(self) -> bool:
            return True

        def wait(self, timeout: float) -> list[Any]:
            return [checked_campaign(item) for item in cached_campaigns(5)]

    workspace = make_workspace(first_page=Came())
    load = asyncio.create_task(workspace.load())
    await asyncio.sleep(0)  # the load's first step, up to its first wait
    assert len(workspace.collection) == 5
    await load
    await workspace.aclose()


async def test_a_cache_not_read_ahead_is_read_off_the_loop(
    tmp_path: Path, make_workspace: Callable[..., Workspace]
) -> None:
    workspace = make_workspace(list_cache=saved_cache(tmp_path))
    load = asyncio.create_task(workspace.load(from_cache=True))
    await asyncio.sleep(0)
    assert len(workspace.collection) == 0  # in a thread, not on the UI's loop
    await load
    await workspace.aclose()


def test_the_collector_pauses_then_freezes_what_start_up_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    assert gc.isenabled()
    try:
        collector.resume()  # never paused: nothing
        assert frozen == [] and gc.isenabled()
        collector.pause()
        assert not gc.isenabled()
        collector.resume()
        collector.resume()  # once only
        assert frozen == [True] and gc.isenabled()
    finally:
        gc.enable()


async def test_the_app_resumes_the_collector_with_the_first_rows(
    tmp_path: Path, make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[int] = []
    app = make_app(list_cache=saved_cache(tmp_path))
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(list_screen_rows(app))))
    collector.pause()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert len(frozen) == 1 and frozen[0] > 0  # after rows were on screen
            assert list_screen(pilot).table.rows
    finally:
        gc.enable()


def list_screen_rows(app: CampaignsApp) -> list[Any]:
    return list(app.screen.table.rows)


async def test_what_waits_for_the_first_rows_waits_for_textuals_first_frame(
    tmp_path: Path, make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual holds every frame back until its start-up is done (and runs `call_after_refresh`
    at once until then): the work queued behind the first rows (the key bar, the rest of the
    cache, the other stylesheets) came before the first frame reached the terminal."""
    order: list[str] = []
    on_ready, ensure_footer, read = (
        CampaignsApp.on_ready,
        ListScreen.ensure_footer,
        CacheReader.read,
    )

    def ready(app: CampaignsApp) -> None:
        order.append("first frame")
        on_ready(app)

    async def footer(screen: ListScreen) -> None:
        order.append("key bar")
        await ensure_footer(screen)

    def reading(reader: CacheReader, count: int | None) -> list[Any]:
        order.append(f"read {count}")
        return read(reader, count)

    monkeypatch.setattr(CampaignsApp, "on_ready", ready)
    monkeypatch.setattr(ListScreen, "ensure_footer", footer)
    cache = saved_cache(tmp_path)
    cache.read_ahead(READ_AHEAD)
    until_ready(cache)
    monkeypatch.setattr(CacheReader, "read", reading)
    async with make_app(list_cache=cache).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert order[:2] == [f"read {FIRST_CHUNK}", "first frame"], order
        assert "key bar" in order and "read 5000" in order  # (after it)
        assert list_screen(pilot).table.rows


async def test_the_load_goes_on_without_textuals_first_frame(
    tmp_path: Path, make_app: Callable[..., CampaignsApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A terminal of no size gets no first frame until it is resized: the load does not wait
    for it for ever."""
    monkeypatch.setattr(CampaignsApp, "on_ready", lambda app: None)
    monkeypatch.setattr(ListScreen, "FIRST_FRAME_WAIT", 0.05)
    cache = saved_cache(tmp_path)
    async with make_app(list_cache=cache).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not pilot.app.first_frame.is_set()
        assert list_screen(pilot).table.rows and not pilot.app.workspace.load_state.loading

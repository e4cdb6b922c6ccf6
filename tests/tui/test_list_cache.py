"""Starting from the last loaded list: the cache file, and the list screen drawing it at once."""

from __future__ import annotations

import asyncio
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.list_cache import ListCache
from tests.conftest import FIXED_NOW, Clock, campaigns_on_server
from tests.tui.conftest import CountingTransport, list_screen, settle

KEY = "sk_live_secret_never_on_disk"


def server_models(store: Store) -> list[Campaign]:
    return [Campaign.model_validate(c) for c in campaigns_on_server(store)]


def server_wire(store: Store) -> list[dict]:
    return campaigns_on_server(store)


def test_round_trip_private_file_without_the_key(store: Store, tmp_path: Path) -> None:
    cache = ListCache("https://api.example/api/v1", KEY, tmp_path)
    campaigns = server_models(store)
    cache.save(server_wire(store), FIXED_NOW)
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert KEY.encode() not in cache.path.read_bytes()
    loaded, saved_at = cache.load()
    assert [Campaign.model_validate(vars(c)) for c in loaded] == campaigns
    assert saved_at == FIXED_NOW
    assert list(tmp_path.iterdir()) == [cache.path]  # no temporary file left behind


def test_each_url_and_key_has_its_own_file(tmp_path: Path) -> None:
    paths = {ListCache(url, key, tmp_path).path for url in ("a", "b") for key in ("k1", "k2")}
    assert len(paths) == 4


@pytest.mark.parametrize("content", [b"", b"{not json", b"[]", b'{"version": 99}',
                                     b'{"version": 2, "identity": "other", "saved_at": "x"}',
                                     b"\xff\xfe"])
def test_unusable_files_are_ignored(tmp_path: Path, content: bytes) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.path.write_bytes(content)
    assert cache.load() is None


@pytest.mark.parametrize(("key", "value"), [
    ("name", None), ("name", 5), ("active", "yes"), ("meeting_request_count", "3"),
    ("meeting_request_count", True), ("created_at", "yesterday"),
    ("ends_at", "2026-06-01T00:00:00"), ("booking_rate", None),
])
def test_a_cache_with_a_broken_campaign_is_ignored(store: Store, tmp_path: Path, key: str,
                                                   value: object) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    lines = cache.path.read_text().splitlines()
    record = json.loads(lines[4])
    record[key] = value
    cache.path.write_text("\n".join([*lines[:4], json.dumps(record), *lines[5:]]) + "\n")
    assert cache.load() is None
    with cache.open() as reader:  # a reader stops at the broken line
        assert len(reader.read(None)) == 3 and reader.broken
    del record[key]
    cache.path.write_text("\n".join([*lines[:4], json.dumps(record), *lines[5:]]) + "\n")
    assert cache.load() is None


async def test_cached_rows_show_at_once_then_a_keyed_diff_replaces_them(
        store: Store, clock: Clock, transport: CountingTransport, tmp_path: Path,
        make_app: Callable[..., CampaignsApp]) -> None:
    cache = ListCache("u", "k", tmp_path)
    stale = server_models(store)
    cache.save(server_wire(store), FIXED_NOW)
    # Since the cache was written: one campaign renamed, one deactivated, one created.
    renamed, gone = stale[0], stale[2]
    clock.advance(minutes=5)
    store.update_campaign(MAIN_WORKSPACE, renamed.id, {"name": "Renamed since"})
    store.deactivate_campaign(MAIN_WORKSPACE, gone.id)
    team = store.list_teams(MAIN_WORKSPACE, limit=10, cursor=None)[0][-1]["id"]
    store.create_campaign(MAIN_WORKSPACE, {"name": "Created since", "team_id": team})

    transport.gate = asyncio.Event()
    transport.hold = lambda request: True
    async with make_app(list_cache=cache).run_test(size=(100, 30)) as pilot:
        screen = list_screen(pilot)
        for _ in range(50):  # read off the UI thread: there within moments
            await pilot.pause(0.02)
            if screen.table.rows:
                break
        names = [r.campaign.name for r in screen.table.rows]
        assert names[0] == renamed.name and gone.name in names  # the cache, drawn at once
        status = str(screen.query_one("#load-status").render())
        assert status.startswith("cached ") and "refreshing…" in status
        cursor_row = screen.table.cursor_row
        assert cursor_row.id == renamed.id
        transport.gate.set()
        await settle(pilot)
        names = [r.campaign.name for r in screen.table.rows]
        assert "Renamed since" in names and "Created since" in names
        assert gone.name not in names
        assert screen.table.cursor_id == renamed.id
        assert screen.table.cursor_row is cursor_row  # the same row, updated in place
        assert str(screen.query_one("#load-status").render()).startswith("updated ")
    saved, _ = cache.load()
    assert {c.id for c in saved} == {c["id"] for c in campaigns_on_server(store)}


async def test_a_failed_refresh_keeps_the_cached_rows_and_says_they_are_stale(
        store: Store, transport: CountingTransport, tmp_path: Path,
        make_app: Callable[..., CampaignsApp]) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    transport.fail = lambda request: True
    async with make_app(list_cache=cache).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        assert len(screen.table.rows) == len(campaigns_on_server(store, active=True))
        status = str(screen.query_one("#load-status").render())
        assert status.startswith("stale since ") and "(cached)" in status


def test_the_reader_gives_the_first_screenful_before_the_rest(store: Store,
                                                              tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)
    wire = server_wire(store)
    cache.save(wire, FIXED_NOW)
    with cache.open() as reader:
        first = reader.read(5)
        rest = reader.read(None)
        assert reader.read(10) == []
    assert [c.id for c in first + rest] == [c["id"] for c in wire]
    assert len(first) == 5 and not reader.broken

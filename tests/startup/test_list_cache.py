"""Starting from the last loaded list: the cache file, and the list screen drawing it at once."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.paths import cache_dir, data_dir
from skipup_campaigns.sandbox import Store
from skipup_campaigns.sandbox.seed import MAIN_WORKSPACE
from skipup_campaigns.startup import list_cache
from skipup_campaigns.startup.list_cache import ListCache
from skipup_campaigns.tui.app import CampaignsApp
from tests.conftest import FIXED_NOW, Clock, campaigns_on_server
from tests.transports import CountingTransport
from tests.tui.conftest import list_screen, settle

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


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"version": 99}',
        b'{"version": 2, "identity": "other", "saved_at": "x"}',
        b"\xff\xfe",
    ],
)
def test_unusable_files_are_ignored(tmp_path: Path, content: bytes) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.path.write_bytes(content)
    assert cache.load() is None


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", None),
        ("name", 5),
        ("active", "yes"),
        ("meeting_request_count", "3"),
        ("meeting_request_count", True),
        ("created_at", "yesterday"),
        ("ends_at", "2026-06-01T00:00:00"),
        ("booking_rate", None),
        # Finding 1: the numbers the client refuses (json.loads reads NaN and Infinity).
        pytest.param("meetings_booked_count", 10**400, id="booked-10**400"),
        ("meeting_request_count", -5),
        ("meeting_request_count", 2**53 + 1),
        ("booking_rate", float("nan")),
        ("booking_rate", float("inf")),
        pytest.param("booking_rate", 10**400, id="rate-10**400"),
        ("booking_rate", True),
        ("created_at", "0001-01-01T00:00:00+01:00"),
    ],
)
def test_a_cache_with_a_broken_campaign_is_ignored(
    store: Store, tmp_path: Path, key: str, value: object
) -> None:
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
    store: Store,
    clock: Clock,
    transport: CountingTransport,
    tmp_path: Path,
    make_app: Callable[..., CampaignsApp],
) -> None:
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
    store: Store,
    transport: CountingTransport,
    tmp_path: Path,
    make_app: Callable[..., CampaignsApp],
) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    transport.fail = lambda request: True
    async with make_app(list_cache=cache).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        assert len(screen.table.rows) == len(campaigns_on_server(store, active=True))
        status = str(screen.query_one("#load-status").render())
        assert status.startswith("stale ") and "(cached)" in status


def test_the_reader_gives_the_first_screenful_before_the_rest(store: Store, tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)
    wire = server_wire(store)
    cache.save(wire, FIXED_NOW)
    with cache.open() as reader:
        first = reader.read(5)
        rest = reader.read(None)
        assert reader.read(10) == []
    assert [c.id for c in first + rest] == [c["id"] for c in wire]
    assert len(first) == 5 and not reader.broken


# -- a hostile cache file (issue 16, section 5) ---------------------------------------------


def load_in_child(directory: Path) -> str:
    """Whether ListCache("u", "k", directory).load() found nothing usable without reading
    more than 200 MB, run in a child process limited to 1 GB of address space and 20 s: a hang
    or a runaway read fails the test instead of the machine."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pathlib import Path\n"
        "from skipup_campaigns.startup.list_cache import ListCache\n"
        f"unused = ListCache('u', 'k', Path({str(directory)!r})).load() is None\n"
        # VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
        "peak_kib = int(next(line.split()[1] for line in open('/proc/self/status')\n"
        "               if line.startswith('VmHWM:')))\n"
        "print(unused and peak_kib < 200 * 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False
    )
    return done.stdout.strip() or done.stderr.strip().splitlines()[-1]


def test_a_fifo_in_place_of_the_cache_is_not_waited_for(tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)
    os.mkfifo(cache.path, 0o600)
    try:
        assert load_in_child(tmp_path) == "True"
    except subprocess.TimeoutExpired:
        pytest.fail("reading the cache waited on a FIFO")


def test_a_link_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.path.symlink_to("/dev/zero")
    assert load_in_child(tmp_path) == "True"  # never in this process: it could fill memory


def test_a_link_to_a_valid_cache_elsewhere_is_not_followed(store: Store, tmp_path: Path) -> None:
    elsewhere = ListCache("u", "k", tmp_path / "elsewhere")
    elsewhere.save(server_wire(store), FIXED_NOW)
    cache = ListCache("u", "k", tmp_path)
    cache.path.symlink_to(elsewhere.path)
    assert elsewhere.load() is not None and cache.load() is None and cache.open() is None


def test_a_cache_others_can_read_is_not_shown(store: Store, tmp_path: Path) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    cache.path.chmod(0o644)
    assert cache.load() is None


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_another_users_world_readable_file_is_not_shown_as_your_list(
    store: Store, tmp_path: Path
) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    os.chown(cache.path, 65534, 65534)
    assert cache.load() is None  # even 0600: it is not yours
    cache.path.chmod(0o644)
    assert cache.load() is None


def test_a_cache_over_the_size_cap_is_neither_read_nor_written(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = ListCache("u", "k", tmp_path)
    cache.save(server_wire(store), FIXED_NOW)
    size = cache.path.stat().st_size
    monkeypatch.setattr(list_cache, "MAX_BYTES", size - 1)
    assert cache.load() is None
    cache.save(server_wire(store), FIXED_NOW)  # too big to keep: no file rather than a stale one
    assert not cache.path.exists() and list(tmp_path.iterdir()) == []
    monkeypatch.setattr(list_cache, "MAX_BYTES", size)
    cache.save(server_wire(store), FIXED_NOW)
    assert cache.load() is not None


def test_the_cache_directory_is_created_0700(store: Store) -> None:
    cache = ListCache("u", "k")
    cache.save(server_wire(store), FIXED_NOW)
    assert cache.path.parent == cache_dir()
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600


def test_the_file_name_does_not_let_anyone_test_a_guessed_key(tmp_path: Path) -> None:
    """The name is an HMAC under the user's random salt (data directory, 0600), not a plain
    hash of the URL and key that anyone could compute from a guess."""
    cache = ListCache("https://api.skipup.ai/api/v1", KEY, tmp_path)
    guess = hashlib.sha256(f"https://api.skipup.ai/api/v1\0{KEY}".encode()).hexdigest()[:32]
    assert guess not in cache.path.name
    salt = data_dir() / "name-salt"
    assert stat.S_IMODE(salt.stat().st_mode) == 0o600 and len(salt.read_bytes()) == 32
    assert ListCache("https://api.skipup.ai/api/v1", KEY, tmp_path).path == cache.path


@pytest.mark.parametrize("value", [0, 2**53, 2**53 + 1, -1, 10**400, 1.5])
@pytest.mark.parametrize("key", ["meeting_request_count", "meetings_booked_count"])
def test_the_cache_check_and_the_client_agree_on_counts(key: str, value: object) -> None:
    """One limit (number_limits) for the models and for the readers without pydantic."""
    from pydantic import ValidationError

    from tests.hostile_server import campaign

    item = campaign(1, **{key: value})
    try:
        Campaign.model_validate(item)
    except ValidationError:
        with pytest.raises(ValueError):
            list_cache.checked_campaign(item)
    else:
        assert getattr(list_cache.checked_campaign(item), key) == value

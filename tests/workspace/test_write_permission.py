"""Read-only learned early: a key's refusal (403, campaigns.write) is remembered per key (a
keyed hash, like the list cache) so the next session starts read-only and says since when; a
probe that changes nothing checks again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from skipup_campaigns.api.errors import PermissionDeniedError
from skipup_campaigns.workspace import Workspace, WritePermissionChanged
from skipup_campaigns.workspace.write_permission import WritePermissionMemory, probe_write
from tests.conftest import ADMIN, IN_PROCESS_URL, READONLY, Clock, campaigns_on_server
from tests.transports import CountingTransport

MakeWorkspace = Callable[..., Workspace]


def memory(tmp_path: Path, key: str) -> WritePermissionMemory:
    return WritePermissionMemory(IN_PROCESS_URL, key, tmp_path)


async def test_a_refusal_is_remembered_and_the_next_session_starts_read_only(
    make_workspace: MakeWorkspace, tmp_path: Path, clock: Clock, store: object
) -> None:
    first = make_workspace(READONLY, write_memory=memory(tmp_path, READONLY))
    assert first.writable and first.write_refused_at is None
    seen: list[object] = []
    first.subscribe(seen.append)
    campaign_id = campaigns_on_server(store)[0]["id"]  # type: ignore[arg-type]
    result = await first.deactivate(await first.fetch(campaign_id))
    assert isinstance(result.error, PermissionDeniedError)
    assert not first.writable and first.write_refused_at == clock()
    assert any(isinstance(e, WritePermissionChanged) and not e.writable for e in seen)
    await first.aclose()

    clock.advance(minutes=90)
    second = make_workspace(READONLY, write_memory=memory(tmp_path, READONLY))
    assert not second.writable  # before any request
    assert second.write_refused_at == clock() - timedelta(minutes=90)
    # Another key (or another server) remembers nothing of it.
    assert make_workspace(ADMIN, write_memory=memory(tmp_path, ADMIN)).writable
    assert WritePermissionMemory("http://elsewhere", READONLY, tmp_path).load() is None
    await second.aclose()


def test_the_file_names_neither_the_key_nor_the_server(tmp_path: Path) -> None:
    kept = memory(tmp_path, READONLY)
    kept.remember_refused(datetime(2026, 12, 7, 14, 5, tzinfo=timezone.utc))
    files = list(tmp_path.glob("write-*.json"))
    assert files == [kept.path]
    text = kept.path.read_text()
    assert READONLY not in text and READONLY not in kept.path.name
    assert (kept.path.stat().st_mode & 0o777) == 0o600
    assert kept.load() is not None
    kept.path.write_text("{not json")
    assert kept.load() is None  # unreadable: nothing remembered, never an error


async def test_checking_again_asks_the_server_and_changes_nothing(
    make_workspace: MakeWorkspace, tmp_path: Path, transport: CountingTransport, store: object
) -> None:
    before = campaigns_on_server(store)  # type: ignore[arg-type]
    # Remembered from an earlier session; since then the key got the scope (here: ADMIN).
    memory(tmp_path, ADMIN).remember_refused(datetime(2026, 12, 1, tzinfo=timezone.utc))
    workspace = make_workspace(ADMIN, write_memory=memory(tmp_path, ADMIN))
    assert not workspace.writable
    assert await workspace.recheck_write() is True
    assert workspace.writable and workspace.write_refused_at is None
    assert memory(tmp_path, ADMIN).load() is None
    readonly = make_workspace(READONLY, write_memory=memory(tmp_path, READONLY))
    assert await readonly.recheck_write() is False
    assert not readonly.writable and memory(tmp_path, READONLY).load() is not None
    assert campaigns_on_server(store) == before  # type: ignore[arg-type]
    probes = [r for r in transport.sent if r.method == "PATCH"]
    assert len(probes) == 2 and all(r.content == b"{}" for r in probes)
    await workspace.aclose()
    await readonly.aclose()


async def test_the_probe_reads_the_scope_not_the_campaign(transport: CountingTransport) -> None:
    from skipup_campaigns.api import SkipUpClient

    async with SkipUpClient(ADMIN, IN_PROCESS_URL, transport=transport) as admin:
        assert await probe_write(admin) is True
    async with SkipUpClient(READONLY, IN_PROCESS_URL, transport=transport) as readonly:
        assert await probe_write(readonly) is False

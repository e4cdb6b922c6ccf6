"""Read-only learned early: a key's refusal is remembered, so the next session starts
read-only and says since when; write keys say why instead of doing nothing (with marks too);
`:write` (or the palette) asks the server again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from skipup_campaigns.sandbox import Store
from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.bulk_screens import BulkPreviewScreen
from skipup_campaigns.tui.dialogs import ConfirmDialog
from skipup_campaigns.tui.edit_screen import EditScreen
from skipup_campaigns.workspace.write_permission import WritePermissionMemory
from tests.conftest import ADMIN, IN_PROCESS_URL, READONLY, Clock, campaigns_on_server
from tests.tui.conftest import CountingTransport, list_screen, settle

MakeApp = Callable[..., CampaignsApp]


def title(pilot: Pilot[Any]) -> str:
    return str(list_screen(pilot).query_one("#title").render())


def toasts(pilot: Pilot[Any]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_a_refusal_learned_in_one_session_starts_the_next_read_only(
    make_app: MakeApp, tmp_path: Path, clock: Clock, store: Store, transport: CountingTransport
) -> None:
    async with make_app(
        READONLY, write_memory=WritePermissionMemory(IN_PROCESS_URL, READONLY, tmp_path)
    ).run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert "read-only" not in title(pilot)  # nothing known yet: scopes are not guessed
        await pilot.press("d")
        for _ in range(100):  # (the dialog waits for an answer: no settle while it is up)
            await pilot.pause(0.02)
            if isinstance(pilot.app.screen, ConfirmDialog):
                break
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")  # deactivate: refused (403)
        await settle(pilot)
        learned = clock().strftime("%H:%M UTC")
        assert f"read-only (learned {learned})" in title(pilot)
    before = campaigns_on_server(store)
    sent = len(transport.requests)
    async with make_app(
        READONLY, write_memory=WritePermissionMemory(IN_PROCESS_URL, READONLY, tmp_path)
    ).run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert f"read-only (learned {learned})" in title(pilot)  # before any write is tried
        for keys in (("n",), ("e",), ("space", "d"), ("e",)):  # the last two with a mark
            pilot.app._notifications.clear()
            await pilot.press(*keys)
            await settle(pilot)
            assert any("cannot change campaigns" in t and ":write" in t for t in toasts(pilot)), (
                keys
            )
            assert not isinstance(pilot.app.screen, (EditScreen, BulkPreviewScreen))
    writes = [r for r in transport.requests[sent:] if r.method != "GET"]
    assert writes == [] and campaigns_on_server(store) == before


async def test_write_checks_again_and_follows_the_server(
    make_app: MakeApp, tmp_path: Path, store: Store
) -> None:
    from datetime import datetime, timezone

    # Remembered from an earlier session; the key has been given the scope since.
    WritePermissionMemory(IN_PROCESS_URL, ADMIN, tmp_path).remember_refused(
        datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    )
    async with make_app(
        ADMIN, write_memory=WritePermissionMemory(IN_PROCESS_URL, ADMIN, tmp_path)
    ).run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert "read-only (learned" in title(pilot)
        await pilot.press("colon", *"write", "enter")
        await settle(pilot)
        assert "writing is on" in " ".join(toasts(pilot))
        assert "read-only" not in title(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditScreen)
    assert WritePermissionMemory(IN_PROCESS_URL, ADMIN, tmp_path).load() is None


async def test_a_session_read_only_by_choice_says_so_for_each_write_key(make_app: MakeApp) -> None:
    async with make_app(read_only=True).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert any("Writing is off" in t for t in toasts(pilot))
        await pilot.press("enter")  # the campaign's page: e says so too
        await settle(pilot)
        pilot.app._notifications.clear()
        await pilot.press("e")
        await settle(pilot)
        assert any("Writing is off" in t for t in toasts(pilot))
        assert not isinstance(pilot.app.screen, EditScreen)


def test_the_refusal_toast_says_when_in_plain_words_without_nested_brackets() -> None:
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from skipup_campaigns.display.dates import UTC_ZONE
    from skipup_campaigns.tui.read_only import write_refusal

    refused = datetime(2026, 12, 7, 14, 30, tzinfo=timezone.utc)
    learned = SimpleNamespace(read_only=False, write_refused_at=refused, display_zone=UTC_ZONE)
    words = write_refusal(learned)  # type: ignore[arg-type]
    assert "the campaigns.write scope at 14:30 UTC." in words
    assert "((" not in words and "))" not in words and "(read-only" not in words
    assert ":write" in words
    chosen = SimpleNamespace(read_only=True, write_refused_at=None, display_zone=UTC_ZONE)
    by_choice = write_refusal(chosen)  # type: ignore[arg-type]
    assert by_choice.startswith("Writing is off") and "((" not in by_choice

"""The config file's [keymap] remaps bindings by id (and the help shows the keys in force);
the clipboard method is auto, osc52 or off."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from skipup_campaigns.tui.app import CampaignsApp
from skipup_campaigns.tui.dialogs import HelpScreen
from tests.transports import CountingTransport
from tests.tui.conftest import list_screen, settle
from tests.tui.test_edit_flows import open_first

MakeApp = Callable[..., CampaignsApp]


def list_requests(transport: CountingTransport) -> int:
    return sum(1 for r in transport.requests if r.url.path.endswith("/campaigns"))


async def test_a_remapped_key_acts_and_the_old_one_does_not(
    make_app: MakeApp, transport: CountingTransport
) -> None:
    app = make_app(keymap={"list.refresh": "f5", "list.toggle_active": "t"})
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = list_screen(pilot)
        before = list_requests(transport)
        await pilot.press("r")
        await settle(pilot)
        assert list_requests(transport) == before
        await pilot.press("f5")
        await settle(pilot)
        assert list_requests(transport) > before
        assert screen.active_only
        await pilot.press("t")
        assert not screen.active_only


async def test_help_shows_the_keys_in_force_and_every_row_names_real_ids(make_app: MakeApp) -> None:
    async with make_app(keymap={"list.refresh": "f5,ctrl+r"}).run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)

        def rows() -> list[tuple[str, str]]:
            return [
                (str(row.children[0].render()), str(row.children[1].render()))
                for row in help_screen.query(".help-row")
            ]

        assert ("f5 ctrl+r", "refresh from the server (filter, sort and cursor are kept)") in rows()
        await pilot.press("i")  # the binding ids, for the config file's [keymap]
        assert ("f5 ctrl+r", "list.refresh") in rows()
        assert ("?", "app.help") in rows()
        assert ("tab  shift+tab", "form.next_field form.previous_field") in rows()


async def test_an_unknown_binding_id_is_named_in_a_warning(make_app: MakeApp) -> None:
    async with make_app(keymap={"list.refesh": "f5"}).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any("list.refesh" in m and "[keymap]" in m for m in messages)


async def test_clipboard_off_offers_no_copy(make_app: MakeApp) -> None:
    async with make_app(clipboard="off").run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        await pilot.press("c", "y")
        assert pilot.app.clipboard == ""
        assert not detail.check_action("copy_id", ()) and not detail.check_action(
            "copy_email", ()
        )  # so the footer does not offer them


async def test_clipboard_auto_uses_the_local_tool_when_not_over_ssh(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = tmp_path / "copied"
    tool = tmp_path / "bin" / "xclip"
    tool.parent.mkdir()
    tool.write_text(f"#!/bin/sh\ncat > {copied}\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tool.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    for var in ("SSH_CONNECTION", "SSH_TTY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    async with make_app(clipboard="auto").run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        await pilot.press("y")
        await settle(pilot)  # the copy runs in a thread
        assert copied.read_text() == detail.campaign.id
        assert pilot.app.clipboard == ""  # no OSC 52 was needed
        monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22")
        await pilot.press("c")
        await settle(pilot)
        assert pilot.app.clipboard == detail.campaign.email_address  # over SSH: OSC 52
        assert copied.read_text() == detail.campaign.id


async def test_a_slow_tmux_does_not_hold_up_the_keys(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tmux's load-buffer runs in a thread: while it hangs, keys still act."""
    import asyncio

    from skipup_campaigns.tui.detail_screen import DetailScreen

    started, release, buffered = (tmp_path / name for name in ("started", "release", "buf"))
    tmux = tmp_path / "bin" / "tmux"
    tmux.parent.mkdir()
    # A tmux that hangs until the test lets it go (at most 5 s), keeping what it was given.
    tmux.write_text(
        f"#!/bin/sh\necho $$ > {started}\ni=0\n"
        f"while [ ! -e {release} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); "
        f'done\n[ "$1" = load-buffer ] && cat > {buffered}\nexit 0\n'
    )
    tmux.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmux.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    async with make_app(clipboard="osc52").run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        await pilot.press("y")
        for _ in range(200):
            if started.exists() and started.read_text().strip():
                break
            await asyncio.sleep(0.02)
        pid = int(started.read_text())
        await pilot.press("escape")  # back to the list while tmux still hangs
        assert not isinstance(pilot.app.screen, DetailScreen)
        os.kill(pid, 0)  # still running: the key did not wait for it
        release.write_text("")
        await settle(pilot)
        assert buffered.read_text() == detail.campaign.id

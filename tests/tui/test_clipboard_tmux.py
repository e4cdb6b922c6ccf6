"""Copying inside tmux goes through `tmux load-buffer -w` (tmux drops an application's OSC 52
by default); the toast claims only what was done; nothing with a line break or a control
character is ever copied. tmux is a fake on PATH that records what it was given."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from skipup_campaigns.clipboard import copy_text
from skipup_campaigns.tui.app import CampaignsApp
from tests.tui.test_edit_flows import open_first

MakeApp = Callable[..., CampaignsApp]


def fake_tmux(
    tmp_path: Path, *, set_clipboard: str = "external", fails: bool = False
) -> dict[str, str]:
    """A `tmux` that keeps the buffer it is given in tmp_path/buffer; returns an environment
    as inside tmux (not over SSH, no local clipboard tool) with it first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / "tmux"
    tool.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {tmp_path / "calls"}\n'
        f'if [ "$1" = load-buffer ]; then cat > {tmp_path / "buffer"}; exit {int(fails)}; fi\n'
        f'if [ "$1" = show-options ]; then echo {set_clipboard}; fi\n'
    )
    tool.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "TMUX": "/tmp/tmux-1000/default,1,0"}


def test_inside_tmux_the_text_goes_to_tmux_load_buffer(tmp_path: Path) -> None:
    outcome = copy_text("cmp_01ABC", "the id", "auto", fake_tmux(tmp_path))
    assert (tmp_path / "buffer").read_text() == "cmp_01ABC"
    assert "load-buffer -w -" in (tmp_path / "calls").read_text()
    assert outcome.message == "Copied the id (tmux's buffer and your clipboard): cmp_01ABC"
    assert not outcome.warning and not outcome.send_osc52 and not outcome.passthrough


def test_with_set_clipboard_off_only_the_buffer_is_claimed(tmp_path: Path) -> None:
    outcome = copy_text("cmp_01ABC", "the id", "osc52", fake_tmux(tmp_path, set_clipboard="off"))
    assert (tmp_path / "buffer").read_text() == "cmp_01ABC"
    assert outcome.warning
    assert "paste buffer only" in outcome.message
    assert "set -g set-clipboard external" in outcome.message


def test_when_tmux_cannot_take_it_the_toast_says_what_to_set(tmp_path: Path) -> None:
    outcome = copy_text("cmp_01ABC", "the id", "auto", fake_tmux(tmp_path, fails=True))
    assert outcome.warning and not outcome.message.startswith("Copied")
    assert "set -g set-clipboard on" in outcome.message
    assert outcome.send_osc52 and outcome.passthrough.startswith("\x1bPtmux;")


def test_without_tmux_osc52_is_sent(tmp_path: Path) -> None:
    environ = {"PATH": str(tmp_path), "SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22"}
    outcome = copy_text("cmp_01ABC", "the id", "auto", environ)
    assert outcome.send_osc52 and outcome.message == "Copied the id: cmp_01ABC"


@pytest.mark.parametrize(
    "text", ["cmp_1\nrm -rf ~", "a\rb", "x\x1b]0;t\x07", "tab\there", "del\x7f", "c1\x9b31m"]
)
def test_a_line_break_or_control_character_is_never_copied(tmp_path: Path, text: str) -> None:
    outcome = copy_text(text, "the id", "auto", fake_tmux(tmp_path))
    assert outcome.warning and outcome.message.startswith("Not copied")
    assert not outcome.send_osc52 and not outcome.passthrough
    assert not (tmp_path / "buffer").exists()


async def test_y_on_a_campaigns_page_inside_tmux(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in fake_tmux(tmp_path).items():
        monkeypatch.setenv(name, value)
    for var in ("SSH_CONNECTION", "SSH_TTY", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    async with make_app(clipboard="auto").run_test(size=(100, 30)) as pilot:
        detail = await open_first(pilot)
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()  # the copy runs in a thread
        await pilot.pause()
        assert (tmp_path / "buffer").read_text() == detail.campaign.id
        assert pilot.app.clipboard == ""  # tmux passes it on; no OSC 52 of our own
        toasts = [n.message for n in pilot.app._notifications]
        assert f"Copied the id (tmux's buffer and your clipboard): {detail.campaign.id}" in toasts

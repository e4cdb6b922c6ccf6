"""Copying: the OSC 52 escape sequence (over SSH), its tmux-wrapped form, and the local
clipboard tool for a terminal on the machine itself (`clipboard = "auto"`).

The terminal (not the remote machine) owns the clipboard, so the text travels inside an
escape sequence. Inside tmux the sequence must be wrapped in a DCS passthrough, or tmux eats it.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Mapping

MAX_COPY_BYTES = 8192
"""Terminals cap OSC 52 payloads (some near 100 kB, some lower); ids and addresses are short."""


class ClipboardError(ValueError):
    pass


def osc52(text: str) -> str:
    """The OSC 52 sequence that puts `text` on the system clipboard."""
    data = text.encode("utf-8")
    if len(data) > MAX_COPY_BYTES:
        raise ClipboardError(f"too long to copy ({len(data):,} bytes; at most "
                             f"{MAX_COPY_BYTES:,})")
    return f"\x1b]52;c;{base64.b64encode(data).decode('ascii')}\x07"


def tmux_wrapped(sequence: str) -> str:
    """`sequence` passed through tmux to the outer terminal (ESCs inside are doubled)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def local_tool(environ: Mapping[str, str]) -> list[str] | None:
    """The command that fills this machine's own clipboard, when this machine has the screen
    (not over SSH) and such a command is installed."""
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
        return None  # the clipboard that matters is the user's, at the other end: OSC 52
    candidates: list[list[str]] = [["pbcopy"]]
    if environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    for command in candidates:
        if shutil.which(command[0], path=environ.get("PATH")):
            return command
    return None


def copy_locally(text: str, environ: Mapping[str, str] | None = None) -> bool:
    """Hand `text` to the local clipboard tool; False when there is none or it failed."""
    environ = os.environ if environ is None else environ
    command = local_tool(environ)
    if command is None:
        return False
    try:
        done = subprocess.run(command, input=text.encode("utf-8"), timeout=2,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0

"""Copying: the local clipboard tool for a terminal on the machine itself (`clipboard =
"auto"`), tmux's own buffer inside tmux, and the OSC 52 escape sequence (over SSH).

The terminal (not the remote machine) owns the clipboard, so the text travels inside an
escape sequence. Inside tmux an application's OSC 52 is dropped by default (`set-clipboard
external`, `allow-passthrough off`), so there the text goes to `tmux load-buffer -w`, which
fills tmux's paste buffer and has tmux itself pass it on to the terminal.

Only what was done is claimed; nothing holding a line break or control character is copied
(a pasted id must not run a command). `copy_text` may wait seconds on a subprocess: the app
calls it in a thread.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

from skipup_campaigns.display.safe_text import safe

MAX_COPY_BYTES = 8192
"""Terminals cap OSC 52 payloads (some near 100 kB, some lower); ids and addresses are short."""


BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


class ClipboardError(ValueError):
    pass


@dataclass(frozen=True)
class CopyOutcome:
    """What a copy did, for the toast, and what the caller must still write to the terminal."""

    message: str
    warning: bool = False
    send_osc52: bool = False
    """The caller sends the OSC 52 sequence (Textual's copy_to_clipboard)."""
    passthrough: str = ""
    """Bytes the caller writes to the terminal as well (tmux's DCS-wrapped OSC 52)."""


def check_copyable(text: str) -> None:
    """Refuse what must not reach a clipboard: a line break or any control character (a
    pasted value would act, not just appear; a bidi control would make it read as something
    else where pasted), or more than terminals accept."""
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in BIDI_CONTROLS for ch in text):
        raise ClipboardError("it holds a line break or a control character")
    data = text.encode("utf-8")
    if len(data) > MAX_COPY_BYTES:
        raise ClipboardError(f"too long to copy ({len(data):,} bytes; at most {MAX_COPY_BYTES:,})")


def copy_text(
    text: str, what: str, method: str, environ: Mapping[str, str] | None = None
) -> CopyOutcome:
    """Copy `text` (described as `what`, e.g. "the id") by `method` (auto | osc52)."""
    environ = os.environ if environ is None else environ
    try:
        check_copyable(text)
    except ClipboardError as exc:
        return CopyOutcome(f"Not copied: {exc}.", warning=True)
    shown = safe(text)
    if method == "auto" and copy_locally(text, environ):
        return CopyOutcome(f"Copied {what}: {shown}")
    if environ.get("TMUX"):
        return copy_in_tmux(text, what, environ)
    return CopyOutcome(f"Copied {what}: {shown}", send_osc52=True)


def copy_in_tmux(text: str, what: str, environ: Mapping[str, str]) -> CopyOutcome:
    """tmux's buffer, passed on to the terminal by tmux (`load-buffer -w`, tmux 3.2+); when
    that cannot be done, the escape sequence both plain and wrapped, and what to set."""
    shown = safe(text)
    tmux = shutil.which("tmux", path=environ.get("PATH"))
    if tmux and _run([tmux, "load-buffer", "-w", "-"], text, environ) is not None:
        if (
            _run([tmux, "show-options", "-gv", "set-clipboard"], "", environ) or ""
        ).strip() == "off":
            return CopyOutcome(
                f"Copied {what} to tmux's paste buffer only: tmux's set-clipboard is off "
                f"(`set -g set-clipboard external` in tmux.conf passes copies on to your "
                f"clipboard): {shown}",
                warning=True,
            )
        return CopyOutcome(f"Copied {what} (tmux's buffer and your clipboard): {shown}")
    return CopyOutcome(
        f"Sent {what} through tmux, which drops it unless tmux.conf has `set -g "
        f"set-clipboard on` (or `allow-passthrough on`); tmux 3.2+ takes it directly: {shown}",
        warning=True,
        send_osc52=True,
        passthrough=tmux_wrapped(osc52(text)),
    )


def _run(command: list[str], stdin: str, environ: Mapping[str, str]) -> str | None:
    """The command's output, or None when it could not run or failed."""
    try:
        done = subprocess.run(
            command,
            input=stdin.encode("utf-8"),
            timeout=2,
            capture_output=True,
            env=dict(environ),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def osc52(text: str) -> str:
    """The OSC 52 sequence that puts `text` on the system clipboard."""
    data = text.encode("utf-8")
    if len(data) > MAX_COPY_BYTES:
        raise ClipboardError(f"too long to copy ({len(data):,} bytes; at most {MAX_COPY_BYTES:,})")
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
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            timeout=2,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0

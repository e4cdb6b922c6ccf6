"""Copying over SSH: the OSC 52 escape sequence, and its tmux-wrapped form.

The terminal (not the remote machine) owns the clipboard, so the text travels inside an
escape sequence. Inside tmux the sequence must be wrapped in a DCS passthrough, or tmux eats it.
"""

from __future__ import annotations

import base64

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

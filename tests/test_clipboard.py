"""The OSC 52 sequence and its tmux passthrough form; a text too long for it is refused."""

from __future__ import annotations

import pytest


def test_osc52_and_its_tmux_form() -> None:
    from skipup_campaigns.clipboard import ClipboardError, osc52, tmux_wrapped

    assert osc52("cmp_1") == "\x1b]52;c;Y21wXzE=\x07"
    assert tmux_wrapped(osc52("cmp_1")) == "\x1bPtmux;\x1b\x1b]52;c;Y21wXzE=\x07\x1b\\"
    with pytest.raises(ClipboardError, match="too long"):
        osc52("x" * 9000)

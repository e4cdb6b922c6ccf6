"""Copying (`c`/`y`) the hostile server's ids and addresses: nothing holding a line break or a
control character (C0, C1, bidi) reaches a clipboard, whichever way it would go."""

from __future__ import annotations

import pytest

from skipup_campaigns.clipboard import ClipboardError, check_copyable, copy_text
from tests.hostile_server import HOSTILE_TEXTS, hostile_campaigns

CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} | set(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
COPIED_FIELDS = ("id", "email_address")
VALUES = sorted({c[field] for c in hostile_campaigns() for field in COPIED_FIELDS})
WITH_CONTROLS = [value for value in VALUES if set(value) & CONTROLS]


def test_the_hostile_ids_and_addresses_cover_every_payload() -> None:
    assert set(VALUES) == set(HOSTILE_TEXTS)
    assert "cmp_1\nq" in WITH_CONTROLS  # a pasted id must not run a command
    assert any("\u202e" in value for value in WITH_CONTROLS)


@pytest.mark.parametrize("value", WITH_CONTROLS, ids=lambda value: repr(value[:24]))
@pytest.mark.parametrize("method", ["auto", "osc52"])
@pytest.mark.parametrize(
    "environ",
    [{}, {"TMUX": "/tmp/tmux-0/default,1,0"}, {"SSH_CONNECTION": "127.0.0.1 1 127.0.0.1 22"}],
)
def test_a_value_holding_a_control_is_never_copied(
    value: str, method: str, environ: dict[str, str]
) -> None:
    with pytest.raises(ClipboardError):
        check_copyable(value)
    outcome = copy_text(value, "the id", method, {**environ, "PATH": "/nonexistent"})
    assert outcome.warning and outcome.message.startswith("Not copied")
    assert not outcome.send_osc52 and not outcome.passthrough
    assert not set(outcome.message) & CONTROLS


def test_a_plain_hostile_value_is_copied_and_shown_inertly() -> None:
    plain = [value for value in VALUES if value not in WITH_CONTROLS]
    assert plain
    for value in plain:
        outcome = copy_text(value, "the id", "osc52", {"PATH": "/nonexistent"})
        assert outcome.send_osc52 and not outcome.warning
        assert not set(outcome.message) & CONTROLS

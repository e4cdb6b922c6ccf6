"""The workspace's events keep what frozen dataclasses gave them (they are plain slotted
records now, made without compiling methods at import): equal by type and fields, hashable,
frozen, with a readable repr."""

from __future__ import annotations

import pytest

from skipup_campaigns.workspace.events import (
    CampaignsChanged,
    MarksChanged,
    SetupProblem,
    UndoLogChanged,
    WritePermissionChanged,
)


def test_equal_by_type_and_fields() -> None:
    assert CampaignsChanged() == CampaignsChanged(frozenset(), None)
    assert CampaignsChanged(frozenset({"a"}), select="a") != CampaignsChanged(frozenset({"a"}))
    assert CampaignsChanged() != MarksChanged()  # the same fields' values, another event
    assert UndoLogChanged("x") != SetupProblem("x")
    assert WritePermissionChanged(writable=False, learned=True) in [
        WritePermissionChanged(False, True)
    ]


def test_hashable_frozen_and_readable() -> None:
    event = MarksChanged(frozenset({"cmp_1"}))
    assert len({event, MarksChanged(frozenset({"cmp_1"})), MarksChanged()}) == 2
    with pytest.raises(AttributeError):
        event.ids = frozenset()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del event.ids  # type: ignore[misc]
    assert repr(event) == "MarksChanged(ids=frozenset({'cmp_1'}))"

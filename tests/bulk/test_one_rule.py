""" "Nothing to do" is decided in one place: `bulk/nothing_to_do.py`. The engine (its preview
and its run), the checked write, the commands, the UI and the client's read-back ask it; none
asks a campaign's `deactivated_at` itself or spells a reason out. Read from the source
with `ast` (the sandbox, the other side of the wire, keeps its own rules)."""

from __future__ import annotations

import ast
from datetime import datetime, timezone
from pathlib import Path

import skipup_campaigns
from skipup_campaigns.bulk import nothing_to_do

SRC = Path(skipup_campaigns.__file__).parent
THE_RULE = SRC / "bulk" / "nothing_to_do.py"


def decisions(path: Path) -> list[int]:
    """The lines of `path` that decide for themselves: a reason spelled out as a whole string
    ("already deactivated", "already as asked"), or `….deactivated_at is not None` (whether
    a campaign was deactivated by a given moment, as the demo's history asks, is another
    question)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and node.value in nothing_to_do.REASONS
            and id(node) not in docstrings
        ):
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "deactivated_at"
            and isinstance(node.ops[0], ast.IsNot)
        ):
            lines.append(node.lineno)
    return lines


def test_nothing_to_do_is_decided_in_one_place() -> None:
    elsewhere = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if path != THE_RULE
        and "sandbox" not in path.relative_to(SRC).parts
        and (lines := decisions(path))
    }
    assert elsewhere == {}
    assert decisions(THE_RULE), "the rule decides"


def test_the_scan_sees_a_decision_made_elsewhere(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text(
        '"""Not this: "already deactivated" in a docstring is prose."""\n'
        "def skip(campaign):\n"
        "    if campaign.deactivated_at is not None:\n"
        '        return "already deactivated"\n'
    )
    assert decisions(module) == [3, 4]


class Loaded:
    """A campaign as the list holds it (a time as a float) or as read (a datetime)."""

    def __init__(self, deactivated_at: datetime | float | None) -> None:
        self.deactivated_at = deactivated_at


def test_the_rule() -> None:
    when = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert nothing_to_do.deactivation(Loaded(when)) == "already deactivated"
    assert nothing_to_do.deactivation(Loaded(when.timestamp())) == "already deactivated"
    assert nothing_to_do.deactivation(Loaded(None)) is None  # ended or not: it still can be
    held = Loaded(None)
    held.name, held.ends_at = "Webinar", when  # type: ignore[attr-defined]
    assert nothing_to_do.edit(held, {"name": " Webinar ", "ends_at": when}) == "already as asked"
    assert nothing_to_do.edit(held, {"ends_at": None}) is None
    assert nothing_to_do.done_already("already as asked")
    assert not nothing_to_do.done_already("changed on the server since it was loaded")

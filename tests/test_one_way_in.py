"""One way in: the client is made in one place (startup/connection.py), for the UI, every
command and the demo; anything else that made one would skip its settings and checks."""

from __future__ import annotations

import ast
from pathlib import Path

import skipup_campaigns

SRC = Path(skipup_campaigns.__file__).parent
THE_WAY_IN = SRC / "startup" / "connection.py"


def clients_made(path: Path) -> list[int]:
    """The lines of `path` that call SkipUpClient(...)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (
            getattr(node.func, "id", None) == "SkipUpClient"
            or getattr(node.func, "attr", None) == "SkipUpClient"
        )
    ]


def test_a_client_is_made_only_in_the_way_in() -> None:
    elsewhere = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if path != THE_WAY_IN and (lines := clients_made(path))
    }
    assert elsewhere == {}
    assert clients_made(THE_WAY_IN), "the way in makes the clients"


def test_the_scan_sees_a_client_made(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text("from skipup_campaigns import api\nclient = api.SkipUpClient('k')\n")
    assert clients_made(module) == [2]

"""One way in: the client is made in one place (startup/connection.py) and the workspace in
one (startup/setup.py), for the UI, every command and the demo; anything else that made one
would skip its settings and checks."""

from __future__ import annotations

import ast
from pathlib import Path

import skipup_campaigns

SRC = Path(skipup_campaigns.__file__).parent
THE_WAY_IN = SRC / "startup" / "connection.py"
THE_SETUP = SRC / "startup" / "setup.py"


def calls_of(name: str, path: Path) -> list[int]:
    """The lines of `path` that call `name`(...), by name or as an attribute."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)
    ]


def clients_made(path: Path) -> list[int]:
    """The lines of `path` that call SkipUpClient(...)."""
    return calls_of("SkipUpClient", path)


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


def test_a_workspace_is_made_only_in_the_setup() -> None:
    elsewhere = {
        str(path.relative_to(SRC)): lines
        for path in sorted(SRC.rglob("*.py"))
        if path != THE_SETUP and (lines := calls_of("Workspace", path))
    }
    assert elsewhere == {}
    assert calls_of("Workspace", THE_SETUP), "the setup makes the workspace"


def test_the_scan_sees_a_workspace_made(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text("from skipup_campaigns import workspace\nw = workspace.Workspace()\n")
    assert calls_of("Workspace", module) == [2]

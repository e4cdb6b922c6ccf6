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


STARTUP = SRC / "startup"
SETTINGS_INTO_PARTS = (
    "client_maker",
    "demo_maker",
    "demo_client",
    "ListCache",
    "WritePermissionMemory",
    "HistorySettings",
    "HistoryLink",
    "workspace_history_path",
    "demo_history",
    "history_settings",
    "open_profile",
)
"""What turns settings into a workspace's parts (a client, its list cache, its memory of a
refused write, its history): called only in startup/ (the UI, every command and the demo ask
startup/setup.py's open_profile, the one exception)."""
ASKS_THE_SETUP = {
    "cli.py": ["open_profile"],
    "scripting/session.py": ["open_profile"],
    "tui/app.py": ["open_profile"],
}
"""Who asks for a workspace: the UI's start, every command's session, and the app's :profile."""


def called_or_handed_on(path: Path) -> set[str]:
    """The names `path` calls, or hands to a call to be called (`to_thread(open_profile, …)`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for named in (node.func, *node.args):
                names.add(getattr(named, "id", None) or getattr(named, "attr", None))
    return {name for name in names if name}


def parts_made(path: Path) -> list[str]:
    """The names of SETTINGS_INTO_PARTS that `path` calls."""
    return sorted(called_or_handed_on(path) & set(SETTINGS_INTO_PARTS))


def test_settings_become_parts_only_in_startup() -> None:
    elsewhere = {
        str(path.relative_to(SRC)): names
        for path in sorted(SRC.rglob("*.py"))
        if STARTUP not in path.parents and (names := parts_made(path))
    }
    assert elsewhere == ASKS_THE_SETUP


def test_the_scan_sees_a_history_made_elsewhere(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text(
        "from skipup_campaigns.workspace import history_link\n"
        "link = history_link.HistoryLink(workspace, settings)\n"
        "from skipup_campaigns.startup.list_cache import ListCache\n"
        "cache = ListCache('u', 'k')\n"
        "setup = await asyncio.to_thread(open_profile, options)\n"
    )
    assert parts_made(module) == ["HistoryLink", "ListCache", "open_profile"]

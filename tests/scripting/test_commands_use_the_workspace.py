"""The commands act through the workspace's operations (its fetch, read of every campaign, create,
checked update, bulk actions and deactivation), as the UI does, so each rule lives once: no
command module calls the client's reads or writes, or the write machinery under the workspace,
itself."""

from __future__ import annotations

import ast
from pathlib import Path

import skipup_campaigns

COMMANDS = Path(skipup_campaigns.__file__).parent / "scripting"
WRITES = frozenset(
    {
        "create_campaign",
        "update_campaign",
        "deactivate_campaign",
        "checked_update",
        "BulkRun",
    }
)
"""The client's write methods, and what the workspace writes with (`checked_write`, the engine's
run): a command calling one would skip the workspace's bookkeeping and rules."""
READS = frozenset(
    {
        "get_campaign",
        "list_campaigns",
        "iter_campaign_pages",
        "iter_campaign_records",
        "list_teams",
        "iter_teams",
    }
)
"""The client's reads: through the workspace, a failure is learned from (a 403 makes it
read-only) and the commands page through campaigns as the UI's team list does."""


def writes_called(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each call in `path` of a name in WRITES or READS, plainly or as an
    attribute."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in WRITES or name in READS:
                found.append((node.lineno, name))
    return found


def test_no_command_module_writes_past_the_workspace() -> None:
    modules = sorted(COMMANDS.rglob("*.py"))
    assert any(path.name == "campaign_commands.py" for path in modules)
    past = {path.name: calls for path in modules if (calls := writes_called(path))}
    assert past == {}


def test_the_scan_sees_a_direct_write(tmp_path: Path) -> None:
    module = tmp_path / "sneaky.py"
    module.write_text(
        "async def run(session, ids):\n"
        "    client = await session.client()\n"
        "    await client.deactivate_campaign(ids[0])\n"
        "    await checked_update(client, ids[1], {}, expected=None)\n"
        "    return [page async for page in client.iter_campaign_pages()]\n"
    )
    assert writes_called(module) == [
        (3, "deactivate_campaign"),
        (4, "checked_update"),
        (5, "iter_campaign_pages"),
    ]

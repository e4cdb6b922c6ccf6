"""The shape of the house, read from the source with `ast`: no import circle (imports under
TYPE_CHECKING and inside functions count), and only `tui/` (and `cli.py`, which wires it) may
import Textual or the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import skipup_campaigns

SRC = Path(skipup_campaigns.__file__).parent
PACKAGE = "skipup_campaigns"


def modules() -> dict[str, Path]:
    """Module name (relative to the package, "" for its __init__) → file."""
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported(path: Path, known: set[str]) -> set[str]:
    """The package's modules `path` imports anywhere in it. `from pkg import name` counts as
    an import of `pkg.name` when that is a module, else of `pkg` (the parent package of a
    named module is not counted: importing it is how Python finds the module)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            children = [f"{node.module}.{alias.name}" for alias in node.names]
            names = [child for child in children if _local(child) in known]
            if len(names) < len(children):
                names.append(node.module)
        else:
            continue
        out.update(
            _local(name)
            for name in names
            if (name == PACKAGE or name.startswith(PACKAGE + ".")) and _local(name) in known
        )
    return out


def _local(name: str) -> str:
    return name.removeprefix(PACKAGE).removeprefix(".")


def circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported(path, set(known)) - {name} for name, path in known.items()}


def test_no_import_circle_in_the_package() -> None:
    found = circles(import_graph())
    assert found == [], sorted(sorted(circle) for circle in found)


def test_the_circle_finder_finds_a_circle_through_type_checking_imports(tmp_path: Path) -> None:
    module = tmp_path / "part.py"
    module.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from skipup_campaigns.workspace.workspace import Workspace\n"
    )
    assert imported(module, set(modules())) == {"workspace.workspace"}
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]


def test_only_the_ui_imports_textual() -> None:
    """A folder's name says whether it may import Textual: only tui/ does (cli.py starts it)."""
    outside = {}
    for name, path in modules().items():
        if name.startswith("tui") or name == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            bad = [
                n for n in names if n.split(".")[0] == "textual" or n.startswith(f"{PACKAGE}.tui")
            ]
            if bad:
                outside[name] = bad
    assert outside == {}

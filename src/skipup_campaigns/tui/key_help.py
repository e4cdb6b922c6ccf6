"""The `?` help, made from the bindings of every screen: nothing to keep in step by hand.

Each screen (every `Screen` subclass in this package) is one section, titled by its
`HELP_TITLE`; its rows are its bindings (and those of the widgets it names in `HELP_ALSO`),
each with its keys as remapped and its `tooltip` (else its description). Consecutive bindings
that say the same thing share a row (↑ k ↓ j: move the cursor). The screens the help was asked
from come first, top of the stack first, then the app's own keys, then every other screen.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual.binding import Binding
from textual.screen import Screen

from skipup_campaigns.keymap import key_label

PACKAGE = "skipup_campaigns"
READ_ONLY_NOTE = " (off: this key cannot write)"


@dataclass(frozen=True)
class HelpRow:
    keys: str
    """As shown: the keys in force ("↑ k  ↓ j")."""
    what: str
    ids: str
    """The binding ids, space-separated: the names a [keymap] in the config file uses."""


@dataclass(frozen=True)
class HelpSection:
    title: str
    rows: tuple[HelpRow, ...]


def screen_classes() -> list[type[Screen[Any]]]:
    """Every screen of the app (importing each module of the UI package to find them),
    in help order (`HELP_ORDER`, then name)."""
    from skipup_campaigns import tui

    for module in pkgutil.walk_packages(tui.__path__, f"{tui.__name__}."):
        importlib.import_module(module.name)
    found: list[type[Screen[Any]]] = []
    pending = list(Screen.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(f"{PACKAGE}.") and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda cls: (getattr(cls, "HELP_ORDER", 100), cls.__qualname__))


def own_bindings(owner: type) -> list[Binding]:
    """The bindings `owner` and its bases in this package declare (not Textual's own)."""
    bindings: list[Binding] = []
    for cls in reversed(owner.__mro__):
        if cls.__module__.startswith(f"{PACKAGE}.") and "BINDINGS" in vars(cls):
            bindings += [b for b in vars(cls)["BINDINGS"] if isinstance(b, Binding)]
    return bindings


def help_bindings(owner: type) -> list[Binding]:
    """A section's bindings: those of the widgets it names (moving about), then its own."""
    bindings: list[Binding] = []
    for widget in getattr(owner, "HELP_ALSO", ()):
        bindings += own_bindings(widget)
    return bindings + own_bindings(owner)


def binding_owners(app_class: type) -> list[type]:
    """Every class whose bindings have ids a [keymap] may name: the app, its screens and the
    widgets they name."""
    owners: list[type] = [app_class]
    for screen in screen_classes():
        owners.append(screen)
        owners += [w for w in getattr(screen, "HELP_ALSO", ()) if w not in owners]
    return owners


def section(
    title: str,
    bindings: Iterable[Binding],
    keys: Mapping[str, str],
    *,
    write_actions: Iterable[str] = (),
    writable: bool = True,
) -> HelpSection:
    rows: list[HelpRow] = []
    off = set() if writable else set(write_actions)
    for binding in bindings:
        what = binding.tooltip or binding.description
        if binding.action in off:
            what += READ_ONLY_NOTE
        ident = binding.id or ""
        shown = key_label(keys.get(ident, binding.key)) if ident else key_label(binding.key)
        if rows and rows[-1].what == what:
            last = rows[-1]
            rows[-1] = HelpRow(f"{last.keys}  {shown}", what, f"{last.ids} {ident}".strip())
        else:
            rows.append(HelpRow(shown, what, ident))
    return HelpSection(title, tuple(HelpRow(as_range(row.keys), row.what, row.ids) for row in rows))


def as_range(keys: str) -> str:
    """ "1  2  3  4  5  6" as "1…6": a run of three or more number keys, one after the other,
    is shorter as its ends (the key column is narrow); anything else stays as it is."""
    shown = keys.split()
    if len(shown) < 3 or not all(len(key) == 1 and key.isdigit() for key in shown):
        return keys
    numbers = [int(key) for key in shown]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return keys
    return f"{shown[0]}…{shown[-1]}"


def help_sections(
    app_class: type, stack: Sequence[object], keys: Mapping[str, str], *, writable: bool = True
) -> list[HelpSection]:
    """Every screen's keys; the screens in `stack` (bottom to top) first, top first."""
    screens = screen_classes()
    here = [type(screen) for screen in reversed(stack) if type(screen) in screens]
    ordered = list(dict.fromkeys([*here, app_class, *screens]))
    sections = []
    for owner in ordered:
        title = getattr(owner, "HELP_TITLE", owner.__name__)
        made = section(
            title,
            help_bindings(owner),
            keys,
            write_actions=getattr(owner, "WRITE_ACTIONS", ()),
            writable=writable,
        )
        if made.rows:
            sections.append(made)
    return sections

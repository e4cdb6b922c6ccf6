"""Views: named slices of the list (a filter, the active toggle, a sort and columns), with
their counts kept on the collection, and what the app remembers of them per profile.

A view is state, not a screen: the list shows the current one and sends intents here
(switch, save, delete, change its columns). Views come from the config file (`[[views]]`)
and from the app (`:view save NAME`), kept in a small state file per profile with the last
view used, so the next session starts where this one left off.

Counts are the collection's (`CampaignCollection.count`): each view's filter result is kept
and brought up to date with the rows that arrive, so nine counts cost about what one filter
keystroke does. No Textual here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from skipup_campaigns.plain_record import FrozenRecord, Record, field, replace
from skipup_campaigns.workspace.collection import (
    DESCENDING_SORTS,
    CampaignCollection,
    SortKey,
    ViewSpec,
)
from skipup_campaigns.workspace.filtering import parse

COLUMNS = (
    "name",
    "slug",
    "team",
    "status",
    "start",
    "end",
    "requests",
    "booked",
    "rate",
    "delta",
    "created",
    "updated",
    "email",
    "id",
)
"""Every column a view can show, by the name the config file and `:columns` use."""
DEFAULT_COLUMNS = (
    "name",
    "team",
    "status",
    "start",
    "end",
    "requests",
    "delta",
    "booked",
    "rate",
    "created",
)
"""What the list shows when a view names no columns."""
COLUMN_SORTS: dict[str, SortKey] = {
    "name": "name",
    "slug": "slug",
    "team": "team",
    "status": "status",
    "start": "start",
    "end": "end",
    "requests": "requests",
    "booked": "booked",
    "rate": "rate",
    "delta": "gained",
    "created": "created",
    "updated": "updated",
    "email": "email",
    "id": "id",
}
"""The sort each column orders by (a header click, `s`)."""
SORT_NAMES: dict[str, SortKey] = {**COLUMN_SORTS, "gained": "gained", "Δ": "gained"}
"""What a sort may be called in the config file and on the command line."""
MAX_VIEWS = 30
MAX_HISTORY = 200
"""Command lines kept across sessions."""
MAX_STATE_BYTES = 256 * 1024


class ViewError(ValueError):
    """A view (or a part of one) that cannot be used; the message says why."""


def sort_named(text: str) -> SortKey:
    """The sort `text` names (a column's name); ViewError listing the names otherwise."""
    sort = SORT_NAMES.get(text.strip().casefold())
    if sort is None:
        raise ViewError(f"no column {text!r} to sort by; columns: {', '.join(COLUMNS)}")
    return sort


def column_named(text: str) -> str:
    name = text.strip().casefold()
    if name in ("Δ", "gained"):
        name = "delta"
    if name == "e-mail":
        name = "email"
    if name not in COLUMNS:
        raise ViewError(f"no column {text!r}; columns: {', '.join(COLUMNS)}")
    return name


def checked_columns(names: Iterable[str]) -> tuple[str, ...]:
    """Columns by name, each once, in the order given; the name column is always shown."""
    columns: list[str] = []
    for name in names:
        column = column_named(name)
        if column not in columns:
            columns.append(column)
    if "name" not in columns:
        columns.insert(0, "name")
    return tuple(columns)


class View(FrozenRecord):
    """A named slice of the list."""

    name: str
    filter: str = ""
    """The filter's text, as typed in the list's filter."""
    active_only: bool = True
    sort: SortKey = "created"
    reverse: bool = False
    """Against the sort's natural order (newest, biggest or A first)."""
    columns: tuple[str, ...] | None = None
    """The columns shown, in order (None: the default ones)."""

    def spec(self, now: datetime | None = None) -> ViewSpec:
        return ViewSpec(parse(self.filter, now), self.active_only, self.sort, self.reverse)

    @property
    def shown_columns(self) -> tuple[str, ...]:
        return self.columns if self.columns is not None else DEFAULT_COLUMNS

    def table(self) -> dict[str, Any]:
        """The view as the config file and the state file write it."""
        table: dict[str, Any] = {
            "name": self.name,
            "filter": self.filter,
            "active": self.active_only,
            "sort": next(name for name, key in COLUMN_SORTS.items() if key == self.sort),
            "order": "desc" if self.reverse != (self.sort in DESCENDING_SORTS) else "asc",
        }
        if self.columns is not None:
            table["columns"] = list(self.columns)
        return table


def reverse_for(sort: SortKey, order: str | None) -> bool:
    """`reverse` for an `asc`/`desc` order (None: the sort's natural order)."""
    if order is None:
        return False
    if order not in ("asc", "desc"):
        raise ViewError(f"order must be asc or desc, not {order!r}")
    return (order == "desc") != (sort in DESCENDING_SORTS)


_VIEW_KEYS = {"name", "filter", "active", "sort", "order", "columns"}


def view_from_table(table: Any, where: str) -> View:
    """One `[[views]]` table; ViewError naming `where` and the fix."""
    if not isinstance(table, Mapping):
        raise ViewError(f"In {where}: each [[views]] entry must be a table")
    unknown = sorted(set(table) - _VIEW_KEYS)
    if unknown:
        raise ViewError(
            f"In {where}: unknown view setting {unknown[0]!r}; known: "
            f"{', '.join(sorted(_VIEW_KEYS))}"
        )
    name = table.get("name")
    if not isinstance(name, str) or not name.strip() or not name.isprintable():
        raise ViewError(f"In {where}: a view needs a name (printable text)")
    filter_text = table.get("filter", "")
    active = table.get("active", True)
    sort_text = table.get("sort", "created")
    order = table.get("order")
    columns = table.get("columns")
    if not isinstance(filter_text, str) or not filter_text.isprintable():
        raise ViewError(f"In {where} ({name}): filter must be a string")
    if not isinstance(active, bool):
        raise ViewError(f"In {where} ({name}): active must be true or false")
    if not isinstance(sort_text, str) or (order is not None and not isinstance(order, str)):
        raise ViewError(f"In {where} ({name}): sort and order must be strings")
    if columns is not None and (
        not isinstance(columns, list) or not all(isinstance(c, str) for c in columns)
    ):
        raise ViewError(f"In {where} ({name}): columns must be a list of column names")
    try:
        sort = sort_named(sort_text)
        query_errors = parse(filter_text).errors
        if query_errors:
            raise ViewError(query_errors[0])
        return View(
            name.strip(),
            filter_text.strip(),
            active,
            sort,
            reverse_for(sort, order),
            None if columns is None else checked_columns(columns),
        )
    except ViewError as exc:
        raise ViewError(f"In {where} ({name}): {exc}") from None


def views_from_config(items: Any, where: str) -> tuple[View, ...]:
    """The config file's `[[views]]` (ViewError when one is wrong or two share a name)."""
    if items is None:
        return ()
    if not isinstance(items, list):
        raise ViewError(f"In {where}: views must be an array of tables ([[views]])")
    views = [view_from_table(item, where) for item in items]
    names = [view.name.casefold() for view in views]
    for name in names:
        if names.count(name) > 1:
            raise ViewError(f"In {where}: two views are named {name!r}")
    return tuple(views[:MAX_VIEWS])


def state_file_name(profile: str) -> str:
    """A file name for a profile's state (its name quoted: any TOML key may be a profile)."""
    return quote(profile, safe="")[:100] + ".json"


class ViewState(Record):
    """What the app remembers of views for one profile: views saved in the app, configured
    ones deleted, columns chosen, the last view used and the command line's history."""

    saved: list[View] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    last: str | None = None
    history: list[str] = field(default_factory=list)
    columns: tuple[str, ...] | None = None
    """The columns chosen while no view was current (None: the default ones)."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": 1,
                "saved": [view.table() for view in self.saved],
                "deleted": self.deleted,
                "last": self.last,
                "history": self.history[-MAX_HISTORY:],
                "columns": None if self.columns is None else list(self.columns),
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> ViewState:
        """Best effort: whatever is broken in the file is left out, never an error."""
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        saved: list[View] = []
        for item in data.get("saved") or []:
            try:
                saved.append(view_from_table(item, "the saved views"))
            except ViewError:
                continue
        deleted = [name for name in data.get("deleted") or [] if isinstance(name, str)]
        last = data.get("last") if isinstance(data.get("last"), str) else None
        history = [
            line
            for line in data.get("history") or []
            if isinstance(line, str) and line.isprintable()
        ]
        columns = data.get("columns")
        try:
            chosen = (
                checked_columns(columns)
                if isinstance(columns, list) and all(isinstance(c, str) for c in columns)
                else None
            )
        except ViewError:
            chosen = None
        return cls(saved[:MAX_VIEWS], deleted, last, history[-MAX_HISTORY:], chosen)


class ViewStateFile:
    """One profile's state, in a private file of the data directory (0600, atomic)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> ViewState:
        from skipup_campaigns.private_files import open_private_for_read

        try:
            with open_private_for_read(self.path, MAX_STATE_BYTES) as handle:
                return ViewState.from_json(handle.read().decode("utf-8", "replace"))
        except OSError:
            return ViewState()

    def save(self, state: ViewState) -> bool:
        """False (nothing raised) when it could not be written: the session goes on."""
        from skipup_campaigns.private_files import ensure_private_dir, write_private_atomically

        try:
            ensure_private_dir(self.path.parent)
            write_private_atomically(self.path, state.to_json())
        except OSError:
            return False
        return True


class Views:
    """The views of one profile, in order (the configured ones, then those saved here), the
    current one, and their counts on `collection`."""

    def __init__(
        self,
        collection: CampaignCollection,
        configured: Sequence[View] = (),
        state_file: ViewStateFile | None = None,
    ) -> None:
        self.collection = collection
        self.configured = tuple(configured)
        self.state_file = state_file
        self.state = state_file.load() if state_file is not None else ViewState()
        self.views: list[View] = []
        self._arrange()
        self.current: str | None = None
        """The name of the view shown (None: none chosen, or it was deleted)."""

    def _arrange(self) -> None:
        deleted = {name.casefold() for name in self.state.deleted}
        saved = {view.name.casefold(): view for view in self.state.saved}
        views = [
            saved.pop(view.name.casefold(), view)
            for view in self.configured
            if view.name.casefold() not in deleted
        ]
        views += [view for view in self.state.saved if view.name.casefold() in saved]
        self.views = views[:MAX_VIEWS]
        self.collection.unpin()

    def __len__(self) -> int:
        return len(self.views)

    def index(self, name: str | None) -> int | None:
        if name is None:
            return None
        folded = name.casefold()
        return next(
            (i for i, view in enumerate(self.views) if view.name.casefold() == folded), None
        )

    def get(self, name: str) -> View | None:
        index = self.index(name)
        return None if index is None else self.views[index]

    @property
    def current_view(self) -> View | None:
        index = self.index(self.current)
        return None if index is None else self.views[index]

    def starting_view(self) -> View | None:
        """Where a session starts: the last view used, else the first (None: no views)."""
        return self.get(self.state.last or "") or (self.views[0] if self.views else None)

    def counts(self, now: datetime | None = None) -> list[int]:
        """Each view's count over the loaded campaigns (see the module docstring)."""
        return [self.collection.count(view.spec(now)) for view in self.views]

    def choose(self, name: str) -> View:
        """Make `name` the current view, remembered for the next session."""
        view = self.get(name)
        if view is None:
            raise ViewError(self.no_such(name))
        self.current = view.name
        if self.state.last != view.name:
            self.state.last = view.name
            self._write()
        return view

    def step(self, delta: int) -> View | None:
        """The view `delta` places after (or before) the current one, made current."""
        if not self.views:
            return None
        index = self.index(self.current)
        index = (
            (0 if delta > 0 else len(self.views) - 1)
            if index is None
            else ((index + delta) % len(self.views))
        )
        return self.choose(self.views[index].name)

    def save(self, view: View) -> View:
        """Keep `view` (replacing one of its name) and make it current."""
        if not view.name.strip() or not view.name.isprintable():
            raise ViewError("a view needs a name (printable text)")
        if self.index(view.name) is None and len(self.views) >= MAX_VIEWS:
            raise ViewError(f"there are {MAX_VIEWS} views already; delete one first")
        view = replace(view, name=view.name.strip())
        folded = view.name.casefold()
        saved = [v for v in self.state.saved if v.name.casefold() != folded]
        self.state.saved = [*saved, view]
        self.state.deleted = [n for n in self.state.deleted if n.casefold() != folded]
        self._arrange()
        self.current = self.get(view.name).name  # type: ignore[union-attr]
        self.state.last = self.current
        self._write()
        return view

    def delete(self, name: str) -> View:
        view = self.get(name)
        if view is None:
            raise ViewError(self.no_such(name))
        folded = view.name.casefold()
        self.state.saved = [v for v in self.state.saved if v.name.casefold() != folded]
        if any(v.name.casefold() == folded for v in self.configured):
            self.state.deleted.append(view.name)
        if self.current is not None and self.current.casefold() == folded:
            self.current = None
        if self.state.last is not None and self.state.last.casefold() == folded:
            self.state.last = None
        self._arrange()
        self._write()
        return view

    def set_columns(self, columns: Sequence[str] | None) -> tuple[str, ...] | None:
        """Show these columns (None: the default ones) in the current view, kept with it, or
        kept for the list itself while no view is current. Returns them as kept. The default
        columns named in full are the defaults: they fit a narrow terminal as the defaults
        do, not as a list that keeps every column it names."""
        chosen = None if columns is None else checked_columns(columns)
        if chosen == DEFAULT_COLUMNS:
            chosen = None
        view = self.current_view
        if view is None:
            self.state.columns = chosen
            self._write()
        else:
            self.save(replace(view, columns=chosen))
        return chosen

    @property
    def columns(self) -> tuple[str, ...] | None:
        """The columns to show now: the current view's, else those kept for the list."""
        view = self.current_view
        return view.columns if view is not None else self.state.columns

    def no_such(self, name: str) -> str:
        names = ", ".join(view.name for view in self.views) or "none yet (:view save NAME)"
        return f"no view named {name!r}; views: {names}"

    # -- the command line's history (kept with the views: per profile) ---------------------

    @property
    def history(self) -> list[str]:
        return self.state.history

    def remember_command(self, line: str) -> None:
        line = line.strip()
        if not line or not line.isprintable():
            return
        history = [old for old in self.state.history if old != line]
        self.state.history = [*history, line][-MAX_HISTORY:]
        self._write()

    def _write(self) -> None:
        if self.state_file is not None:
            self.state_file.save(self.state)


def natural_order(sort: SortKey) -> str:
    return "desc" if sort in DESCENDING_SORTS else "asc"

"""The list's `:` command line: `:` opens the prompt, each command runs here against the list
and the workspace, and the command palette offers the same commands. The language (names,
completion, unknown commands) is `colon_commands.py`; mixed into `ListScreen`."""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual import work
from textual.binding import Binding
from textual.content import Content
from textual.markup import escape
from textual.widget import Widget
from textual.widgets import Input

from skipup_campaigns.tui import colon_commands
from skipup_campaigns.tui.colon_commands import CommandError
from skipup_campaigns.tui.own_commands import configured_commands
from skipup_campaigns.workspace.collection import SORT_LABELS
from skipup_campaigns.workspace.filtering import written_terms
from skipup_campaigns.workspace.views import (
    COLUMNS,
    DEFAULT_COLUMNS,
    ViewError,
    column_named,
    natural_order,
    reverse_for,
    sort_named,
)

if TYPE_CHECKING:
    from skipup_campaigns.bulk.engine import Change
    from skipup_campaigns.tui.list_host import ListHost
    from skipup_campaigns.tui.widgets.command_line import CommandLine
    from skipup_campaigns.workspace.collection import Row

COMMAND_BINDINGS = [
    Binding(
        "colon",
        "command_line",
        "Command",
        priority=True,
        id="list.command_line",
        tooltip="the command line: :view NAME, :view save NAME, :sort COLUMN [asc|desc], "
        ":columns, :filter, :marked, :mark, :unmark, :invert, :profile NAME, :q …",
    ),
    Binding(
        "C",
        "pick_columns",
        "Columns",
        show=False,
        priority=True,
        id="list.columns",
        tooltip="choose the columns: show, hide, reorder (kept with the view)",
    ),
]
COMMAND_ACTIONS = {"command_line", "pick_columns"}
"""Actions whose keys are text while a field has focus."""

PALETTE_EQUIVALENTS = {
    "Refresh campaigns": "refresh",
    "Show all campaigns": "active",
    "Show active campaigns only": "active",
    "Sort by next column": "sort",
    "Reverse sort": "reverse",
    "Filter campaigns": "filter",
    "Report": "report",
    "Δ since the next point": "since",
}
"""The list's own palette entries and the `:` command each is (the rest of the palette's
entries are made from the commands themselves)."""
WINDOWS = ("session", "24h", "7d", "30d")


PaletteEntry = tuple["str | Content", Callable[[], object], str]


class ListCommands:
    """What `ListScreen` does with the `:` line (a mixin: it drives the screen's controls,
    typed against `ListHost`)."""

    async def action_command_line(self: ListHost, text: str = "") -> None:
        prompt = await self.command_line()
        prompt.history = self.workspace.views.history
        prompt.sources = self.command_sources
        prompt.open(text)

    async def command_line(self: ListHost) -> CommandLine:
        """The `:` prompt, mounted on its first use: not in the first frame (nothing shows it
        there; composing and styling it was ~1 % of a warm start)."""
        from skipup_campaigns.tui.widgets.command_line import CommandLine

        screen = self.screen
        found = screen.query(CommandLine)
        if found:
            return found.first()
        prompt = CommandLine(id="command-line")
        await screen.mount(prompt, after=self.query_one("#summary", Widget))
        return prompt

    def command_sources(self: ListHost) -> dict[str, list[str]]:
        return {
            "view": [view.name for view in self.workspace.views.views],
            "column": list(COLUMNS),
            "theme": sorted(self.app.available_themes),
            "command": [command.name for command in configured_commands(self.app)],
            "profile": _profile_choices(self),
        }

    def on_command_line_entered(
        self: ListHost,
        message: CommandLine.Entered,
    ) -> None:
        from skipup_campaigns.tui.widgets.command_line import CommandLine

        prompt = self.query_one(CommandLine)
        try:
            self.run_command(message.line)
        except (CommandError, ViewError) as exc:
            prompt.failed(str(exc))
            return
        self.workspace.views.remember_command(message.line.strip().removeprefix(":"))
        prompt.done()
        if self.focused is prompt.input:
            self.set_focus(self.table)

    def on_command_line_closed(
        self: ListHost,
        message: CommandLine.Closed,
    ) -> None:
        self.set_focus(self.table)

    def run_command(self: ListHost, line: str) -> None:
        """Run one command line; CommandError (or ViewError) says what is wrong."""
        name, rest = colon_commands.split(line)
        command = colon_commands.find(name)
        if command is None:
            raise CommandError(colon_commands.unknown(name))
        getattr(self, f"command_{command.name}")(rest)

    # -- the commands --------------------------------------------------------------------------

    def command_view(self: ListHost, rest: str) -> None:
        views = self.workspace.views
        verb, _, name = rest.partition(" ")
        if not rest:
            names = ", ".join(view.name for view in views.views) or "none yet"
            raise CommandError(
                f"Usage: :view NAME | :view save NAME | :view delete NAME (views: {names})"
            )
        if verb.casefold() == "save":
            if not name.strip():
                raise CommandError("Usage: :view save NAME")
            saved = views.save(self.current_view_state(name.strip()))
            self.update_view_tabs()
            self.notify(f"View {saved.name!r} saved.", markup=False)
        elif verb.casefold() == "delete":
            if not name.strip():
                raise CommandError("Usage: :view delete NAME")
            gone = views.delete(name.strip())
            self.update_view_tabs()
            self.notify(f"View {gone.name!r} deleted.", markup=False)
        else:
            self.choose_view(rest)

    def command_sort(self: ListHost, rest: str) -> None:
        if not rest:
            self.action_cycle_sort()
            return
        column, _, order = rest.partition(" ")
        sort = sort_named(column)
        if sort == "gained" and self.workspace.history is None:
            raise CommandError("There is no Δ to sort by: the history is off.")
        asked = order.strip().casefold() or None
        try:
            reverse = reverse_for(sort, asked)
        except ViewError as exc:
            raise CommandError(f"{exc} (e.g. :sort {column} {natural_order(sort)})") from None
        self.sort, self.reverse = sort, reverse
        self.update_view()
        self.notify(
            f"Sorted by {SORT_LABELS[sort]}, "
            f"{'ascending' if (order or natural_order(sort)) == 'asc' else 'descending'}.",
            markup=False,
            timeout=3,
        )

    def command_columns(self: ListHost, rest: str) -> None:
        if not rest:
            self.action_pick_columns()
            return
        words = rest.replace(",", " ").split()
        if [w.casefold() for w in words] == ["reset"]:
            self.show_chosen_columns(None)
            return
        edits = [w for w in words if w[:1] in "+-"]
        if edits and len(edits) != len(words):
            raise CommandError(
                "Either +COLUMN / -COLUMN changes, or the columns in order "
                "(e.g. :columns +updated -team, or :columns name team rate)"
            )
        if edits:
            columns = list(self.table.chosen_columns or DEFAULT_COLUMNS)
            for word in edits:
                column = column_named(word[1:])
                if word[0] == "+" and column not in columns:
                    columns.append(column)
                elif word[0] == "-":
                    if column == "name":
                        raise CommandError("The name is always shown.")
                    if column in columns:
                        columns.remove(column)
        else:
            columns = [column_named(word) for word in words]
        self.show_chosen_columns(tuple(columns))

    def action_pick_columns(self: ListHost) -> None:
        from skipup_campaigns.tui.column_picker import ColumnPicker

        def chosen(columns: tuple[str, ...] | None) -> None:
            if columns is not None:
                self.show_chosen_columns(columns)

        self.app.push_screen(ColumnPicker(self.table.chosen_columns), chosen)

    def show_chosen_columns(
        self: ListHost,
        columns: tuple[str, ...] | None,
    ) -> None:
        """Show these columns (None: the defaults), kept with the current view."""
        before = set(self.table.chosen_columns or DEFAULT_COLUMNS)
        kept = self.workspace.views.set_columns(columns)
        self.table.show_columns(kept, [c for c in kept or () if c not in before])
        self.update_view()
        hidden = [c for c in kept or () if c not in self.table.shown_column_names]
        if hidden:
            self.notify(
                f"Too narrow for {', '.join(hidden)} (kept: shown when there is room).",
                markup=False,
                timeout=5,
            )

    def command_filter(self: ListHost, rest: str) -> None:
        if not rest:
            self.action_focus_filter()
            return
        with self.prevent(Input.Changed):
            self.filter_input.value = rest
        self.update_view()

    def command_marked(self: ListHost, rest: str) -> None:
        terms = written_terms(self.filter_input.value)  # (a quoted "marked" is a word)
        kept = [term for term in terms if term.casefold() != "marked"]
        if len(kept) == len(terms):
            if not self.workspace.marks:
                raise CommandError(
                    "Nothing is marked (space marks a campaign, :mark every one shown)."
                )
            kept.append("marked")
        with self.prevent(Input.Changed):
            self.filter_input.value = " ".join(kept)
        self.update_view()

    def command_mark(self: ListHost, rest: str) -> None:
        added = self.workspace.marks.mark(map(attrgetter("id"), self.table.rows))
        self.notify(
            f"{added:,} more marked ({len(self.workspace.marks):,} in all).",
            markup=False,
            timeout=3,
        )

    def command_unmark(self: ListHost, rest: str) -> None:
        self.workspace.marks.unmark(map(attrgetter("id"), self.table.rows))

    def command_invert(self: ListHost, rest: str) -> None:
        self.workspace.marks.invert(map(attrgetter("id"), self.table.rows))

    def command_active(self: ListHost, rest: str) -> None:
        word = rest.casefold()
        if word not in ("", "on", "off"):
            raise CommandError("Usage: :active [on|off]")
        self.active_only = not self.active_only if not word else word == "on"
        self.update_view()

    def command_reverse(self: ListHost, rest: str) -> None:
        self.action_reverse_sort()

    def command_refresh(self: ListHost, rest: str) -> None:
        self.action_refresh()

    def command_since(self: ListHost, rest: str) -> None:
        if not rest:
            self.action_next_since()
            return
        if self.workspace.history is None:
            raise CommandError("There is no history to count a Δ from (it is off).")
        from skipup_campaigns.history.since import parse_since

        try:
            parse_since(rest, self.workspace.clock())
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.read_baseline(rest.strip().lower())

    def command_export(self: ListHost, rest: str) -> None:
        from skipup_campaigns.display.export import format_for

        if rest and format_for(rest) is None:
            raise CommandError(
                "Name a .csv or .json file (e.g. :export campaigns.csv), or nothing to be asked."
            )
        self.export_to(rest or None)

    @work(exclusive=True, group="list-export", exit_on_error=False)
    async def export_to(self: ListHost, file_name: str | None) -> None:
        from skipup_campaigns.tui import export_flow

        await export_flow.export(self.screen, self.workspace, self.table.rows, file_name)

    def command_retry(self: ListHost, rest: str) -> None:
        workspace = self.workspace
        change = workspace.bulk.last_change
        if change is None:
            raise CommandError("No bulk change to retry in this session.")
        notes = workspace.marks.notes
        rows = [row for row in workspace.marked_rows() if row.id in notes]
        if not rows:
            raise CommandError(
                "No ✗ rows: the last bulk change left none undone (or their marks were cleared)."
            )
        self.retry_bulk(change, rows)

    @work(exclusive=True, group="bulk-write", exit_on_error=False)
    async def retry_bulk(self: ListHost, change: Change, rows: list[Row]) -> None:
        """The preview of the last change on the ✗ rows (as loaded now: a failed campaign
        was read afresh by the run), then the run."""
        from skipup_campaigns.tui import bulk_flow

        if self.workspace.bulk.running is not None:
            self.notify("A bulk action is running.", markup=False)
            return
        shown = set(map(attrgetter("id"), self.table.rows))
        await bulk_flow.confirm_and_run(self.screen, self.workspace, change, shown, rows)

    def command_report(self: ListHost, rest: str) -> None:
        self.action_report()

    def command_write(self: ListHost, rest: str) -> None:
        self.recheck_write()

    def command_theme(self: ListHost, rest: str) -> None:
        themes = self.app.available_themes
        if rest not in themes:
            raise CommandError(f"No theme {rest!r}; themes: {', '.join(sorted(themes))}")
        self.app.theme = rest

    def command_profile(self: ListHost, rest: str) -> None:
        switcher = _switcher(self)
        if switcher is None:
            raise CommandError("Profiles cannot be switched here.")
        switcher.switch_profile(rest)

    def command_help(self: ListHost, rest: str) -> None:
        self.call_later(self.app.run_action, "help")

    def command_q(self: ListHost, rest: str) -> None:
        self.call_later(self.app.run_action, "quit")

    # -- the palette: the same commands --------------------------------------------------------

    def command_palette_entries(
        self: ListHost,
        offered: set[str],
    ) -> list[PaletteEntry]:
        """Palette entries for the `:` commands the list's own entries (`offered`, by the
        command each is) do not cover (one taking an argument opens the `:` line for it),
        and one per view."""
        entries: list[PaletteEntry] = []
        for command in colon_commands.COMMANDS:
            if command.name in offered and not command.needs_argument:
                continue
            if command.needs_argument:
                action: Callable[[], object] = _opener(self, command.name)
            else:
                action = _runner(self, command.name)
            entries.append((command.palette, action, f":{command.usage} — {command.help}"))
        for view in self.workspace.views.views:
            # The name is the user's text: plain Content, never read as markup.
            entries.append(
                (
                    Content("View: ") + Content(view.name),
                    _runner(self, f"view {view.name}"),
                    f":view {escape(view.name)}",
                )
            )
        for name in _profile_choices(self):
            entries.append(
                (
                    Content("Profile: ") + Content(name),
                    _runner(self, f"profile {name}"),
                    f":profile {escape(name)}",
                )
            )
        return entries


@runtime_checkable
class SwitchesProfiles(Protocol):
    """An app that can put the list on another profile's workspace (`CampaignsApp`)."""

    def profile_choices(self) -> list[str]: ...

    def switch_profile(self, name: str) -> None: ...


def _switcher(screen: ListHost) -> SwitchesProfiles | None:
    app = screen.app
    return app if isinstance(app, SwitchesProfiles) else None


def _profile_choices(screen: ListHost) -> list[str]:
    switcher = _switcher(screen)
    return [] if switcher is None else switcher.profile_choices()


def _opener(screen: ListHost, name: str) -> Callable[[], object]:
    # (the prompt may need mounting first: the app's queue runs the action and awaits it)
    return lambda: screen.app.call_later(screen.action_command_line, f"{name} ")


def _runner(screen: ListHost, line: str) -> Callable[[], object]:
    def run() -> None:
        try:
            screen.run_command(line)
        except (CommandError, ViewError) as exc:
            screen.notify(str(exc), severity="error", markup=False)

    return run

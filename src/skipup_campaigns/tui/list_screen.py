"""The campaign list: live filter, active/all toggle, sort, progressive loading and refresh.

It renders the workspace (its collection and load state) and sends it intents; it owns only
what is its own: the filter, the sort, the active toggle and the retry timer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from skipup_campaigns.display.fitting import SEPARATOR, fit_parts
from skipup_campaigns.display.gains import gained_text
from skipup_campaigns.display.rate_bar import format_rate
from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.history.since import describe_since
from skipup_campaigns.plain_record import replace
from skipup_campaigns.tui import read_only
from skipup_campaigns.tui.list_commands import (
    COMMAND_ACTIONS,
    COMMAND_BINDINGS,
    PALETTE_EQUIVALENTS,
    ListCommands,
    PaletteEntry,
)
from skipup_campaigns.tui.list_views import VIEW_ACTIONS, VIEW_BINDINGS, ListViews
from skipup_campaigns.tui.next_frame import repaint_in_next_frame
from skipup_campaigns.tui.own_commands import OWN_ACTIONS, OWN_BINDINGS, OwnCommands
from skipup_campaigns.tui.widgets.campaign_table import CampaignTable
from skipup_campaigns.tui.widgets.command_line import CommandInput
from skipup_campaigns.tui.widgets.filter_input import FilterInput
from skipup_campaigns.tui.widgets.key_bar import KeyBar
from skipup_campaigns.tui.widgets.view_tabs import ViewTabs
from skipup_campaigns.workspace.collection import (
    SORT_KEYS,
    SORT_LABELS,
    CampaignCollection,
    Row,
    SortKey,
    Totals,
    ViewSpec,
    sort_arrow,
    spec_for,
)
from skipup_campaigns.workspace.events import (
    CampaignsChanged,
    LoadStateChanged,
    MarksChanged,
    RateLimitWaitChanged,
    WorkspaceEvent,
    WritePermissionChanged,
)
from skipup_campaigns.workspace.filtering import team_id_term, written_terms
from skipup_campaigns.workspace.load_state import (
    REFUSED_KEY_HELP,
    empty_message,
    least_width,
    status_text,
)
from skipup_campaigns.workspace.marks import marked_among, marks_text

if TYPE_CHECKING:
    from textual.timer import Timer

    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.tui.list_host import ListHost
    from skipup_campaigns.tui.profile_switch import ListPlace
    from skipup_campaigns.tui.report_screen import CampaignChosen
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.collection import Row


GIVES_WAY_TO_A_REASON = 3
"""The top bar's title parts of this priority or lower (the scope, the sort) make room for a
failed load's reason beside them before it is cut."""


class ListScreen(ListViews, ListCommands, OwnCommands, Screen[None]):
    """Every campaign of the workspace, filtered as you type."""

    # Priority bindings are resolved in the App's own queue, in arrival order with the keys
    # around them, so "/naa" or "a/x" typed at once (or arriving in one packet over SSH) acts
    # exactly as typed slowly. While the filter has focus, check_action hands letters to it.
    HELP_TITLE = "The list"
    HELP_ORDER = 0
    HELP_ALSO = (CampaignTable, CommandInput)
    """The rows' own keys (the cursor, enter) are the list's in the help."""
    # The shown ones come in the order the key bar keeps them when it is short of room.
    BINDINGS = [
        Binding(
            "slash",
            "focus_filter",
            "Filter",
            priority=True,
            id="list.filter",
            tooltip="filter as you type: words, team:NAME, team_id:ID (exact), "
            "status:active|scheduled|ended|deactivated, rate:<20, requests:>=50, "
            "booked:>0, ends:<7d, starts:>today, updated:<24h, marked",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            priority=True,
            id="list.edit",
            tooltip="edit the campaign; with marks, a bulk edit of the marked ones "
            "(a preview first)",
        ),
        Binding("n", "new_campaign", "New", priority=True, id="list.new", tooltip="new campaign"),
        Binding(
            "d",
            "deactivate",
            "Deactivate",
            priority=True,
            id="list.deactivate",
            tooltip="deactivate the campaign (asks first; there is no way back); with "
            "marks, the marked ones (a preview first)",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            priority=True,
            id="list.mark",
            tooltip="mark or unmark the campaign, and move down",
        ),
        Binding(
            "R",
            "report",
            "Report",
            priority=True,
            id="list.report",
            tooltip="the report of the campaigns shown: by team and status, best and worst",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            priority=True,
            id="list.sort",
            tooltip="sort by the next column ("
            + ", ".join(SORT_LABELS[key] for key in SORT_KEYS)
            + "; Δ with the history on)",
        ),
        Binding(
            "S",
            "reverse_sort",
            "Reverse sort",
            show=False,
            priority=True,
            id="list.reverse_sort",
            tooltip="reverse the sort",
        ),
        Binding(
            "a",
            "toggle_active",
            "Active/all",
            priority=True,
            id="list.toggle_active",
            tooltip="show active campaigns only, or all",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            priority=True,
            id="list.refresh",
            tooltip="refresh from the server (filter, sort and cursor are kept)",
        ),
        Binding(
            "h",
            "next_since",
            "Δ since",
            priority=True,
            id="list.since",
            tooltip="count the Δ column from the next point: the last session, 24h, 7d, 30d",
        ),
        Binding(
            "x",
            "export",
            "Export",
            priority=True,
            id="list.export",
            tooltip="export the marked (or shown) campaigns to a CSV or JSON file",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            priority=True,
            id="list.clear_filter",
            tooltip="clear the filter",
        ),
        # Marks: act on many at once (tui/bulk_flow.py); esc clears them once no filter is left.
        Binding(
            "asterisk",
            "mark_all",
            "Mark all shown",
            show=False,
            priority=True,
            id="list.mark_all",
            tooltip="mark every campaign shown (again: unmark them)",
        ),
        Binding(
            "escape",
            "clear_marks",
            "Unmark",
            show=False,
            priority=True,
            id="list.clear_marks",
            tooltip="clear the marks (on the rows, with no filter)",
        ),
        Binding(
            "u",
            "undo_bulk",
            "Undo",
            show=False,
            priority=True,
            id="list.undo_bulk",
            tooltip="undo the last bulk edit, as one step",
        ),
        Binding(
            "enter,down",
            "leave_filter",
            "To the list",
            show=False,
            priority=True,
            id="list.leave_filter",
            tooltip="in the filter: back to the rows",
        ),
        *VIEW_BINDINGS,  # views: 1-9, [ and ] (tui/list_views.py)
        *COMMAND_BINDINGS,  # the : command line (tui/list_commands.py)
        *OWN_BINDINGS,  # o, and your own commands' keys (tui/own_commands.py)
    ]
    TYPING_ACTIONS = {
        "focus_filter",
        "toggle_active",
        "cycle_sort",
        "reverse_sort",
        "refresh",
        "new_campaign",
        "edit",
        "deactivate",
        "report",
        "next_since",
        "mark",
        "mark_all",
        "export",
        "undo_bulk",
        *VIEW_ACTIONS,
        *COMMAND_ACTIONS,
        *OWN_ACTIONS,
    }
    WRITE_ACTIONS = {"new_campaign", "edit", "deactivate", "undo_bulk"}
    """Actions whose keys are text while the filter has focus."""

    class FirstRowsShown(Message):
        """The first rows are on screen (once): what waited for them may come now."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        refresh_seconds: float = 0.0,
        place: ListPlace | None = None,
    ) -> None:
        """`place`: where this profile's list was left earlier in the session (`:profile`),
        shown instead of the last view."""
        super().__init__()
        self.workspace = workspace
        self._place = place
        self._cursor_wanted = place.cursor_id if place is not None else None
        """The campaign the cursor goes to once it is loaded (then forgotten)."""
        self.active_only = True
        self.sort: SortKey = "created"
        self.reverse = False
        self.refresh_seconds = refresh_seconds
        self.countdown: Timer | None = None
        """Ticks the top bar's countdown while the client waits for the rate limit or an
        automatic retry is due."""
        self.retry_timer: Timer | None = None
        """The automatic retry the workspace asked for, while it is pending."""
        self.has_footer = False
        self._summary_totals: tuple[int, int, int, str] = (0, 0, 0, "–")
        """The shown rows' campaigns, requests, booked and rate, as the summary line says."""
        self._gained_text = "–"
        """The shown rows' Δ total as last worked out (see `update_gained_total`)."""
        self._pending_view: Timer | None = None
        self._a_load_ended = False
        """A load has ended here (whatever came of it): rows not shown by then are not due."""
        self._last_view = 0.0
        self._shown_of = 0
        self._updated_shown = -1
        self._status_length = -1
        self._title_parts: list[tuple[str, int]] = []
        """The top bar's title in parts, with how long each is kept (show_title fits them)."""
        """How many campaigns were loaded when the view was last drawn."""
        self._title_length = 0
        """The title's length as last drawn: the status gets the room it leaves."""
        self._lines_shown: dict[str, str] = {}
        """What each one-line box says now (see `show_line`)."""
        self._shown_totals = Totals(0, 0, 0)
        """The totals of the rows shown now (kept with the view, not summed again)."""
        self._shown_spec: ViewSpec | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._had_marks = False
        self._rows_shown = False
        self._baseline_asked = False

    @property
    def collection(self) -> CampaignCollection:
        return self.workspace.collection

    @property
    def fetching(self) -> bool:
        """A load is running. (Not `loading`: that is Textual's own overlay switch.)"""
        return self.workspace.load_state.loading

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(id="title")
            yield Static(id="load-status")
        yield ViewTabs(id="view-tabs")
        yield FilterInput(
            placeholder="/ filter: words, team:sales, status:ended",
            id="filter",
            select_on_focus=False,
        )
        yield Static(id="filter-error", markup=False)
        table = CampaignTable(id="campaigns")
        table.zone = self.workspace.display_zone
        yield table
        yield Static(id="summary")
        # (the `:` prompt is mounted on its first use: ListCommands.command_line)
        cache = self.workspace.list_cache
        if cache is None or not cache.path.exists():
            self.has_footer = True
            yield KeyBar()
        # else the key bar comes once the cached rows are on screen: building its keys costs
        # about 50 ms, a third of a warm start. (Deferred on a cold start too, it cost more
        # than it saved: the first page's frame then waited behind it.)

    @property
    def table(self) -> CampaignTable:
        return self.query_one(CampaignTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self._unsubscribe = self.workspace.subscribe(self.workspace_changed)
        self.install_own_commands()
        self.set_focus(self.table)
        if self.workspace.history is not None:
            self.table.show_gains(self.collection.gained)  # (the baseline after the rows)
        self.table.show_marks(self.workspace.marks.ids, self.workspace.marks.notes)
        if self._place is None:
            self.start_in_last_view()
        else:
            self.take_place(self._place)
        self.update_view()
        self.load(from_cache=True)
        self.set_timer(1.0, self.ensure_footer)  # in case the cache turns out unreadable
        if self.refresh_seconds > 0:
            self.set_interval(self.refresh_seconds, self.refresh_on_timer)

    def on_resize(self) -> None:
        """The summary and the status are fitted to the width: fit them again."""
        if self.is_mounted:
            self.update_summary(self.table.rows)
            self.update_status()
            self.show_title()

    # -- the workspace -------------------------------------------------------------------------

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def workspace_changed(self, event: WorkspaceEvent) -> None:
        """Show what changed in the workspace (called as it happens, on the UI's loop)."""
        if isinstance(event, CampaignsChanged):
            if event.select is not None:
                self.show_created(event.select)
            elif self.fetching and self._shown_of >= self.FIRST_SCREENFUL:
                self.update_view_soon()
            else:
                self.update_view()
        elif isinstance(event, LoadStateChanged):
            if self._pending_view is not None and event.state.loading:
                pass  # the redraw already due shows it (a status line per page cost a frame)
            else:
                self.update_status()
        elif isinstance(event, RateLimitWaitChanged):
            self.update_status()
        elif isinstance(event, WritePermissionChanged):
            self.refresh_bindings()
            self.update_view()
        elif isinstance(event, MarksChanged):
            if bool(self.workspace.marks) != self._had_marks:  # the key bar follows the marks
                self._had_marks = bool(self.workspace.marks)
                self.refresh_bindings()
            self.table.show_marks(self.workspace.marks.ids, self.workspace.marks.notes)
            self.update_title(self.table.rows)
            if self._shown_spec is not None and self._shown_spec.query.marked:
                self.update_view()  # the `marked` filter shows what is marked now
            elif self.workspace.views:
                self.update_view_tabs()  # a view may count marks
            if self.workspace.marks.notes or self.query_one("#summary").has_class("-note"):
                self.update_summary(self.table.rows)  # (the totals do not change)

    # -- loading -------------------------------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self, *, from_cache: bool = False) -> None:
        """Fetch every page, showing each as it arrives; a failure keeps what is on screen.
        On start, the last loaded list is shown first (read off the UI thread)."""
        state = await self.workspace.load(from_cache=from_cache, shown=self.painted)
        self._a_load_ended = True
        self._drop_early_moves_if_final()
        if not self.has_footer:  # no rows came (a failed or empty load): the keys now
            self.call_after_refresh(self.ensure_footer)
        self.read_first_baseline()
        if state.retry_in is not None:
            # Try again after a growing pause, so a server that comes back is picked up
            # without a key press, and one that stays away is not hammered.
            self.retry_timer = self.set_timer(state.retry_in, self.retry_load)
        if state.key_refused:  # retrying cannot help: say what can
            self.notify(f"{REFUSED_KEY_HELP}.", severity="error", markup=False, timeout=15)
        elif state.error and state.failed_in_a_row <= 1:  # one toast per outage, not per retry
            self.notify(
                f"Could not load campaigns: {state.error}. "
                + (
                    "Retrying by itself; r retries now." if state.temporary else "Press r to retry."
                ),
                severity="error",
                markup=False,
            )

    @work(group="history", exit_on_error=False)
    async def read_baseline(self, window: str | None = None) -> None:
        """Read the Δ baseline (in a thread); the collection announces it when it lands."""
        history = self.workspace.history
        if history is not None:
            if window is None:
                await history.refresh_baseline()
            else:
                await history.set_window(window)

    def read_first_baseline(self) -> None:
        """Read the Δ baseline, once: after the first rows are on screen (the history's
        SQLite read in a thread held the first frame back), or when the first load ends."""
        if not self._baseline_asked and self.workspace.history is not None:
            self._baseline_asked = True
            self.read_baseline()

    def retry_load(self) -> None:
        self.retry_timer = None
        if not self.fetching:
            self.load()
        else:
            self.workspace.retry_dropped()  # the load running now is the retry

    async def painted(self) -> None:
        """Wait until what was just shown reaches the screen (before more work holds the
        loop: the client's imports, or in-process pages that never wait for I/O)."""
        shown = getattr(self.app, "first_frame", None)
        if shown is not None and not shown.is_set():  # (start-up's frames are held back)
            try:  # bounded: a terminal of no size has no first frame until it is resized
                await asyncio.wait_for(shown.wait(), self.FIRST_FRAME_WAIT)
            except TimeoutError:
                pass
        done = asyncio.Event()
        self.call_after_refresh(done.set)
        await done.wait()
        if not self.has_footer:
            self.call_after_refresh(self.ensure_footer)
        if not self._rows_shown and self.table.rows:
            self._rows_shown = True
            self.call_after_refresh(self.post_message, self.FirstRowsShown())
            self.call_after_refresh(self.read_first_baseline)

    async def ensure_footer(self) -> None:
        """Mount the key bar, once: after the first rows are drawn, or after a short wait."""
        if not self.has_footer and self.is_attached:  # (not while the app is closing)
            self.has_footer = True
            await self.mount(KeyBar())

    def refresh_on_timer(self) -> None:
        if not self.fetching and self.retry_timer is None:  # never stack requests
            self.load()

    # -- view ----------------------------------------------------------------------------------

    FIRST_FRAME_WAIT = 1.0
    """Seconds the first rows wait at most for Textual's first frame before the load goes on."""
    FIRST_SCREENFUL = 100
    """Until this many campaigns are drawn, each page is drawn as it arrives; after that,
    redraws while loading are spaced out."""
    REDRAW_WHILE_LOADING = 0.3
    """Seconds between redraws while pages stream in (a page every few ms would otherwise
    redraw the screen for each; keys and the end of the load still redraw at once). Rows
    arriving below the view only lengthen the scrollbar (the table's `_set_extent`), but the
    top and bottom lines change: at ten a second these redraws were about 40% of a 100,000
    load's CPU (when each also repainted the table); at three the count still moves."""

    def _drop_early_moves_if_final(self) -> None:
        """Cursor keys typed before the first rows wait for them (`/an⏎jj`); once a load has
        ended with none to show and none due (a filter matching nothing, no campaigns), they
        are dropped: replayed on some later list, they would move its cursor unasked."""
        if (
            self._a_load_ended
            and not self.fetching
            and self._pending_view is None
            and not self.table.rows
        ):
            self.table.drop_moves_before_rows()

    def update_view_soon(self) -> None:
        """Show the latest pages at the next redraw slot (one redraw however many arrive)."""
        if self._pending_view is None:
            wait = self._last_view + self.REDRAW_WHILE_LOADING - time.monotonic()
            if wait <= 0:
                # The slot has passed (a page after a rate-limit wait): draw now. A zero-delay
                # Textual timer divides by zero when it starts late, and then at shutdown.
                self._update_streaming()
                return
            self._pending_view = self.set_timer(wait, self._update_streaming)

    def _update_streaming(self) -> None:
        self.update_view(pages_only=True)

    def update_view(self, *, cursor_on: str | None = None, pages_only: bool = False) -> None:
        """Recompute the shown rows from the collection and the controls; the cursor stays on
        its campaign (or moves to `cursor_on`). `pages_only`: what changed since the last
        view is pages arriving, so the rows in view are redrawn only if they changed."""
        if self._pending_view is not None:
            self._pending_view.stop()
            self._pending_view = None
        self._last_view = time.monotonic()
        self._shown_of = len(self.collection)
        if self._cursor_wanted is not None and self._cursor_wanted in self.collection:
            cursor_on = cursor_on or self._cursor_wanted
            self._cursor_wanted = None
        spec = spec_for(
            self.filter_input.value,
            active_only=self.active_only,
            sort=self.sort,
            reverse=self.reverse,
            now=self.workspace.clock(),
        )
        rows = self.collection.view(spec)
        table = self.table
        table.sort_key, table.sort_reverse = self.sort, self.reverse
        hidden = 0
        if not rows and self.active_only and not spec.query.is_empty:
            # status:ended in the active-only view: say how many it hides, and which key helps
            hidden = len(self.collection.view(replace(spec, active_only=False)))
        table.empty_message = (
            ""
            if rows
            else empty_message(
                self.workspace.load_state,
                filter_text=self.filter_input.value,
                filtered=not spec.query.is_empty,
                any_loaded=bool(len(self.collection)),
                active_only=self.active_only,
                hidden=hidden,
                width=(table.size.width - 2) or None,
            )
        )  # (the table indents it by two)
        had_cursor = table.cursor_row is not None
        anchor = self.collection.get(cursor_on) if cursor_on else None
        if anchor is None and spec == self._shown_spec:  # the data changed, not the view
            anchor = next_still_shown(table.rows, table.cursor_row, rows)
        self._shown_spec = spec
        updated = self.collection.updated_in_place
        table.show(
            rows, cursor_on=anchor, rows_unchanged=pages_only and updated == self._updated_shown
        )
        self._updated_shown = updated
        self._drop_early_moves_if_final()
        if (table.cursor_row is not None) != had_cursor:
            self.refresh_bindings()  # e/d come and go with the cursor row: the key bar follows
        self._shown_totals = self.collection.view_totals(spec)
        self.update_title(rows)
        self.update_summary(rows)
        self.update_status()
        self.show_filter_errors(spec.query.errors)
        self.update_view_tabs()
        # The echo of a filter key and all it changed, in one frame (see next_frame.py).
        repaint_in_next_frame(
            self.filter_input,
            *table.drawn_now,
            *self.query("#top-bar > Static, #summary, #filter-error, ViewTabs"),
        )

    # The top and bottom lines are one line each, of a fixed size: updated without a layout
    # pass (it would redraw the whole screen, once per page while a load streams).

    def update_title(self, rows: list[Row]) -> None:
        total = len(self.collection)
        scope = "active only" if self.active_only else "all"
        # n, e and d are off: say why they are not offered (early, so a narrow bar keeps it)
        name = self.app.sub_title or "SkipUp"
        # The direction is said when it is not the sort's usual one, as the header says it.
        sort = SORT_LABELS[self.sort] + (
            f" {sort_arrow(self.sort, self.reverse)}" if self.reverse else ""
        )
        marks = self.workspace.marks
        spec = self._shown_spec
        shown_marked = (
            self.collection.marked_count(spec)  # in proportion to the marks
            if spec is not None and len(marks) < len(rows)
            else marked_among(marks.ids, rows)
        )
        marked = marks_text(len(marks), shown_marked)
        teams = self._filtered_team_names(rows)
        # Kept longest: the count, read-only, which profile (writes go to it), what is marked;
        # the sort goes first.
        self._title_parts = [
            (name, 7),
            ("" if self.workspace.writable else read_only.read_only_label(self.workspace), 8),
            (f"{len(rows):,} of {total:,} campaigns", 9),
            (marked, 7),
            (f"team {teams}" if teams else "", 4),
            (scope, GIVES_WAY_TO_A_REASON),
            (f"by {sort}", 1),
        ]
        whole = len(fit_parts(self._title_parts, None))
        if whole != self._title_length:  # the status gets what the whole title leaves
            self._title_length = whole
            self.update_status()
        self.show_title()

    def show_title(self) -> None:
        """The title in the room the load status leaves it: whole parts dropped by priority
        (display/fitting.py), so a word is never cut by the status beside it."""
        width = self.size.width
        # (the title and the status each have a column of padding on either side)
        room = width - max(self._status_length, 0) - 4
        self.show_line("#title", fit_parts(self._title_parts, room if width else None))

    def show_line(self, selector: str, text: str, *, layout: bool = False) -> None:
        """Write one of the one-line boxes (the title, the load status, the summary), unless
        it already says `text`: each update repaints the line and sends it to the terminal
        again (the status, say, is the same after most filter keys)."""
        line = self.query_one(selector, Static)
        if layout or self._lines_shown.get(selector) != text:
            self._lines_shown[selector] = text
            line.update(safe_text(text), layout=layout)

    def _filtered_team_names(self, rows: list[Row]) -> str:
        """The names of the teams a `team_id:` filter term names (an id says nothing to a
        reader): from a shown row of that team, else the teams as read; the id if neither."""
        ids = [
            word.split(":", 1)[1]
            for word in written_terms(self.filter_input.value)
            if word.casefold().startswith("team_id:") and len(word) > len("team_id:")
        ]
        names = []
        for team_id in ids:
            name = next((row.raw_team for row in rows if row.team_id == team_id), None)
            if name is None:
                name = next(
                    (team.name for team in self.workspace.teams or () if team.id == team_id),
                    team_id,
                )
            names.append(name)
        return ", ".join(names)

    def update_summary(self, rows: list[Row]) -> None:
        """The bottom line: the totals of what is shown, or why the last bulk action left
        the cursor's campaign undone."""
        cursor = self.table.cursor_id
        note = self.workspace.marks.notes.get(cursor) if cursor is not None else None
        summary = self.query_one("#summary", Static)
        summary.set_class(note is not None, "-note")
        if note is not None:
            self.show_line("#summary", f"✗ {note.outcome}: {note.reason}")
            return
        totals = self._shown_totals if rows is self.table.rows else self.collection.totals(rows)
        history = self.workspace.history
        if history is not None:
            self.table.show_gained_title(history.short_label)
        self._summary_totals = (
            totals.campaigns,
            totals.requests,
            totals.booked,
            format_rate(totals.rate, totals.requests).strip(),
        )
        self.show_line("#summary", self._summary_line())
        if history is not None:
            # The Δ total comes after this frame (a pass over every shown row): until then
            # the last one stands.
            self.call_after_refresh(self.update_gained_total, rows)

    def _summary_line(self) -> str:
        """The totals and the Δ total (with a history), fitted to the line as one."""
        history = self.workspace.history
        gained = "" if history is None else f"{history.short_label} {self._gained_text}"
        campaigns, requests, booked, rate = self._summary_totals
        return summary_text(
            campaigns,
            requests,
            booked,
            rate,
            gained=gained,
            width=self.size.width - 2 if self.size.width else None,
        )

    def update_gained_total(self, rows: list[Row]) -> None:
        """The shown rows' Δ summed over those with a baseline ("–" when none has one)."""
        history = self.workspace.history
        if history is None or rows is not self.table.rows:
            return  # another view was shown since: its own update follows
        total = self.collection.gained_total(rows)
        text = "–" if total is None else gained_text(total)  # the Δ cell's rule: "0", "+3/+1"
        if text == self._gained_text:
            return  # the line already says it (each update is a frame of its own)
        self._gained_text = text
        if not self.query_one("#summary").has_class("-note"):  # (the note says it next)
            self.show_line("#summary", self._summary_line())

    def update_status(self) -> None:
        state = self.workspace.load_state
        status = self.query_one("#load-status", Static)
        status.set_class(bool(state.error), "-error")
        # Its box is at most half the top bar, less padding; it leaves the title whole unless
        # its state and countdown need the room: shortened to fit by priority (the zone's
        # name, then the reason give way first).
        width = None
        now, waiting = self.workspace.clock(), self.workspace.rate_wait
        zone = self.workspace.display_zone
        if self.size.width:
            title_room = self.size.width - self._title_length - 4  # (both boxes' padding)
            width = min(
                max(self.size.width // 2 - 2, 20),
                max(title_room, least_width(state, now, waiting, zone)),
            )
            if state.error:  # why it failed says more than the scope and the sort beside it
                kept = [part for part in self._title_parts if part[1] > GIVES_WAY_TO_A_REASON]
                width = max(width, self.size.width - len(fit_parts(kept, None)) - 4)
        text = status_text(state, now=now, width=width, waiting=waiting, zone=zone)
        # Its width follows its text: a layout pass only when that width changes.
        resized = len(text) != self._status_length
        self.show_line("#load-status", text, layout=resized)
        self._status_length = len(text)
        if resized:
            self.show_title()  # it has more room, or less
        # One tick for every wait the status counts down; a second that changes nothing shown
        # writes nothing (show_line).
        counting = waiting is not None or (state.error is not None and state.retry_at is not None)
        if counting and self.countdown is None:
            self.countdown = self.set_interval(1.0, self.tick_countdown)
        elif not counting and self.countdown is not None:
            self.countdown.stop()
            self.countdown = None

    def tick_countdown(self) -> None:
        """Redraw the countdown each second while a request waits for the rate limit or an
        automatic retry is due."""
        self.update_status()

    # -- actions -------------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Into the filter with the cursor after what it holds (a view's filter, or one typed
        before): what is typed next goes on the end, as after typing it."""
        field = self.filter_input
        field.cursor_position = len(field.value)
        self.set_focus(field)

    def action_leave_filter(self) -> None:
        self.set_focus(self.table)

    def action_clear_filter(self) -> None:
        if self.filter_input.value:
            self.filter_input.value = ""
        self.set_focus(self.table)

    def action_toggle_active(self) -> None:
        self.active_only = not self.active_only
        self.update_view()

    def action_cycle_sort(self) -> None:
        keys = (
            SORT_KEYS
            if self.workspace.history is not None
            else tuple(key for key in SORT_KEYS if key != "gained")
        )  # no history, no Δ to sort by
        if self.table.chosen_columns is not None:  # a view's columns: the ones shown
            keys = tuple(self.table.shown_sorts) or keys
        if self.sort not in keys:
            keys = (self.sort, *keys)
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.reverse = False
        self.update_view()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.update_view()

    def action_next_since(self) -> None:
        """Count the Δ from the next point: session → 24h → 7d → 30d."""
        history = self.workspace.history
        if history is None:
            self.notify("There is no history to count a Δ from (it is off).", markup=False)
            return
        window = history.next_window()
        self.read_baseline(window)
        self.notify(f"The Δ column now counts {describe_since(window)}.", markup=False)

    def action_report(self) -> None:
        """The report of the campaigns shown now; choosing a team there filters by it."""
        from skipup_campaigns.tui.report_screen import ReportScreen

        history = self.workspace.history
        scope = "active only" if self.active_only else "all"
        if self.filter_input.value.strip():
            scope += f", filter {self.filter_input.value.strip()}"
        self.app.push_screen(
            ReportScreen(
                list(self.table.rows),
                scope=scope,
                baseline=self.collection.baseline if history is not None else None,
                window=history.window_label if history is not None else None,
                workspace=self.workspace,
            ),
            self.report_chosen,
        )

    def report_chosen(self, choice: str | CampaignChosen | None) -> None:
        """The report closed on a team (filter by it) or a campaign (open its page)."""
        from skipup_campaigns.tui.report_screen import CampaignChosen

        if isinstance(choice, CampaignChosen):
            row = self.collection.get(choice.campaign_id)
            if row is not None:
                from skipup_campaigns.tui.detail_screen import DetailScreen

                self.table.select(row.id)
                self.app.push_screen(DetailScreen(self.workspace, row.campaign))
            return
        self.filter_by_team(choice)

    def filter_by_team(self, team_id: str | None) -> None:
        """Narrow the filter to exactly one team (the report's choice): a `team_id:` term
        replaces any `team:` or `team_id:` terms the filter had."""
        if team_id is None:
            return
        term = team_id_term(team_id)
        if term is None:
            self.notify(
                "That team's id cannot be written in the filter.", markup=False, severity="warning"
            )
            return
        kept = [  # (a quoted "team:x" is a word; team:"north sales" names a team)
            written
            for written in written_terms(self.filter_input.value)
            if not written.casefold().startswith(("team:", "team_id:"))
        ]
        self.filter_input.value = " ".join([*kept, term])
        self.update_view()
        self.set_focus(self.table)

    def action_refresh(self) -> None:
        if self.retry_timer is not None:
            self.retry_timer.stop()
            self.retry_timer = None
            self.workspace.retry_dropped()
        if not self.fetching:
            self.load()

    def action_new_campaign(self) -> None:
        if read_only.refuse_write(self, self.workspace):
            return
        from skipup_campaigns.tui.detail_screen import DetailScreen
        from skipup_campaigns.tui.edit_screen import EditScreen

        def created(campaign: Campaign | None) -> None:
            if campaign is not None:
                self.app.push_screen(DetailScreen(self.workspace, campaign))

        self.app.push_screen(EditScreen(self.workspace, None), created)

    def action_edit(self) -> None:
        from skipup_campaigns.tui.edit_screen import EditScreen

        if read_only.refuse_write(self, self.workspace):
            return
        if self.workspace.marks:
            self.bulk_edit()
            return
        row = self.table.cursor_row
        if row is not None:
            self.app.push_screen(EditScreen(self.workspace, row.campaign))

    @work(exclusive=True, group="list-write", exit_on_error=False)
    async def action_deactivate(self) -> None:
        from skipup_campaigns.tui import actions, bulk_flow

        if read_only.refuse_write(self, self.workspace):
            return
        if self.workspace.marks:
            await bulk_flow.deactivate_marked(self, self.workspace, self._shown_ids())
            return
        row = self.table.cursor_row
        if row is not None:
            await actions.deactivate(self, self.workspace, row.campaign)

    # -- marks: act on many at once (the flows are in bulk_flow) --------------------------------

    def action_mark(self) -> None:
        row = self.table.cursor_row
        if row is not None:
            self.workspace.marks.toggle(row.id)
            self.table.action_cursor(1)

    def action_mark_all(self) -> None:
        self.workspace.marks.toggle_all(self.table.rows)

    def action_clear_marks(self) -> None:
        self.workspace.marks.clear()

    def _shown_ids(self) -> set[str]:
        """The campaigns the list shows now (a bulk preview lists the marked others first)."""
        return {row.id for row in self.table.rows}

    @work(exclusive=True, group="bulk-write", exit_on_error=False)
    async def bulk_edit(self) -> None:
        from skipup_campaigns.tui import bulk_flow

        await bulk_flow.edit_marked(self, self.workspace, self._shown_ids())

    @work(exclusive=True, group="bulk-write", exit_on_error=False)
    async def action_undo_bulk(self) -> None:
        from skipup_campaigns.tui import bulk_flow

        if read_only.refuse_write(self, self.workspace):
            return
        await bulk_flow.undo_last(self, self.workspace)

    @work(exclusive=True, group="list-export", exit_on_error=False)
    async def action_export(self) -> None:
        from skipup_campaigns.tui import export_flow

        await export_flow.export(self, self.workspace, self.table.rows)

    @on(CampaignTable.CursorMoved)
    def cursor_moved(self) -> None:
        if self.workspace.marks.notes:
            self.update_summary(self.table.rows)

    MARKS_KEY_BAR = (
        "list.mark",
        "list.deactivate",
        "list.edit",
        "list.export",
        "list.undo_bulk",
        "list.clear_marks",
        "list.clear_filter",
    )
    FILTER_KEY_BAR = ("list.leave_filter", "list.clear_filter")

    def key_bar_ids(self) -> tuple[str, ...] | None:
        """The key bar's keys where they differ from the bindings shown by default: with
        marks, the keys that act on them; in the filter, the ways out of it."""
        if self.focused is self.filter_input:
            return self.FILTER_KEY_BAR
        if self.workspace.marks:
            return self.MARKS_KEY_BAR + self.own_marks_key_ids()
        return None

    def key_bar_hidden_actions(self) -> set[str]:
        """Write keys are not offered while writing is off, nor `h` (Δ since) without a
        history; pressed, they say why (so they stay enabled, not silently dead)."""
        hidden = set() if self.workspace.writable else set(self.WRITE_ACTIONS)
        if self.workspace.history is None:
            hidden.add("next_since")
        return hidden

    @work(exclusive=True, group="write-check", exit_on_error=False)
    async def recheck_write(self) -> None:
        await read_only.recheck_write(self, self.workspace)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        marks = self.workspace.marks
        no_cursor = self.table.cursor_row is None
        if (action == "mark" and no_cursor) or (
            action in ("edit", "deactivate") and no_cursor and not marks
        ):  # with marks: act on them
            return False
        typing = isinstance(self.focused, Input)  # the filter, or the : command line
        if action == "clear_marks" and (not marks or self.filter_input.value or typing):
            return False
        in_filter = self.focused is self.filter_input
        if action in self.TYPING_ACTIONS and typing:
            return False  # typed into the filter, it is part of the filter
        if action == "leave_filter" and not in_filter:
            return False  # enter and down belong to the table there
        if action == "clear_filter" and (
            typing and not in_filter or not in_filter and not self.filter_input.value
        ):
            return False  # nothing to clear: let esc mean what it means elsewhere
        return True

    def show_created(self, campaign_id: str) -> None:
        """A campaign was just created: the filter and active-only view stay as they are; the
        cursor goes to it if they show it, and if not the toast says so."""
        self.update_view(cursor_on=campaign_id)
        if self.table.cursor_id == campaign_id:
            self.notify("Campaign created.", markup=False)
        else:
            why = (
                "the filter (esc clears it)"
                if self.filter_input.value.strip()
                else "the active-only view (a shows all)"
            )
            self.notify(f"Campaign created; hidden by {why}.", markup=False)

    def select_campaign(self, campaign_id: str) -> bool:
        """Move the cursor to a campaign, showing all and clearing the filter if needed."""
        if campaign_id not in self.collection:
            return False
        if not self.table.select(campaign_id):
            with self.prevent(Input.Changed):
                self.filter_input.value = ""
            self.active_only = False
            self.update_view(cursor_on=campaign_id)
        self.set_focus(self.table)
        return self.table.cursor_id == campaign_id

    def palette_commands(self) -> list[PaletteEntry]:
        """What the command palette offers on this screen: (name, action, help)."""
        toggle = "Show all campaigns" if self.active_only else "Show active campaigns only"
        return [
            ("Refresh campaigns", self.action_refresh, "Fetch the list again (r)"),
            (toggle, self.action_toggle_active, "Toggle active only / all (a)"),
            ("Sort by next column", self.action_cycle_sort, "Cycle the sort (s)"),
            ("Reverse sort", self.action_reverse_sort, "Reverse the sort (S)"),
            ("Filter campaigns", self.action_focus_filter, "Focus the filter (/)"),
            ("Report", self.action_report, "By team and status, best and worst (R)"),
            (
                "Δ since the next point",
                self.action_next_since,
                "Cycle the Δ window: session, 24h, 7d, 30d (h)",
            ),
            *self.command_palette_entries(set(PALETTE_EQUIVALENTS.values())),
            *self.own_palette_commands(),
        ]

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.update_view()

    @on(CampaignTable.SortClicked)
    def sort_clicked(self, message: CampaignTable.SortClicked) -> None:
        if message.sort == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = message.sort, False
        self.update_view()

    @on(CampaignTable.Opened)
    def open_campaign(self, message: CampaignTable.Opened) -> None:
        from skipup_campaigns.tui.detail_screen import DetailScreen

        row = self.collection.get(message.campaign_id)
        if row is not None:
            self.app.push_screen(DetailScreen(self.workspace, row.campaign))


def next_still_shown(old: list[Row], cursor: Row | None, new: list[Row]) -> Row | None:
    """When the cursor's row leaves the view (deactivated, filtered out), the row that followed
    it takes the cursor, as in other lists (or the one before, at the end). None: it stays."""
    if cursor is None or not old:
        return None
    if cursor in new:  # (rows compare by identity: a C-speed search)
        return None
    shown = {id(row) for row in new}
    try:
        at = old.index(cursor)
    except ValueError:
        return None
    for row in (*old[at + 1 :], *reversed(old[:at])):
        if id(row) in shown:
            return row
    return None


def summary_text(
    campaigns: int,
    requests: int,
    booked: int,
    rate: str,
    *,
    gained: str = "",
    width: int | None = None,
) -> str:
    """The totals line with the Δ total (`gained`, "Δ session +3/+1"; "" without a history),
    fitted to `width`: the words go first ("Shown:", "booking", "rate"); when the numbers
    still do not fit, whole parts go, least needed first (fitting.fit_parts): the requests
    (the booked and the rate say them), then the booked, then the rate, with the most words
    the room left allows. The campaigns stay, and the Δ total beside them while both fit
    (down to about 48 columns)."""
    wordings = (
        ("Shown: ", " booking rate"),
        ("", " booking rate"),
        ("", " rate"),
        ("", ""),
    )
    fitted = []
    for shown, rate_word in wordings:
        parts = [
            (f"{shown}{campaigns:,} campaigns", 9),
            (f"{requests:,} requests", 3),
            (f"{booked:,} booked", 4),
            (f"{rate}{rate_word}", 5),
            (gained, 7),
        ]
        whole = SEPARATOR.join(text for text, _ in parts if text)
        if width is None or len(whole) <= width:
            return whole  # (the usual case, on each filter key: one join)
        fitted.append(fit_parts(parts, width))
    most = fitted[-1].count(SEPARATOR)  # the parts the fewest words leave room for
    return next(
        (line for line in fitted if line.count(SEPARATOR) == most and "…" not in line),
        fitted[-1],
    )


if TYPE_CHECKING:

    def _is_a_list_host(screen: ListScreen) -> ListHost:
        """Where mypy checks that the screen has all its mixins use of it (`list_host.py`)."""
        return screen

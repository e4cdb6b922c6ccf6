"""A virtual campaign table on Textual's Line API: only the rows in view are ever drawn.

The cursor is kept by campaign id, never by row index: when rows are filtered, sorted or
reloaded the cursor stays on the same campaign while it is shown (acting on the wrong campaign
is the worst bug a list like this can have).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from skipup_campaigns.display.cells import fit
from skipup_campaigns.display.dates import UTC_ZONE, DisplayZone, short_date
from skipup_campaigns.display.gains import gained_text
from skipup_campaigns.display.rate_bar import format_rate, rate_band, rate_bar
from skipup_campaigns.display.safe_text import safe
from skipup_campaigns.plain_record import FrozenRecord
from skipup_campaigns.workspace.collection import Row, SortKey, sort_arrow
from skipup_campaigns.workspace.marks import MarkNote

if TYPE_CHECKING:
    from textual.widget import Widget

MARKER = "› "
"""Drawn before the cursor row, so the cursor shows without colour (NO_COLOR, ANSI themes)."""
GAP = 1
MARK_CELLS = {False: "✓ ", True: "✗ "}
"""Drawn before a marked row (✗: the last bulk action did not do it), only while any row is
marked; the row keeps its real status, and the summary line says why for the cursor's row."""
NAME_MIN = 20
BAR_WIDTH = 9


class Column(FrozenRecord):
    key: str
    title: str
    width: int
    priority: int
    """Lower is kept longer when the terminal is narrow; name and rate always stay."""
    right: bool = False
    sort: SortKey | None = None


COLUMNS = (
    Column("name", "Name", NAME_MIN, 0, sort="name"),
    Column("team", "Team", 14, 2),
    Column("status", "Status", 11, 1),
    Column("starts", "Start", 10, 7, sort="start"),
    Column("ends", "End", 10, 5),
    Column("requests", "Requests", 8, 3, right=True, sort="requests"),
    # After the counts it grows from; at 80 columns it gives way (the summary has its total).
    Column("gained", "Δ", 9, 4, right=True, sort="gained"),
    Column("booked", "Booked", 6, 6, right=True, sort="booked"),
    Column("rate", "Booking rate", BAR_WIDTH + 1 + 6, 0, sort="rate"),
    Column("created", "Created", 10, 8, sort="created"),
)
EXTRA_COLUMNS = (
    # Shown only when a view asks for them (the column picker, :columns, a view's columns).
    Column("slug", "Slug", 16, 9, sort="slug"),
    Column("updated", "Updated", 10, 9, sort="updated"),
    Column("email", "E-mail", 22, 10, sort="email"),
    Column("id", "Id", 28, 11, sort="id"),
)
VIEW_COLUMN_KEYS = {"start": "starts", "end": "ends", "delta": "gained"}
"""A view's column name → this table's key, where they differ (workspace/views.COLUMNS)."""
_BY_KEY = {column.key: column for column in (*COLUMNS, *EXTRA_COLUMNS)}


def chosen_layout(
    width: int,
    names: Sequence[str],
    hidden: frozenset[str] = frozenset(),
    sort: SortKey | None = None,
    added: Collection[str] = (),
    wants: Mapping[str, int] | None = None,
) -> list[tuple[Column, int]]:
    """The columns a view chose (`names`, in its order) that fit in `width`, by priority: the
    name keeps at least its room, then the column the list is sorted by (a sort you cannot
    see reads as no order), then the ones just `added` (the user asked to see them), then the
    rest in the chosen order. One that does not fit is left out and the ones after it are
    still tried; what is kept is drawn in the chosen order. The room left over goes first to
    the kept columns whose values are cut (`wants`: a column's widest value, measured on a
    few rows), each up to that width, in the chosen order; the name takes the rest."""
    available = width - len(MARKER)
    wanted = [_BY_KEY[VIEW_COLUMN_KEYS.get(name, name)] for name in names]
    wanted = [c for c in wanted if c.key not in hidden]
    if not any(c.key == "name" for c in wanted):
        wanted.insert(0, _BY_KEY["name"])
    added_keys = {VIEW_COLUMN_KEYS.get(name, name) for name in added}

    def rank(column: Column) -> int:
        if column.key == "name":
            return 0
        if sort is not None and column.sort == sort:
            return 1
        return 2 if column.key in added_keys else 3

    used = NAME_MIN
    kept = {"name"}
    for column in sorted(wanted, key=rank):  # (stable: the chosen order within a rank)
        if column.key == "name":
            continue
        if used + GAP + column.width <= available:
            kept.add(column.key)
            used += GAP + column.width
    spare = max(0, available - used)
    widths = {c.key: c.width for c in wanted if c.key in kept}
    for key in widths:
        if key != "name" and spare:
            grow = min(spare, max(0, (wants or {}).get(key, 0) - widths[key]))
            widths[key] += grow
            spare -= grow
    widths["name"] += spare
    return [(c, widths[c.key]) for c in wanted if c.key in kept]


def layout(
    width: int, hidden: frozenset[str] = frozenset(), sort: SortKey | None = None
) -> list[tuple[Column, int]]:
    """The columns that fit in `width` cells, in display order, with their widths; the name
    takes whatever is left over. `hidden` columns are left out (Δ without a history); the
    column the list is sorted by is kept next after name, rate, status and team (a sort you
    cannot see reads as no order)."""
    available = width - len(MARKER)
    kept: set[str] = set()
    used = 0

    def priority(column: Column) -> float:
        return 2.5 if column.sort is not None and column.sort == sort else column.priority

    for column in sorted(COLUMNS, key=priority):
        if column.key in hidden:
            continue
        need = column.width + (GAP if kept else 0)
        if priority(column) > 0 and used + need > available:
            if priority(column) != column.priority:
                continue  # the sorted column does not fit: the others go on as usual
            break
        kept.add(column.key)
        used += need
    spare = max(0, available - used)
    return [(c, c.width + spare if c.key == "name" else c.width) for c in COLUMNS if c.key in kept]


DATE_COLUMNS = {
    "starts": "starts_at",
    "ends": "ends_at",
    "created": "created_at",
    "updated": "updated_at",
}
"""The date columns and the row's moment (a POSIX timestamp) each shows."""


def cell_text(row: Row, key: str, zone: DisplayZone = UTC_ZONE) -> str:
    """A text column's cell: the row's precomputed safe text, a count with separators, or a
    date as it is in `zone`."""
    if key in DATE_COLUMNS and not zone.is_utc:  # (UTC: the row's own, made once)
        stamp = getattr(row, DATE_COLUMNS[key])
        return short_date(
            None if stamp is None else datetime.fromtimestamp(stamp, timezone.utc), zone
        )
    if key in ("requests", "booked"):
        return f"{getattr(row, key):,}"
    if key in ("slug", "id"):  # server text, made safe when drawn (only the rows in view)
        return safe(getattr(row, key))
    return getattr(row, key)


class CampaignTable(ScrollView, can_focus=True):
    """Campaign rows with a fixed header line, a cursor kept by id, and a booking-rate bar."""

    COMPONENT_CLASSES = {
        "campaign-table--header",
        "campaign-table--cursor",
        "campaign-table--inactive",
        "campaign-table--rate-none",
        "campaign-table--rate-low",
        "campaign-table--rate-mid",
        "campaign-table--rate-high",
        "campaign-table--empty",
    }

    DEFAULT_CSS = """
    CampaignTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .campaign-table--header { text-style: bold; color: $text-accent; }
        & > .campaign-table--cursor { background: $surface-lighten-2; text-style: bold; }
        &:focus > .campaign-table--cursor { background: $block-cursor-background;
                                             color: $block-cursor-foreground; }
        & > .campaign-table--inactive { color: $text-muted; }
        & > .campaign-table--rate-none { color: $text-muted; }
        & > .campaign-table--rate-low { color: $error; }
        & > .campaign-table--rate-mid { color: $warning; }
        & > .campaign-table--rate-high { color: $success; }
        & > .campaign-table--empty { color: $text-muted; text-style: italic; }
    }
    """

    BINDINGS = [
        Binding("enter", "open", "Open", id="table.open", tooltip="open the campaign's page"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up", tooltip="move the cursor"),
        Binding(
            "down,j", "cursor(1)", "Down", show=False, id="table.down", tooltip="move the cursor"
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            id="table.page_up",
            tooltip="a page up or down",
        ),
        Binding(
            "pagedown",
            "page(1)",
            "Page down",
            show=False,
            id="table.page_down",
            tooltip="a page up or down",
        ),
        Binding(
            "home,g",
            "edge(0)",
            "First",
            show=False,
            id="table.first",
            tooltip="first or last campaign",
        ),
        Binding(
            "end,G",
            "edge(1)",
            "Last",
            show=False,
            id="table.last",
            tooltip="first or last campaign",
        ),
    ]

    class Opened(Message):
        """The user asked to open the campaign under the cursor."""

        def __init__(self, campaign_id: str) -> None:
            super().__init__()
            self.campaign_id = campaign_id

    class CursorMoved(Message):
        """The cursor is on another campaign (or on none)."""

        def __init__(self, campaign_id: str | None) -> None:
            super().__init__()
            self.campaign_id = campaign_id

    class SortClicked(Message):
        """A sortable column's header was clicked."""

        def __init__(self, sort: SortKey) -> None:
            super().__init__()
            self.sort = sort

    sort_key: reactive[SortKey] = reactive("created")
    sort_reverse: reactive[bool] = reactive(False)
    empty_message: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.gained: Callable[[Row], tuple[int, int] | None] | None = None
        """The Δ of a row (the collection's `gained`); None: no history, no Δ column."""
        self.gained_title = "Δ"
        self.zone = UTC_ZONE
        """The zone the date columns show their days in (the workspace's)."""
        """The Δ column's header, naming its window ("Δ 24h")."""
        self._rows: list[Row] = []
        self._cursor = 0
        self._cursor_row: Row | None = None
        """The campaign under the cursor: the cursor follows this row, wherever it moves."""
        self._moves_before_rows: list[Callable[[], None]] | None = []
        """Cursor keys pressed before the first rows came (typed ahead as the list loads,
        `/an⏎jj`): made once they come, in order. None once rows have been shown, or a load
        has ended with none (`drop_moves_before_rows`): on an empty list a cursor key does
        nothing."""
        self.chosen_columns: tuple[str, ...] | None = None
        """The columns a view chose, by its names (None: the default ones by priority)."""
        self._added_columns: frozenset[str] = frozenset()
        """Of those, the ones the user just added (kept before the rest when it is narrow)."""
        self._columns: list[tuple[Column, int]] = layout(80, self._hidden)
        self._layout_measured = False
        """The chosen columns' widths were given rows in view to measure."""
        self.marked: Collection[str] = frozenset()
        """The marked campaigns' ids (the workspace's own set, read when drawing)."""
        self.mark_notes: Mapping[str, MarkNote] = {}
        self._mark_width = 0
        self._base_style: Style | None = None

    def show_marks(self, marked: Collection[str], notes: Mapping[str, MarkNote]) -> None:
        """Draw these marks: a mark column while any campaign is marked."""
        self.marked, self.mark_notes = marked, notes
        width = len(MARK_CELLS[False]) if marked else 0
        if width != self._mark_width:
            self._mark_width = width
            self._relayout()
        self.refresh()

    # -- data ----------------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        return self._rows

    @property
    def cursor_row(self) -> Row | None:
        return self._rows[self._cursor] if self._rows else None

    @property
    def cursor_id(self) -> str | None:
        return self._cursor_row.id if self._cursor_row is not None else None

    def show(
        self,
        rows: list[Row],
        *,
        cursor_on: Row | None = None,
        rows_unchanged: bool = False,
    ) -> None:
        """Show `rows`; the cursor stays on its campaign (or goes to `cursor_on`) if that
        campaign is among them, otherwise it goes to the first row. `rows_unchanged`: no
        row changed in place since the last call, so if the same rows are in view (pages
        arriving below them) nothing is redrawn but the scrollbar. The caller hands the
        repaint to the screen (`next_frame.repaint_in_next_frame(*table.drawn_now)`)."""
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        in_view, cursor_before = self._rows[top : top + height], self._cursor
        self._rows = rows
        # The new extent first, so scrolling to the cursor is not clamped to the old one.
        self._set_extent(Size(self.size.width, len(rows) + 1))
        anchor = cursor_on or self._cursor_row
        if anchor is None:
            index = 0
        elif self._cursor < len(rows) and rows[self._cursor] is anchor:
            index = self._cursor  # still where it was (pages append below it): no search
        else:
            try:
                # Rows are updated in place and compare by identity: a C-speed search.
                index = rows.index(anchor)
            except ValueError:
                index = 0
        self._set_cursor(index)
        if rows and self.chosen_columns is not None and not self._layout_measured:
            # Chosen columns laid out before any row was in view: once, with the first rows
            # (not on each filter keystroke: the widths stay put as the list narrows).
            self._relayout()
        if rows and self._moves_before_rows is not None:
            moves, self._moves_before_rows = self._moves_before_rows, None
            for move in moves:
                move()
        if (
            rows_unchanged
            and index == cursor_before
            and round(self.scroll_y) == top
            and rows[top : top + height] == in_view
            and (rows or not self.empty_message)
        ):
            return  # (a list compares its rows by identity here: rows are eq=False)
        self.refresh()

    @property
    def drawn_now(self) -> tuple[Widget, ...]:
        """The widgets a `show` changes: the table, and its scrollbar when shown."""
        return (self, self.vertical_scrollbar) if self.show_vertical_scrollbar else (self,)

    def _set_extent(self, extent: Size) -> None:
        """The scrollable size. While the scrollbar stays (pages arriving below it, a filter
        that still leaves more rows than fit) only the bar is redrawn. Setting `virtual_size`
        lays the screen out again and repaints every row in view (about half the CPU of each
        redraw while 100,000 stream in), and the bar, redrawn during that layout, comes in a
        frame of its own after the rows; a scrollbar that comes or goes, or another width,
        still take that way."""
        before = self.virtual_size
        if extent == before:
            return
        try:
            if (
                extent.width == before.width
                and self.show_vertical_scrollbar
                and extent.height > self.container_size.height
            ):
                self.set_reactive(ScrollView.virtual_size, extent)
                self.vertical_scrollbar.window_virtual_size = extent.height
                if extent.height < before.height:  # (the plain way clamps it in its layout)
                    self.scroll_y = self.validate_scroll_y(self.scroll_y)
                return
        except AttributeError:  # Textual's scrollbar changed: the plain way below
            pass
        self.virtual_size = extent
        # A bar that comes or goes is said now, so the one layout pass lays the table out
        # with or without it (else a second pass follows the first: the rows drawn twice).
        # Before the first layout, or with another overflow, the layout alone decides.
        if self.container_size.height and self.styles.overflow_y == "auto":
            self.show_vertical_scrollbar = extent.height > self.container_size.height

    def select(self, campaign_id: str) -> bool:
        """Put the cursor on a campaign, if it is shown."""
        for i, row in enumerate(self._rows):
            if row.id == campaign_id:
                self._set_cursor(i)
                self.refresh()
                return True
        return False

    def _set_cursor(self, index: int) -> None:
        before = self._cursor_row
        self._cursor = max(0, min(index, len(self._rows) - 1))
        self._cursor_row = self._rows[self._cursor] if self._rows else None
        if self._cursor_row is not before:
            self.post_message(self.CursorMoved(self.cursor_id))
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=False, immediate=True)

    # -- actions -------------------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Move the cursor; without a scroll only the two rows involved are redrawn (a
        whole-table repaint per arrow key is ~30 kB over the wire)."""
        before, top = self._cursor, round(self.scroll_y)
        self._set_cursor(index)
        if round(self.scroll_y) != top:
            self.refresh()
            return
        width = self.scrollable_content_region.width
        self.refresh(*(Region(0, row - top + 1, width, 1) for row in {before, self._cursor}))

    def drop_moves_before_rows(self) -> None:
        """No first rows are coming: cursor keys pressed meanwhile are dropped, and the keys
        from now on act on the list as it is (nothing, while it is empty)."""
        self._moves_before_rows = None

    def _before_rows(self, move: Callable[[], None]) -> bool:
        """No rows shown yet: keep `move` for when the first come (True)."""
        if self._rows or self._moves_before_rows is None:
            return False
        self._moves_before_rows.append(move)
        return True

    def action_cursor(self, delta: int) -> None:
        if not self._before_rows(lambda: self.action_cursor(delta)):
            self.move_cursor(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        if not self._before_rows(lambda: self.action_page(direction)):
            page = max(1, self.scrollable_content_region.height - 2)
            self.move_cursor(self._cursor + direction * page)

    def action_edge(self, end: int) -> None:
        if not self._before_rows(lambda: self.action_edge(end)):
            self.move_cursor(len(self._rows) - 1 if end else 0)

    def action_open(self) -> None:
        if self.cursor_id is not None:
            self.post_message(self.Opened(self.cursor_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None and column.sort is not None:
                self.post_message(self.SortClicked(column.sort))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_open()

    def _column_at(self, x: int) -> Column | None:
        left = len(MARKER) + self._mark_width
        for column, width in self._columns:
            if left <= x < left + width + GAP:
                return column
            left += width + GAP
        return None

    # -- drawing -------------------------------------------------------------------------------

    @property
    def _hidden(self) -> frozenset[str]:
        return frozenset() if self.gained is not None else frozenset(("gained",))

    def show_gains(self, gained: Callable[[Row], tuple[int, int] | None] | None) -> None:
        """Show the Δ column with this source of gains (None: hide it)."""
        if (gained is None) != (self.gained is None):
            self.gained = gained
            self._relayout()
            self.refresh()
        self.gained = gained

    def show_gained_title(self, title: str) -> None:
        """Name the Δ column's window in its header ("Δ 24h", "Δ session")."""
        if title != self.gained_title:
            self.gained_title = title
            self.refresh()

    def _relayout(self) -> None:
        """Fit the columns to the width left beside the mark column (if any)."""
        width = self.scrollable_content_region.width or 80
        if self.chosen_columns is None:
            self._columns = layout(width - self._mark_width, self._hidden, self.sort_key)
        else:
            in_view = self._rows_in_view()
            self._layout_measured = bool(in_view)
            self._columns = chosen_layout(
                width - self._mark_width,
                self.chosen_columns,
                self._hidden,
                self.sort_key,
                self._added_columns,
                self._widest_values(in_view),
            )

    def _rows_in_view(self) -> list[Row]:
        top = round(self.scroll_y)
        return self._rows[top : top + (self.scrollable_content_region.height or 24)]

    def _widest_values(self, rows: list[Row]) -> dict[str, int]:
        """Each text column's widest value among `rows` (the ones in view: a screenful, never
        the whole list), for the layout to give spare room to the columns it would cut."""
        widest: dict[str, int] = {}
        for key in ("team", "status", "slug", "email", "id"):
            widest[key] = max((cell_len(cell_text(row, key, self.zone)) for row in rows), default=0)
        return widest

    def show_columns(self, names: Sequence[str] | None, added: Collection[str] = ()) -> None:
        """Show these columns (a view's names, in order; None: the default ones); `added`:
        the ones the user just asked for, kept before the others when it is narrow."""
        chosen = None if names is None else tuple(names)
        if chosen != self.chosen_columns or frozenset(added) != self._added_columns:
            self.chosen_columns = chosen
            self._added_columns = frozenset(added)
            self._relayout()
            self.refresh()

    @property
    def shown_column_names(self) -> list[str]:
        """The columns drawn now, by a view's names."""
        names = {key: name for name, key in VIEW_COLUMN_KEYS.items()}
        return [names.get(column.key, column.key) for column, _ in self._columns]

    @property
    def shown_sorts(self) -> list[SortKey]:
        """The sorts of the columns shown now, left to right (what `s` steps through)."""
        return [column.sort for column, _ in self._columns if column.sort is not None]

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)
        self._scroll_to_cursor()

    def watch_sort_key(self) -> None:
        self._relayout()
        self.refresh()

    def watch_sort_reverse(self) -> None:
        self.refresh()

    def watch_empty_message(self) -> None:
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = None  # (worked out once for the lines of this frame)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style
        if base is None:  # (the widget's style walks its ancestors: once a frame, not a line)
            base = self._base_style = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            if not self._rows and y == 2 and self.empty_message:
                style = base + self.get_component_rich_style("campaign-table--empty")
                return Strip([Segment(fit("  " + safe(self.empty_message), width), style)], width)
            return Strip.blank(width, base)
        return self._row(self._rows[index], index == self._cursor, width, base)

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("campaign-table--header")
        parts = [" " * (len(MARKER) + self._mark_width)]
        for column, column_width in self._columns:
            title = self.gained_title if column.key == "gained" else column.title
            arrow = ""
            if column.sort is not None and column.sort == self.sort_key:
                arrow = f" {sort_arrow(column.sort, self.sort_reverse)}"
            if column.key == "rate" and column_width < cell_len(title + arrow):
                title = "Rate"
            if cell_len(title + arrow) > column_width:  # a narrow column keeps its arrow
                title = fit(title, max(1, column_width - len(arrow))).rstrip()
            parts.append(fit(title + arrow, column_width, column.right))
        return Strip([Segment(fit(_join(parts), width), style)], width)

    def _row(self, row: Row, is_cursor: bool, width: int, base: Style) -> Strip:
        style = base
        if row.status in ("ended", "deactivated"):
            style += self.get_component_rich_style("campaign-table--inactive")
        if is_cursor:
            style += self.get_component_rich_style("campaign-table--cursor")
        # One segment per run of equal style (fewer style codes on the wire): the text of
        # the row in one style but for the rate's bar, joined as it is made.
        segments: list[Segment] = []
        texts = [MARKER if is_cursor else " " * len(MARKER)]
        if self._mark_width:
            marked = row.id in self.marked
            note = self.mark_notes.get(row.id) if marked else None
            texts.append(MARK_CELLS[note is not None] if marked else " " * self._mark_width)
        gap = " " * GAP
        for number, (column, column_width) in enumerate(self._columns):
            if number:
                texts.append(gap)
            if column.key == "rate":
                band = rate_band(row.rate, row.requests)
                # Only the band's colour: the row's background (cursor or not) stays.
                band_style = self.get_component_rich_style(f"campaign-table--rate-{band}")
                bar_style = style + Style(color=band_style.color)
                bar = rate_bar(row.rate, max(0, column_width - 7))
                if bar_style == style:
                    texts.append(bar)
                else:
                    segments.append(Segment("".join(texts), style))
                    segments.append(Segment(bar, bar_style))
                    texts = []
                texts.append(" " + format_rate(row.rate, row.requests))
            else:
                # A row the last bulk action did not do keeps its real status: its ✗ mark
                # says so, and the summary line says why (its own place).
                if column.key == "gained" and self.gained:
                    text = gained_text(self.gained(row))
                else:
                    text = cell_text(row, column.key, self.zone)
                texts.append(fit(text, column_width, column.right))
        segments.append(Segment("".join(texts), style))
        return Strip(segments).adjust_cell_length(width, style)


def _join(parts: list[str]) -> str:
    return parts[0] + (" " * GAP).join(parts[1:])

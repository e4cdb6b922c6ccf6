"""The report screen: the campaigns the list shows, by team (with bars and Δ), by status, and
the five best and worst converters. The numbers come from `report.build_report`, the same as
`skipup-campaigns report` prints.

The screen gets the list's shown rows (filter and active toggle applied) and the Δ baseline;
it never reaches into the list. `enter` on a team dismisses with that team's id, and the
list filters by exactly that team (`team_id:`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from skipup_campaigns.display.cells import fit
from skipup_campaigns.display.fitting import fit_parts
from skipup_campaigns.display.gains import gained_text
from skipup_campaigns.display.rate_bar import rate_band, rate_bar
from skipup_campaigns.display.safe_text import safe, safe_text
from skipup_campaigns.report import DEFAULT_MIN_REQUESTS, Line, Ranked, Report, build_report
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.key_bar import KeyBar
from skipup_campaigns.tui.widgets.wait_line import RateLimitWaitLine

if TYPE_CHECKING:
    from skipup_campaigns.workspace import Workspace

RATE_NOTE = "Rates: sums of booked over sums of requests, rounded half up; never averages."
THRESHOLDS = (0, 1, 5, 10, 20, 50, 100, 200, 500, 1000)
"""What `+` and `-` step through: the requests a campaign needs to be ranked."""
MARKER = "› "


@dataclass(frozen=True)
class ReportLine:
    """One line of the report: its parts (text, style class), and the team it stands for."""

    parts: tuple[tuple[str, str], ...]
    """(text already fitted and made safe, component class suffix or "")."""
    team_id: str | None = None
    """The team's id, on a team's line (enter filters by it)."""
    campaign_id: str | None = None
    """The campaign's id, on a best or worst line (enter opens it)."""


@dataclass(frozen=True)
class CampaignChosen:
    """What the report closes with when `enter` is pressed on a best or worst campaign."""

    campaign_id: str


def _pct(value: Decimal | None) -> str:
    return "–".rjust(6) if value is None else f"{value:5.1f}%"


def _bar(value: Decimal | None, width: int) -> str:
    return rate_bar(float(value or 0), width)


@dataclass(frozen=True)
class Widths:
    name: int
    bar: int
    """The rate's bar (0: no room, the percentage alone)."""
    share: int
    """The share's bar (0: no room, the percentage alone)."""
    gained: int
    counts: tuple[int, int, int] = (6, 9, 8)
    """Campaigns, requests, booked: each as wide as its widest value or title."""


COUNTS = ((" Camp.", 6), ("Requests", 9), ("Booked", 8))
"""Each count column's title and least width (a column grows to its widest value)."""
GAINED_TITLE = "Δ req/booked"


def count_widths(lines: Sequence[Line]) -> tuple[int, int, int]:
    """The count columns as wide as their widest value in `lines` (never under COUNTS')."""
    campaigns, requests, booked = (least for _, least in COUNTS)
    for line in lines:
        campaigns = max(campaigns, len(f"{line.campaigns:,}"))
        requests = max(requests, len(f"{line.requests:,}"))
        booked = max(booked, len(f"{line.booked:,}"))
    return campaigns, requests, booked


def gained_width(lines: Sequence[Line]) -> int:
    """The Δ column as wide as its widest value in `lines` (never under its title)."""
    return max(
        [len(GAINED_TITLE)]
        + [
            len(gained_text((line.gained_requests, line.gained_booked or 0)))
            for line in lines
            if line.gained_requests is not None
        ]
    )


def widths(
    width: int,
    with_gains: bool,
    counts: tuple[int, int, int] = (6, 9, 8),
    gained: int = len(GAINED_TITLE),
) -> Widths:
    """The team table's column widths in `width` cells: the numbers keep their widths; bars
    grow first, the name takes the rest. Short of room, the name is cut to 8 before any bar
    shrinks, then the share's bar goes, then the rate's (their percentages stay)."""
    gained = gained if with_gains else 0
    fixed = len(MARKER) + sum(counts) + 7 + 7 + gained + 5 + (1 if gained else 0)
    spare = max(0, width - fixed)
    if spare < 8 + 3 + 3:
        bar = min(3, max(0, spare - 8))
        return Widths(8, bar, min(3, max(0, spare - 8 - bar)), gained, counts)
    name = min(spare, 14)
    bars = spare - name
    bar = max(3, min(20, bars // 2))
    share = max(3, min(20, bars - bar))
    name = max(8, width - fixed - bar - share)
    return Widths(name, bar, share, gained, counts)


def _count_cells(requests: int, booked: int, campaigns: int, w: Widths) -> list[tuple[str, str]]:
    return [
        (" ", ""),
        (f"{campaigns:,}".rjust(w.counts[0]), ""),
        (" ", ""),
        (f"{requests:,}".rjust(w.counts[1]), ""),
        (" ", ""),
        (f"{booked:,}".rjust(w.counts[2]), ""),
    ]


def _percent_cells(value: Decimal | None, bar: int, style: str) -> list[tuple[str, str]]:
    """A bar and its percentage (the percentage alone when the bar has no room)."""
    cells = [(" ", ""), (_bar(value, bar), style)] if bar else []
    return [*cells, (" " + _pct(value), "")]


def _percent_title(title: str, short: str, bar: int) -> str:
    room = bar + 7 if bar else 6
    return " " + fit(title if len(title) <= room else short, room)


def breakdown_line(
    line: Line, w: Widths, *, label: str, team_id: str | None = None, bold: bool = False
) -> ReportLine:
    band = rate_band(float(line.rate or 0), line.requests)
    parts: list[tuple[str, str]] = [
        (" " * len(MARKER), ""),
        (fit(label, w.name), "total" if bold else ""),
    ]
    parts += _count_cells(line.requests, line.booked, line.campaigns, w)
    parts += _percent_cells(line.rate, w.bar, f"rate-{band}")
    parts += _percent_cells(line.share, w.share, "share")
    if w.gained:
        gained = (
            None
            if line.gained_requests is None
            else (line.gained_requests, line.gained_booked or 0)
        )
        parts += [(" ", ""), (gained_text(gained).rjust(w.gained), "gained")]
    return ReportLine(tuple(parts), team_id)


def header_line(first: str, w: Widths) -> ReportLine:
    text = " " * len(MARKER) + fit(first, w.name)
    for (title, _), width in zip(COUNTS, w.counts):
        text += " " + title.strip().rjust(width)
    text += _percent_title("Booking rate", "Rate", w.bar)
    text += _percent_title("Share of requests", "Share", w.share)
    if w.gained:
        text += " " + GAINED_TITLE.rjust(w.gained)
    return ReportLine(((text, "header"),))


def ranked_widths(ranked: Sequence[Ranked]) -> tuple[int, int]:
    """The ranked tables' requests and booked columns, as wide as their widest value."""
    return (
        max([9] + [len(f"{item.requests:,}") for item in ranked]),
        max([8] + [len(f"{item.booked:,}") for item in ranked]),
    )


def ranked_lines(
    title: str, ranked: list[Ranked], width: int, counts: tuple[int, int] = (9, 8)
) -> list[ReportLine]:
    """A best or worst table; `counts`: its requests and booked columns' widths (the same
    for both tables, so they line up)."""
    out = [ReportLine(((title, "heading"),))]
    if not ranked:
        out.append(
            ReportLine(((" " * len(MARKER) + "No campaign has that many requests.", "muted"),))
        )
        return out
    requests, booked = counts
    team_width = 20 if width >= 110 else 14 if width >= 70 else 10
    name_width = max(10, width - len(MARKER) - team_width - requests - booked - 7 - 4)
    out.append(
        ReportLine(
            (
                (
                    " " * len(MARKER)
                    + fit("Campaign", name_width)
                    + " "
                    + fit("Team", team_width)
                    + " "
                    + "Requests".rjust(requests)
                    + " "
                    + "Booked".rjust(booked)
                    + " "
                    + "Rate".rjust(7),
                    "header",
                ),
            )
        )
    )
    for item in ranked:
        band = rate_band(float(item.rate or 0), item.requests)
        out.append(
            ReportLine(
                (
                    (
                        " " * len(MARKER)
                        + fit(safe(item.name), name_width)
                        + " "
                        + fit(safe(item.team), team_width)
                        + " "
                        + f"{item.requests:,}".rjust(requests)
                        + " "
                        + f"{item.booked:,}".rjust(booked)
                        + " ",
                        "",
                    ),
                    (_pct(item.rate).rjust(7), f"rate-{band}"),
                ),
                campaign_id=item.id,
            )
        )
    return out


def report_lines(report: Report, width: int, *, window: str | None) -> list[ReportLine]:
    """The whole report as lines `width` cells wide (server text made safe here); each
    column as wide as its widest value, the team and status tables alike."""
    total = Line(
        "",
        "",
        report.campaigns,
        report.requests,
        report.booked,
        Decimal(100) if report.requests else None,
        report.gained_requests,
        report.gained_booked,
    )
    teams = [*report.teams, total]
    w = widths(
        width,
        window is not None,
        count_widths([*teams, *report.statuses]),
        gained_width(teams),
    )
    blank = ReportLine((("", ""),))
    heading = "By team" + (f" · {window} (requests/booked gained)" if window else "")
    out = [ReportLine(((fit(heading, width), "heading"),)), header_line("Team", w)]
    for line in report.teams:
        out.append(breakdown_line(line, w, label=safe(line.label), team_id=line.key))
    out.append(breakdown_line(total, w, label="All teams", bold=True))
    no_gain = Widths(w.name, w.bar, w.share, 0, w.counts)
    out += [blank, ReportLine((("By status", "heading"),)), header_line("Status", no_gain)]
    for line in report.statuses:
        out.append(breakdown_line(line, no_gain, label=line.label))
    rule = f"at least {report.min_requests:,} requests; + / - to change"
    counts = ranked_widths([*report.best, *report.worst])
    out += [
        blank,
        *ranked_lines(fit(f"Best 5 by booking rate ({rule})", width), report.best, width, counts),
    ]
    out += [
        blank,
        *ranked_lines(fit(f"Worst 5 by booking rate ({rule})", width), report.worst, width, counts),
    ]
    return out


class ReportView(ScrollView, can_focus=True):
    """The report's lines, drawn only where in view, with a cursor on the team lines."""

    COMPONENT_CLASSES = {
        "report-view--heading",
        "report-view--header",
        "report-view--cursor",
        "report-view--total",
        "report-view--muted",
        "report-view--share",
        "report-view--gained",
        "report-view--rate-none",
        "report-view--rate-low",
        "report-view--rate-mid",
        "report-view--rate-high",
    }
    DEFAULT_CSS = """
    ReportView {
        background: $surface;
        overflow-x: hidden;
        & > .report-view--heading { text-style: bold; color: $text-accent; }
        & > .report-view--header { color: $text-muted; text-style: bold; }
        & > .report-view--cursor { background: $surface-lighten-2; text-style: bold; }
        &:focus > .report-view--cursor { background: $block-cursor-background;
                                         color: $block-cursor-foreground; }
        & > .report-view--total { text-style: bold; }
        & > .report-view--muted { color: $text-muted; }
        & > .report-view--share { color: $accent; }
        & > .report-view--gained { color: $text-success; }
        & > .report-view--rate-none { color: $text-muted; }
        & > .report-view--rate-low { color: $error; }
        & > .report-view--rate-mid { color: $warning; }
        & > .report-view--rate-high { color: $success; }
    }
    """
    BINDINGS = [
        Binding(
            "enter",
            "choose",
            "Open",
            id="report.choose",
            tooltip="on a team's row: back to the list, filtered by that team; on a "
            "best or worst campaign: its page",
        ),
        Binding(
            "down,j", "move(1)", "Down", show=False, id="report.down", tooltip="move the cursor"
        ),
        Binding("up,k", "move(-1)", "Up", show=False, id="report.up", tooltip="move the cursor"),
        Binding(
            "pagedown,space",
            "page(1)",
            "Page down",
            show=False,
            id="report.page_down",
            tooltip="a page down or up",
        ),
        Binding(
            "pageup",
            "page(-1)",
            "Page up",
            show=False,
            id="report.page_up",
            tooltip="a page down or up",
        ),
        Binding("home,g", "edge(0)", "Top", show=False, id="report.top", tooltip="top or bottom"),
        Binding(
            "end,G", "edge(1)", "Bottom", show=False, id="report.bottom", tooltip="top or bottom"
        ),
    ]

    class TeamChosen(Message):
        def __init__(self, team_id: str) -> None:
            super().__init__()
            self.team_id = team_id

    class CampaignPicked(Message):
        def __init__(self, campaign_id: str) -> None:
            super().__init__()
            self.campaign_id = campaign_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: Report | None = None
        self.window: str | None = None
        self._laid_out_at = 0
        self.lines: list[ReportLine] = []
        self.teams: list[int] = []
        """Indexes of the team lines."""
        self.choosable: list[int] = []
        """Indexes of the lines the cursor can be on: the teams, then the best and worst."""
        self.cursor = 0
        """Position in `choosable`."""

    def show(self, report: Report, window: str | None) -> None:
        """Show `report` (its Δ counted over `window`, None: no Δ column)."""
        self.report, self.window = report, window
        self._lay_out()

    def _lay_out(self) -> None:
        if self.report is None:
            return
        width = self.scrollable_content_region.width or 80
        self._laid_out_at = width
        lines = report_lines(self.report, width, window=self.window)
        self.lines = lines
        self.teams = [i for i, line in enumerate(lines) if line.team_id is not None]
        self.choosable = [
            i
            for i, line in enumerate(lines)
            if line.team_id is not None or line.campaign_id is not None
        ]
        self.cursor = min(self.cursor, max(0, len(self.choosable) - 1))
        self.virtual_size = Size(self.size.width, len(lines))
        self.refresh()

    @property
    def cursor_line(self) -> int | None:
        return self.choosable[self.cursor] if self.choosable else None

    @property
    def chosen_team(self) -> str | None:
        line = self.cursor_line
        return None if line is None else self.lines[line].team_id

    def _view_height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def action_move(self, delta: int) -> None:
        """Along the teams and the ranked campaigns, scrolled into view; past the first or
        last, scroll instead (to the rest of it)."""
        target = self.cursor + delta
        if self.choosable and 0 <= target < len(self.choosable):
            self.cursor = target
            line = self.choosable[target]
            top, height = round(self.scroll_y), self._view_height()
            if line < top + (1 if delta < 0 else 0) or line >= top + height:
                self.scroll_to(
                    y=max(0, line - (2 if delta < 0 else height - 1)), animate=False, immediate=True
                )
            if delta < 0 and target == 0:
                self.scroll_to(y=0, animate=False, immediate=True)  # show the headings
            self.refresh()
        else:
            self.scroll_to(y=self.scroll_y + delta, animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        self.scroll_to(
            y=self.scroll_y + direction * max(1, self._view_height() - 1),
            animate=False,
            immediate=True,
        )

    def action_edge(self, end: int) -> None:
        self.scroll_to(y=len(self.lines) if end else 0, animate=False, immediate=True)

    def action_choose(self) -> None:
        line = self.cursor_line
        if line is None:
            return
        chosen = self.lines[line]
        if chosen.team_id is not None:
            self.post_message(self.TeamChosen(chosen.team_id))
        elif chosen.campaign_id is not None:
            self.post_message(self.CampaignPicked(chosen.campaign_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = round(self.scroll_y) + offset.y
        if line in self.choosable:
            self.cursor = self.choosable.index(line)
            self.refresh()
            if event.chain >= 2:
                self.action_choose()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._laid_out_at:
            self._lay_out()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = round(self.scroll_y) + y
        if index >= len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[index]
        is_cursor = index == self.cursor_line
        row_style = base
        if is_cursor:
            row_style += self.get_component_rich_style("report-view--cursor")
        segments = []
        for position, (text, kind) in enumerate(line.parts):
            if is_cursor and position == 0 and text.startswith(" " * len(MARKER)):
                text = MARKER + text[len(MARKER) :]
            style = row_style
            if kind:
                extra = self.get_component_rich_style(f"report-view--{kind}")
                # On the cursor line only the colour: its background stays.
                style += Style(color=extra.color) if is_cursor else extra
            segments.append(Segment(text, style))
        return Strip(segments).simplify().crop(0, width).adjust_cell_length(width, row_style)

    def line_text(self, index: int) -> str:
        """A line as plain text (for tests)."""
        return "".join(text for text, _ in self.lines[index].parts)


class ReportScreen(Screen["str | CampaignChosen | None"]):
    """A report of the list's shown campaigns. Dismisses with a team's id or a best or worst
    campaign (enter), or None."""

    CSS_PATH = sheets("report.tcss")

    CLOSES_WITH_Q = True
    """q means back here, not quit (the app checks this)."""
    HELP_TITLE = "The report"
    HELP_ORDER = 30
    HELP_ALSO = (ReportView,)
    BINDINGS = [
        Binding(
            "plus,equals_sign",
            "threshold(1)",
            "More requests",
            id="report.more",
            tooltip="rank best and worst only among campaigns with more requests",
        ),
        Binding(
            "minus",
            "threshold(-1)",
            "Fewer",
            id="report.fewer",
            tooltip="rank best and worst among campaigns with fewer requests too",
        ),
        Binding("escape,q", "back", "Back", id="report.back", tooltip="back to the list"),
    ]

    def __init__(
        self,
        rows: Sequence[Any],
        *,
        scope: str = "",
        baseline: Mapping[str, Any] | None = None,
        window: str | None = None,
        min_requests: int = DEFAULT_MIN_REQUESTS,
        workspace: Workspace | None = None,
    ) -> None:
        """`rows`: the list's shown rows (collection rows); `baseline` and `window`: the Δ's
        (None: no history, no Δ); `workspace`: whose rate-limit waits are said here (the
        list's top bar is hidden under this screen)."""
        super().__init__()
        self.workspace = workspace
        self.rows = rows
        self.scope = scope
        self.baseline = baseline
        self.window = window
        self.min_requests = min_requests
        self.report: Report = build_report(rows, min_requests=min_requests, baseline=baseline)

    def compose(self) -> ComposeResult:
        yield Static(id="report-title")
        yield RateLimitWaitLine(self.workspace, id="report-wait")
        yield ReportView(id="report-body")
        yield Static(RATE_NOTE, id="report-note", markup=False)
        # The key bar comes after the first frame: building its keys costs ~50 ms.

    @property
    def view(self) -> ReportView:
        return self.query_one(ReportView)

    def title_parts(self) -> list[tuple[str, int]]:
        """The top line's parts and how much each is needed (fitting.fit_parts): the window
        goes first (the team table's heading names it), then the requests (the booked and
        the rate say them), the booked, the word "Report"; never a number cut."""
        report = self.report
        rate = "–" if report.rate is None else f"{report.rate}%"
        campaigns = "campaign" if report.campaigns == 1 else "campaigns"
        return [
            ("Report", 6),
            (f"{report.campaigns:,} {campaigns} ({self.scope})", 9),
            (self.window or "", 3),
            (f"{report.requests:,} requests", 4),
            (f"{report.booked:,} booked", 5),
            (rate, 7),
        ]

    def show_title(self) -> None:
        width = self.size.width - 2 if self.size.width else None  # (its padding)
        title = fit_parts(self.title_parts(), width)
        self.query_one("#report-title", Static).update(safe_text(title))

    def on_resize(self) -> None:
        if self.is_mounted:
            self.show_title()

    def on_mount(self) -> None:
        self.show_title()
        self.set_focus(self.view)
        self.draw()
        self.call_after_refresh(self.add_footer)

    async def add_footer(self) -> None:
        await self.mount(KeyBar())

    def draw(self) -> None:
        self.view.show(self.report, self.window)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_threshold(self, step: int) -> None:
        """Rank only campaigns with at least the next (or previous) number of requests."""
        current = self.min_requests
        if step > 0:
            bigger = [n for n in THRESHOLDS if n > current]
            chosen = bigger[0] if bigger else current
        else:
            smaller = [n for n in THRESHOLDS if n < current]
            chosen = smaller[-1] if smaller else current
        if chosen != current:
            self.min_requests = chosen
            self.report = build_report(self.rows, min_requests=chosen, baseline=self.baseline)
            self.draw()

    @on(ReportView.TeamChosen)
    def team_chosen(self, message: ReportView.TeamChosen) -> None:
        self.dismiss(message.team_id)

    @on(ReportView.CampaignPicked)
    def campaign_picked(self, message: ReportView.CampaignPicked) -> None:
        self.dismiss(CampaignChosen(message.campaign_id))

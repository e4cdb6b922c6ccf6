"""A campaign's page: every field, fetched afresh on open, with copy, edit, deactivate, undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from skipup_campaigns.bulk import nothing_to_do
from skipup_campaigns.display.dates import (
    UTC_ZONE,
    DisplayZone,
    campaign_status,
    relative,
    shown_time,
)
from skipup_campaigns.display.rate_bar import format_rate, rate_band, rate_bar
from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.tui import actions, read_only
from skipup_campaigns.tui.own_commands import (
    add_bindings,
    command_bindings,
    configured_commands,
    configured_web_url,
    link_text,
    open_web_page,
    run_numbered,
)
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.key_bar import KeyBar
from skipup_campaigns.tui.widgets.wait_line import RateLimitWaitLine
from skipup_campaigns.workspace.events import (
    UndoLogChanged,
    WorkspaceEvent,
    WritePermissionChanged,
)

if TYPE_CHECKING:
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.history_link import Trend

WRITE_ACTIONS = {"edit", "new", "deactivate", "undo"}


class Clipboard(Protocol):
    """What the page needs of the app to copy text (the app decides how)."""

    clipboard_method: str

    def copy(self, text: str, what: str) -> None: ...


class DetailScreen(Screen[None]):
    CSS_PATH = sheets("detail.tcss")

    CLOSES_WITH_Q = True
    """q goes back to the list (as in tig or mutt) rather than quitting the app."""
    HELP_TITLE = "A campaign's page"
    HELP_ORDER = 10
    WRITE_ACTIONS = WRITE_ACTIONS
    BINDINGS = [
        Binding("e", "edit", "Edit", id="detail.edit", tooltip="edit it"),
        Binding(
            "d",
            "deactivate",
            "Deactivate",
            id="detail.deactivate",
            tooltip="deactivate it (asks first)",
        ),
        Binding(
            "u",
            "undo",
            "Undo edit",
            id="detail.undo",
            tooltip="undo your last edit of it (again: further back)",
        ),
        Binding(
            "c",
            "copy_email",
            "Copy e-mail",
            id="detail.copy_email",
            tooltip="copy its e-mail address (works over SSH and in tmux)",
        ),
        Binding(
            "y",
            "copy_id",
            "Copy id",
            id="detail.copy_id",
            tooltip="copy its id (works over SSH and in tmux)",
        ),
        Binding("n", "new", "New", show=False, id="detail.new", tooltip="new campaign"),
        Binding("r", "reload", "Reload", show=False, id="detail.reload", tooltip="fetch it again"),
        Binding(
            "o",
            "open_web",
            "Web page",
            show=False,
            id="detail.open_web",
            tooltip="open its page in SkipUp's web app (web_url in the config; with no "
            "browser here, its address)",
        ),
        Binding(
            "w",
            "copy_link",
            "Copy link",
            show=False,
            id="detail.copy_link",
            tooltip="copy the address of its page in SkipUp's web app",
        ),
        Binding(
            "escape,q",
            "app.pop_screen",
            "Back",
            id="detail.back",
            tooltip="back to the list, cursor where it was",
        ),
    ]

    def __init__(self, workspace: Workspace, campaign: Campaign) -> None:
        super().__init__()
        self.workspace = workspace
        self.campaign = campaign
        """As last known; replaced by the server's answer to every fetch and write."""
        self.fetched_at: datetime | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def clipboard(self) -> Clipboard:
        return cast(Clipboard, self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-meta")
        # "fetching…" may wait for the rate limit: its countdown, not a hang.
        yield RateLimitWaitLine(self.workspace, id="detail-wait")
        with VerticalScroll(id="detail-fields"):
            for key, label in FIELDS:
                with Horizontal(classes="field", id=f"field-{key}"):
                    yield Static(label, classes="label", markup=False)
                    yield Static(classes="value")
            if configured_web_url(self.app) is not None:
                with Horizontal(classes="field", id="field-web"):
                    yield Static("Web page", classes="label", markup=False)
                    yield Static(classes="value")
            if self.workspace.history is not None:  # (history off: no trend to show)
                yield from self.compose_trend()
        yield KeyBar()

    def compose_trend(self) -> ComposeResult:
        with Vertical(id="detail-trend"):
            with Horizontal(classes="field"):
                yield Static("Trend", classes="label", markup=False)
                yield Static("reading the history…", id="trend-span", classes="value")
            for key, label in (("requests", "Requests/day"), ("booked", "Booked/day")):
                with Horizontal(classes="field trend-line", id=f"trend-{key}"):
                    yield Static(label, classes="label", markup=False)
                    yield Sparkline([], summary_function=max, classes="value")
                    yield Static(classes="trend-peak")
            with Horizontal(classes="field trend-line", id="trend-rate"):
                yield Static("Rate then/now", classes="label", markup=False)
                yield Static(classes="value")

    def on_mount(self) -> None:
        commands = configured_commands(self.app)
        if commands:  # your own commands, on this campaign ({ids}: this one alone)
            add_bindings(self, command_bindings(commands))
        self._unsubscribe = self.workspace.subscribe(self.workspace_changed)
        self.show(self.campaign)
        self.fetch()
        self.read_trend()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def workspace_changed(self, event: WorkspaceEvent) -> None:
        """What the page offers follows the workspace (write permission, the undo log)."""
        if isinstance(event, (WritePermissionChanged, UndoLogChanged)):
            self.refresh_bindings()

    # -- data ----------------------------------------------------------------------------------

    @work(exclusive=True, group="detail-fetch", exit_on_error=False)
    async def fetch(self) -> None:
        """The list may be stale: read the campaign again."""
        from skipup_campaigns.api.errors import SkipUpError

        self.query_one("#detail-meta", Static).update("fetching…")
        try:
            fresh = await self.workspace.fetch(self.campaign.id)
        except SkipUpError as exc:
            actions.report(self, "fetch the campaign", exc)
            self.show(self.campaign, stale=True)
            return
        self.fetched_at = self.workspace.clock()
        self.show(fresh)

    def show(self, campaign: Campaign, *, stale: bool = False) -> None:
        self.campaign = campaign
        now = self.workspace.clock()
        status = campaign_status(
            deactivated_at=campaign.deactivated_at,
            starts_at=campaign.starts_at,
            ends_at=campaign.ends_at,
            now=now,
        )
        self.query_one("#detail-title", Static).update(safe_text(campaign.name))
        if self.fetched_at is None:
            meta = "from the list (not fetched yet)"
        else:
            zone = self.workspace.display_zone
            at = f"{zone.of(self.fetched_at):%H:%M:%S} {zone.label(self.fetched_at)}"
            meta = f"fetched {at}" + (" · could not refresh, may be stale" if stale else "")
        self.query_one("#detail-meta", Static).update(Text(meta))
        theme = self.app.current_theme
        colours = {"low": theme.error, "mid": theme.warning, "high": theme.success}
        for key, value in field_values(campaign, status, now, colours, self.workspace.display_zone):
            self.query_one(f"#field-{key} .value", Static).update(value)
        url = self.web_url()
        if url is not None:
            self.query_one("#field-web .value", Static).update(link_text(url))
        self.refresh_bindings()

    def web_url(self) -> str | None:
        """The campaign's page in SkipUp's web app, when `web_url` is configured."""
        from skipup_campaigns.web_links import campaign_url

        template = configured_web_url(self.app)
        return None if template is None else campaign_url(template, self.campaign)

    # -- the trend (the local history) ----------------------------------------------------------

    @work(exclusive=True, group="detail-trend", exit_on_error=False)
    async def read_trend(self) -> None:
        """Requests and booked per day as recorded locally (read in a thread), as sparklines
        with the dates they span and the booking rate then and now."""
        history = self.workspace.history
        if history is None:
            return
        span = self.query_one("#trend-span", Static)
        try:
            trend = await history.trend(self.campaign.id)
        except Exception as exc:  # noqa: BLE001 - a trend is a nicety: say so, keep the page
            self.show_trend(None)
            span.update(Text(f"Could not read the history ({type(exc).__name__})."))
            return
        self.show_trend(trend)

    def show_trend(self, trend: Trend | None) -> None:
        span = self.query_one("#trend-span", Static)
        have = trend is not None and len(trend.gains) > 0
        for line in self.query(".trend-line"):
            line.display = have
        if trend is None:
            return
        if not have:
            span.update(
                Text(
                    "No history yet: counts are recorded each time the list loads, "
                    "so a trend shows from the second day on."
                    if not trend.daily
                    else f"Recorded since {trend.daily[0].day.isoformat()} only: a trend "
                    "needs two days."
                )
            )
            return
        first, last = trend.daily[0], trend.daily[-1]
        span.update(
            Text(
                f"{first.day.isoformat()} → {last.day.isoformat()} "
                f"({len(trend.daily)} days, per day after the first)"
            )
        )
        for key in ("requests", "booked"):
            values = [getattr(day, key) for day in trend.gains]
            sparkline = self.query_one(f"#trend-{key} Sparkline", Sparkline)
            sparkline.data = values
            sparkline.styles.width = min(len(values), 60)  # a cell a day, up to 60
            self.query_one(f"#trend-{key} .trend-peak", Static).update(
                Text(f" {sum(values):+,} · peak {max(values):,}/day")
            )
        now = self.campaign
        self.query_one("#trend-rate .value", Static).update(
            Text(
                f"{_rate(first.booked, first.requests)} on {first.day.isoformat()} → "
                f"{_rate(now.meetings_booked_count, now.meeting_request_count)} now"
            )
        )

    # -- actions -------------------------------------------------------------------------------

    def key_bar_hidden_actions(self) -> set[str]:
        """Write keys are not offered while writing is off (pressed, they say why)."""
        return set() if self.workspace.writable else WRITE_ACTIONS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "deactivate" and nothing_to_do.deactivation(self.campaign) is not None:
            return False  # nothing to deactivate
        if action == "undo" and self.workspace.last_edit(self.campaign.id) is None:
            return False
        if action == "copy_email" and not self.campaign.email_address:
            return False
        if action == "copy_link" and configured_web_url(self.app) is None:
            return False
        if (
            action in ("copy_email", "copy_id", "copy_link")
            and self.clipboard.clipboard_method == "off"
        ):
            return False
        return True

    def action_reload(self) -> None:
        self.fetch()

    def action_copy_email(self) -> None:
        if self.campaign.email_address:
            self.clipboard.copy(self.campaign.email_address, "the e-mail address")

    def action_copy_id(self) -> None:
        self.clipboard.copy(self.campaign.id, "the id")

    def action_copy_link(self) -> None:
        url = self.web_url()
        if url is not None:
            self.clipboard.copy(url, "the web page's address")

    def action_open_web(self) -> None:
        open_web_page(self, self.campaign)

    def action_custom_command(self, index: int) -> None:
        run_numbered(self, index, self.campaign, [self.campaign.id])

    def action_edit(self) -> None:
        from skipup_campaigns.tui.edit_screen import EditScreen

        if read_only.refuse_write(self, self.workspace):
            return

        def edited(result: Campaign | None) -> None:
            if result is not None:
                self.show(result)

        self.app.push_screen(EditScreen(self.workspace, self.campaign), edited)

    def action_new(self) -> None:
        from skipup_campaigns.tui.edit_screen import EditScreen

        if read_only.refuse_write(self, self.workspace):
            return

        def created(result: Campaign | None) -> None:
            if result is not None:
                self.app.switch_screen(DetailScreen(self.workspace, result))

        self.app.push_screen(EditScreen(self.workspace, None), created)

    @work(exclusive=True, group="detail-write", exit_on_error=False)
    async def action_deactivate(self) -> None:
        if read_only.refuse_write(self, self.workspace):
            return
        done = await actions.deactivate(self, self.workspace, self.campaign)
        if done is not None:
            self.fetched_at = self.workspace.clock()  # the server's answer: as fresh as a fetch
            self.show(done)

    @work(exclusive=True, group="detail-write", exit_on_error=False)
    async def action_undo(self) -> None:
        if read_only.refuse_write(self, self.workspace):
            return
        restored = await actions.undo_last_edit(self, self.workspace, self.campaign.id)
        if restored is not None:
            self.show(restored)


FIELDS = (
    ("status", "Status"),
    ("team", "Team"),
    ("email", "E-mail"),
    ("starts", "Starts"),
    ("ends", "Ends"),
    ("deactivated", "Deactivated"),
    ("requests", "Requests"),
    ("booked", "Booked"),
    ("rate", "Booking rate"),
    ("description", "Description"),
    ("slug", "Slug"),
    ("id", "Id"),
    ("created", "Created"),
    ("updated", "Updated"),
)
RATE_BAR_WIDTH = 30


def _rate(booked: int, requests: int) -> str:
    """A booking rate as the report rounds it (half up), "–" with no requests."""
    from skipup_campaigns.report import percent

    value = percent(booked, requests)
    return "–" if value is None else f"{value}%"


def when(
    moment: datetime | None, now: datetime, past: str, future: str, zone: DisplayZone = UTC_ZONE
) -> Text:
    """`2026-06-01T09:30:00Z  (starts in 5 days)`, or the moment in the display zone."""
    if moment is None:
        return Text("–")
    return Text(f"{shown_time(moment, zone)}  ({relative(moment, now, past=past, future=future)})")


def field_values(
    campaign: Campaign,
    status: str,
    now: datetime,
    band_colours: dict[str, str | None],
    zone: DisplayZone = UTC_ZONE,
) -> list[tuple[str, Text]]:
    """Each field's value as the page shows it (times in `zone`); server text only through
    safe_text."""
    band = rate_band(campaign.booking_rate, campaign.meeting_request_count)
    rate = Text(rate_bar(campaign.booking_rate, RATE_BAR_WIDTH), style=band_colours.get(band) or "")
    rate.append(" " + format_rate(campaign.booking_rate, campaign.meeting_request_count))
    return [
        ("status", Text(status)),
        ("team", safe_text(f"{campaign.team_name}  ({campaign.team_id})")),
        ("email", safe_text(campaign.email_address or "–")),
        ("starts", when(campaign.starts_at, now, "started", "starts", zone)),
        ("ends", when(campaign.ends_at, now, "ended", "ends", zone)),
        ("deactivated", when(campaign.deactivated_at, now, "deactivated", "deactivates", zone)),
        ("requests", Text(f"{campaign.meeting_request_count:,}")),
        ("booked", Text(f"{campaign.meetings_booked_count:,}")),
        ("rate", rate),
        ("description", safe_text(campaign.description or "–", multiline=True)),
        ("slug", safe_text(campaign.slug)),
        ("id", safe_text(campaign.id)),
        ("created", when(campaign.created_at, now, "created", "created", zone)),
        ("updated", when(campaign.updated_at, now, "updated", "updated", zone)),
    ]

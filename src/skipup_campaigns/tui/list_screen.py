"""The campaign list: live filter, active/all toggle, sort, progressive loading and refresh."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from skipup_campaigns.tui.collection import (
    SORT_KEYS,
    SORT_LABELS,
    CampaignCollection,
    SortKey,
    spec_for,
)
from skipup_campaigns.display.dates import clock_time
from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.tui.rate_bar import format_rate
from skipup_campaigns.tui.widgets.campaign_table import CampaignTable

if TYPE_CHECKING:
    from textual.timer import Timer

    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.tui.list_cache import ListCache


class ListScreen(Screen[None]):
    """Every campaign of the workspace, filtered as you type."""

    # Priority bindings are resolved in the App's own queue, in arrival order with the keys
    # around them, so "/naa" or "a/x" typed at once (or arriving in one packet over SSH) acts
    # exactly as typed slowly. While the filter has focus, check_action hands letters to it.
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", priority=True, id="list.filter"),
        Binding("a", "toggle_active", "Active/all", priority=True, id="list.toggle_active"),
        Binding("s", "cycle_sort", "Sort", priority=True, id="list.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, priority=True,
                id="list.reverse_sort"),
        Binding("r", "refresh", "Refresh", priority=True, id="list.refresh"),
        Binding("n", "new_campaign", "New", priority=True, id="list.new"),
        Binding("e", "edit", "Edit", priority=True, id="list.edit"),
        Binding("d", "deactivate", "Deactivate", show=False, priority=True,
                id="list.deactivate"),
        Binding("escape", "clear_filter", "Clear filter", show=False, priority=True,
                id="list.clear_filter"),
        Binding("enter,down", "leave_filter", "To the list", show=False, priority=True,
                id="list.leave_filter"),
    ]
    TYPING_ACTIONS = {"focus_filter", "toggle_active", "cycle_sort", "reverse_sort", "refresh",
                      "new_campaign", "edit", "deactivate"}
    WRITE_ACTIONS = {"new_campaign", "edit", "deactivate"}
    """Actions whose keys are text while the filter has focus."""
    RETRY_DELAYS: tuple[float, ...] = (2.0, 4.0, 8.0, 15.0, 30.0)
    """Seconds before each automatic retry of a load that failed for a passing reason."""

    def __init__(self, *, refresh_seconds: float = 0.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        super().__init__()
        self.clock = clock
        self.collection = CampaignCollection()
        self.active_only = True
        self.sort: SortKey = "created"
        self.reverse = False
        self.refresh_seconds = refresh_seconds
        self.fetching = False
        """A load is running. (Not `loading`: that is Textual's own overlay switch.)"""
        self.loaded_once = False
        self.updated_at: datetime | None = None
        self.load_error: str | None = None
        self.cached_at: datetime | None = None
        """When the rows on screen were saved, while they come from the cache."""
        self.failed_loads = 0
        """Loads failed in a row for a reason that may pass (network, 5xx, 429)."""
        self.retry_timer: Timer | None = None
        self.retry_in = 0.0
        self.has_footer = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="top-bar"):
            yield Static(id="title")
            yield Static(id="load-status")
        yield Input(placeholder="/ filter: words, team:sales, status:ended",
                    id="filter", select_on_focus=False)
        yield CampaignTable(id="campaigns")
        yield Static(id="summary")
        cache = getattr(self.app, "list_cache", None)
        if cache is None or not cache.path.exists():
            self.has_footer = True
            yield Footer()
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
        self.set_focus(self.table)
        self.update_view()
        self.load(from_cache=True)
        self.set_timer(1.0, self.ensure_footer)  # in case the cache turns out unreadable
        if self.refresh_seconds > 0:
            self.set_interval(self.refresh_seconds, self.auto_refresh)

    # -- loading -------------------------------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self, *, from_cache: bool = False) -> None:
        """Fetch every page, showing each as it arrives; a failure keeps what is on screen.
        On start, the last loaded list is shown first (read off the UI thread)."""
        self.fetching = True
        self.load_error = None
        cache = getattr(self.app, "list_cache", None)
        if from_cache and cache is not None and not len(self.collection):
            await self.show_cached(cache)
        # Only now the HTTP stack (httpx, pydantic): the cached rows are already on screen.
        from skipup_campaigns.api.errors import (
            APIConnectionError,
            ConfigurationError,
            InternalServerError,
            RateLimitError,
            SkipUpError,
        )
        from skipup_campaigns.display.messages import describe_error


        try:
            client = await self.app.get_client()  # type: ignore[attr-defined]
        except ConfigurationError as exc:
            self.fetching = False
            self.app.show_setup_problem(str(exc))  # type: ignore[attr-defined]
            return
        seen: set[str] = set()
        transient = False
        self.update_status()
        try:
            async for page in client.iter_campaign_pages():
                # A keyed merge: cached rows update in place, the cursor stays on its campaign.
                first_page = not seen
                self.collection.merge(page.data, self.clock())
                seen.update(c.id for c in page.data)
                self.update_view(loaded=len(seen))
                if first_page:
                    await self.painted()
        except SkipUpError as exc:
            self.load_error = describe_error(exc)
            transient = isinstance(exc, (APIConnectionError, RateLimitError,
                                         InternalServerError))
        except Exception as exc:  # noqa: BLE001 - never let a bug close the app mid-load
            self.load_error = f"unexpected error ({type(exc).__name__})"
        else:
            self.failed_loads = 0
            self.collection.retain(seen)
            self.updated_at = self.clock()
            self.loaded_once = True
            self.cached_at = None
        finally:
            self.fetching = False
        if self.load_error and transient:
            self.schedule_retry()
        self.update_view()
        if cache is not None and self.loaded_once and not self.load_error:
            rows = self.collection.rows()
            await asyncio.to_thread(lambda: cache.save([r.wire() for r in rows],
                                                       self.updated_at))
        if self.load_error and self.failed_loads <= 1:  # one toast per outage, not per retry
            self.notify(f"Could not load campaigns: {self.load_error}. "
                        + ("Retrying by itself; r retries now." if transient
                           else "Press r to retry."), severity="error", markup=False)

    def schedule_retry(self) -> None:
        """Try again after a growing pause, so a server that comes back is picked up without
        a key press, and one that stays away is not hammered."""
        delay = self.RETRY_DELAYS[min(self.failed_loads, len(self.RETRY_DELAYS) - 1)]
        self.failed_loads += 1
        self.retry_in = delay
        self.retry_timer = self.set_timer(delay, self.retry_load)

    def retry_load(self) -> None:
        self.retry_timer = None
        if not self.fetching:
            self.load()

    async def show_cached(self, cache: ListCache) -> None:
        """Draw the last loaded list: the first screenful at once, the rest behind it (all
        read off the UI thread)."""
        from skipup_campaigns.tui.list_cache import FIRST_CHUNK

        reader = await asyncio.to_thread(cache.open)
        if reader is None:
            return
        with reader:
            chunk = await asyncio.to_thread(reader.read, FIRST_CHUNK)
            if not chunk:
                return
            self.cached_at = reader.saved_at
            while chunk:
                self.collection.merge(chunk, self.clock())  # type: ignore[arg-type]
                self.update_view()
                await self.painted()
                chunk = await asyncio.to_thread(reader.read, 5000)

    async def painted(self) -> None:
        """Wait until what was just shown reaches the screen (before more work holds the
        loop: the client's imports, or in-process pages that never wait for I/O)."""
        done = asyncio.Event()
        self.call_after_refresh(done.set)
        await done.wait()
        if not self.has_footer:
            self.call_after_refresh(self.ensure_footer)

    async def ensure_footer(self) -> None:
        """Mount the key bar, once: after the first rows are drawn, or after a short wait."""
        if not self.has_footer:
            self.has_footer = True
            await self.mount(Footer())
            self.refresh_bindings()  # a Footer fills itself in when the bindings next change

    def auto_refresh(self) -> None:
        if not self.fetching and self.retry_timer is None:  # never stack requests
            self.load()

    # -- view ----------------------------------------------------------------------------------

    def update_view(self, loaded: int | None = None, *, cursor_on: str | None = None) -> None:
        """Recompute the shown rows from the collection and the controls; the cursor stays on
        its campaign (or moves to `cursor_on`)."""
        spec = spec_for(self.filter_input.value, active_only=self.active_only, sort=self.sort,
                        reverse=self.reverse)
        rows = self.collection.view(spec)
        table = self.table
        table.sort_key, table.sort_reverse = self.sort, self.reverse
        if rows:
            table.empty_message = ""
        elif not spec.query.is_empty:
            table.empty_message = (f"Nothing matches '{self.filter_input.value}': "
                                   "esc clears the filter")
        elif self.fetching or (not self.loaded_once and not self.load_error):
            table.empty_message = "Loading campaigns…"
        elif len(self.collection) and self.active_only:
            table.empty_message = "No active campaigns: press a to show all"
        elif self.load_error:
            table.empty_message = "Nothing loaded yet: press r to retry"
        else:
            table.empty_message = "No campaigns yet: press n to create one"
        table.show(rows, cursor_on=self.collection.get(cursor_on) if cursor_on else None)
        total = len(self.collection)
        scope = "active only" if self.active_only else "all"
        sort = SORT_LABELS[self.sort] + (" ↑" if self.reverse else "")
        self.query_one("#title", Static).update(
            safe_text(f"{self.app.sub_title or 'SkipUp'} · {len(rows):,} of {total:,} campaigns · "
                      f"{scope} · by {sort}"))
        totals = self.collection.totals(rows)
        self.query_one("#summary", Static).update(safe_text(
            f"Shown: {totals.campaigns:,} campaigns · {totals.requests:,} requests · "
            f"{totals.booked:,} booked · {format_rate(totals.rate, totals.requests).strip()} booking rate"))
        self.update_status(loaded)

    def update_status(self, loaded: int | None = None) -> None:
        if self.fetching and self.cached_at:
            text = f"cached {clock_time(self.cached_at)}, refreshing…"
            if loaded:
                text += f" {loaded:,} loaded"
        elif self.fetching:
            text = f"{loaded:,} loaded…" if loaded else "loading…"
        elif self.load_error and self.cached_at and not self.updated_at:
            text = f"stale since {clock_time(self.cached_at)} (cached): {self.load_error}"
        elif self.load_error and self.updated_at:
            text = f"stale since {clock_time(self.updated_at)}: {self.load_error}"
        elif self.load_error:
            text = f"not loaded: {self.load_error}"
        elif self.updated_at:
            text = f"updated {clock_time(self.updated_at)}"
        else:
            text = ""
        if self.load_error and self.retry_timer is not None:
            text += f" · retrying in {self.retry_in:g}s"
        status = self.query_one("#load-status", Static)
        status.set_class(bool(self.load_error), "-error")
        status.update(safe_text(text))

    # -- actions -------------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.set_focus(self.filter_input)

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
        self.sort = SORT_KEYS[(SORT_KEYS.index(self.sort) + 1) % len(SORT_KEYS)]
        self.reverse = False
        self.update_view()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self.update_view()

    def action_refresh(self) -> None:
        if self.retry_timer is not None:
            self.retry_timer.stop()
            self.retry_timer = None
        if not self.fetching:
            self.load()

    def action_new_campaign(self) -> None:
        from skipup_campaigns.tui.detail_screen import DetailScreen
        from skipup_campaigns.tui.edit_screen import EditScreen

        def created(campaign: Campaign | None) -> None:
            if campaign is not None:
                self.app.push_screen(DetailScreen(campaign))

        self.app.push_screen(EditScreen(None), created)

    def action_edit(self) -> None:
        from skipup_campaigns.tui.edit_screen import EditScreen

        row = self.table.cursor_row
        if row is not None:
            self.app.push_screen(EditScreen(row.campaign))

    @work(exclusive=True, group="list-write", exit_on_error=False)
    async def action_deactivate(self) -> None:
        from skipup_campaigns.tui import actions

        row = self.table.cursor_row
        if row is None:
            return
        if not row.active:
            self.notify("That campaign is already inactive.", markup=False)
            return
        await actions.deactivate(self.app, row.campaign)  # type: ignore[arg-type]

    def campaign_changed(self, campaign: Campaign, *, select: bool = False) -> None:
        """Show the server's answer for one campaign (after a write or a fresh read)."""
        self.collection.merge([campaign], self.clock())
        if select:
            self.select_campaign(campaign.id)
        else:
            self.update_view()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and not getattr(self.app, "writable", True):
            return False
        if action in ("edit", "deactivate") and self.table.cursor_row is None:
            return False
        in_filter = self.focused is self.filter_input
        if action in self.TYPING_ACTIONS and in_filter:
            return False  # typed into the filter, it is part of the filter
        if action == "leave_filter" and not in_filter:
            return False  # enter and down belong to the table there
        if action == "clear_filter" and not in_filter and not self.filter_input.value:
            return False  # nothing to clear: let esc mean what it means elsewhere
        return True

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
            self.app.push_screen(DetailScreen(row.campaign))

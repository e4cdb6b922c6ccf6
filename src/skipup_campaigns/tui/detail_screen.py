"""A campaign's fields, read-only. (Editing, deactivation and a fresh fetch come with the edit
screens; until then this shows what the list loaded.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from skipup_campaigns.api.models import Campaign
from skipup_campaigns.tui.rate_bar import format_rate, rate_bar
from skipup_campaigns.tui.safe_text import safe_text


class DetailScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="detail.back")]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign

    def compose(self) -> ComposeResult:
        c = self.campaign
        yield Static(safe_text(c.name), id="detail-title")
        with VerticalScroll(id="detail-fields"):
            for label, value in (
                ("Slug", c.slug), ("Team", c.team_name), ("E-mail", c.email_address or "–"),
                ("Active", "yes" if c.active else "no"),
                ("Starts", str(c.starts_at or "–")), ("Ends", str(c.ends_at or "–")),
                ("Deactivated", str(c.deactivated_at or "–")),
                ("Requests", f"{c.meeting_request_count:,}"),
                ("Booked", f"{c.meetings_booked_count:,}"),
                ("Booking rate", f"{rate_bar(c.booking_rate, 30)} {format_rate(c.booking_rate)}"),
                ("Created", str(c.created_at)), ("Updated", str(c.updated_at)),
                ("Id", c.id), ("Description", c.description or "–"),
            ):
                yield Static(safe_text(f"{label:<13}") + safe_text(value, multiline=True),
                             classes="field")
        yield Footer()

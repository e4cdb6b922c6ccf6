"""The screens of acting on many campaigns at once: the bulk edit form, the preview of what
would be sent, the progress of a run, its results, and the export dialog.

Each is a typed modal (the flows in `bulk_flow` await them); server text reaches the screen
through the safe-text helper only. Focus starts on the choice that sends nothing.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from skipup_campaigns.bulk.form import (
    MODES,
    BulkChoices,
    Mode,
    check_bulk,
    describe_change,
)
from skipup_campaigns.display.campaign_form import normalised_hint
from skipup_campaigns.display.dates import (
    UTC_ZONE,
    DisplayZone,
    date_example,
    minute_time,
    zone_name,
)
from skipup_campaigns.display.export import FORMATS, Format, format_for
from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.display.waits import rate_limited_seconds
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.team_picker import TeamPicker
from skipup_campaigns.tui.widgets.wait_line import RateLimitWaitLine
from skipup_campaigns.workspace.teams import FROM_CAMPAIGNS_NOTE

if TYPE_CHECKING:
    from skipup_campaigns.bulk.engine import BulkReport, Change, PreviewItem, Progress
    from skipup_campaigns.display.export import Format  # noqa: F401 - in a base class string
    from skipup_campaigns.workspace import Workspace

MAX_ESTIMATE = 2 * 24 * 3600
"""Seconds left past which the progress shows no time (a far-off rate-limit reset)."""
PREVIEW_LIMIT = 300
"""Campaigns the preview lists one by one; past that it says how many more (the same change)."""
FIELD_NAMES = {
    "starts_at": "Start",
    "ends_at": "End",
    "team_id": "Team",
    "description": "Description",
    "active": "Status",
}


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class Choice(RadioButton):
    """A radio button whose dot is there only when it is chosen: the choice reads without
    colour too (NO_COLOR, ANSI themes), where the stock button's dot differs by colour only."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return "●" if self.value else " "


class FieldsScroll(VerticalScroll, can_focus=False):
    """The form's fields, scrolled as focus moves through them: not a tab stop itself."""


def bulk_edit_title(count: int) -> str:
    """ "Edit the 3 marked campaigns", "Edit the marked campaign"."""
    return "Edit the marked campaign" if count == 1 else f"Edit the {count:,} marked campaigns"


class BulkEditScreen(ModalScreen["Change | None"]):
    """The same change for every marked campaign: each field unchanged (not sent), set, or
    cleared. Dismisses with the engine's `BulkEdit`, or None."""

    CSS_PATH = sheets("bulk.tcss")

    HELP_TITLE = "Bulk edit of the marked campaigns"
    HELP_ORDER = 40
    BINDINGS = [
        Binding(
            "ctrl+s",
            "submit",
            "Preview",
            id="bulk_edit.preview",
            tooltip="see what would be sent, before anything is",
        ),
        Binding("escape", "cancel", "Cancel", id="bulk_edit.cancel", tooltip="cancel"),
    ]

    def __init__(self, workspace: Workspace, count: int) -> None:
        super().__init__()
        self.workspace = workspace
        self.count = count
        self.teams_loaded = False
        self.zone = workspace.display_zone
        """The zone the date fields read times in."""

    def compose(self) -> ComposeResult:
        now = self.workspace.clock()
        with Vertical(id="bulk-edit-box"):
            yield Static(bulk_edit_title(self.count), id="bulk-edit-title", markup=False)
            yield Static(
                "Fields left unchanged are not sent. A preview comes next.",
                classes="bulk-hint",
                markup=False,
            )
            with FieldsScroll(id="bulk-edit-fields"):
                for key, label, modes, example in (
                    ("starts", "Start", MODES, date_example(now, zone=self.zone)),
                    ("ends", "End", MODES, date_example(now, True, self.zone)),
                    ("team", "Team", ("unchanged", "move to"), None),
                    ("description", "Description", MODES, None),
                ):
                    with Horizontal(classes="bulk-row"):
                        yield Static(label, classes="bulk-label", markup=False)
                        yield RadioSet(
                            *(Choice(mode, value=i == 0) for i, mode in enumerate(modes)),
                            id=f"{key}-mode",
                            compact=True,
                        )
                    with Horizontal(classes="bulk-row bulk-value", id=f"{key}-value"):
                        yield Static("", classes="bulk-label")
                        if key == "team":
                            yield TeamPicker([], id="team", prompt="Loading teams…", compact=True)
                        elif example is not None:
                            yield Input(
                                id=key,
                                compact=True,
                                select_on_focus=False,
                                placeholder=f"{example} ({zone_name(self.zone, now)})",
                            )
                            yield Static("", classes="date-hint", id=f"{key}-hint")
                        else:
                            yield Input(
                                id=key,
                                compact=True,
                                select_on_focus=False,
                                placeholder="the new description",
                            )
                    if key == "team":  # where the teams came from, when not the API
                        yield Static("", classes="bulk-hint", id="team-note", markup=False)
                    yield Static("", classes="form-error", id=f"{key}-error")
            # Loading the teams may wait for the rate limit: its countdown, not a hang.
            yield RateLimitWaitLine(self.workspace, id="bulk-edit-wait")
            with Horizontal(classes="bulk-buttons"):
                yield Static("", id="bulk-edit-status")
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Preview (ctrl+s)", id="preview", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#starts-mode", RadioSet).focus()
        self.query_one("#team-note", Static).display = False
        self.load_teams()

    @work(exclusive=True, group="bulk-teams", exit_on_error=False)
    async def load_teams(self) -> None:
        """Active teams for the picker, as the single form has them: without teams.read (or
        without a teams endpoint) the teams the campaigns name, saying so; a plain team id
        field only when there are none to offer, and a failure of any other kind said."""
        from skipup_campaigns.api.errors import SkipUpError
        from skipup_campaigns.tui import actions
        from skipup_campaigns.tui.edit_screen import team_options
        from skipup_campaigns.workspace.teams import cannot_list_teams

        try:
            teams = self.workspace.teams or await self.workspace.load_teams()
        except SkipUpError as exc:
            if not cannot_list_teams(exc):  # 403/404 with no campaign loaded: nothing to say
                actions.report(self, "load the teams", exc)
            await self.query_one("#team", Select).remove()
            await self.query_one("#team-value", Horizontal).mount(
                Input(
                    id="team-id",
                    compact=True,
                    select_on_focus=False,
                    placeholder="team id, e.g. tm_01HQ…",
                )
            )
            self.teams_loaded = True
            return
        picker = self.query_one("#team", Select)
        picker.set_options(team_options(teams, None))
        picker.prompt = "Choose a team"
        note = self.query_one("#team-note", Static)
        note.update(FROM_CAMPAIGNS_NOTE if self.workspace.teams_from_campaigns else "")
        note.display = self.workspace.teams_from_campaigns
        self.teams_loaded = True

    # -- reading -----------------------------------------------------------------------------

    def mode(self, key: str) -> Mode:
        """The field's choice: unchanged, set (the team's "move to"), or clear."""
        index = self.query_one(f"#{key}-mode", RadioSet).pressed_index
        return MODES[max(0, index)]

    def choices(self) -> BulkChoices:
        team_id = ""
        for picker in self.query("#team").results(Select):
            team_id = "" if picker.value is Select.NULL else str(picker.value)
        for box in self.query("#team-id").results(Input):
            team_id = box.value
        return BulkChoices(
            starts=self.mode("starts"),
            starts_text=self.query_one("#starts", Input).value,
            ends=self.mode("ends"),
            ends_text=self.query_one("#ends", Input).value,
            team="set" if self.mode("team") != "unchanged" else "unchanged",
            team_id=team_id,
            team_name=self.team_name(team_id),
            description=self.mode("description"),
            description_text=self.query_one("#description", Input).value,
        )

    def team_name(self, team_id: str) -> str | None:
        return next((team.name for team in self.workspace.teams or () if team.id == team_id), None)

    def set_mode(self, key: str, index: int) -> None:
        buttons = list(self.query_one(f"#{key}-mode", RadioSet).query(RadioButton))
        if not buttons[index].value:
            buttons[index].value = True

    @on(RadioSet.Changed)
    def mode_chosen(self) -> None:
        """A field's choice changed: a refusal of the last try ("every field is unchanged")
        no longer holds; the next Preview checks again."""
        status = self.query_one("#bulk-edit-status", Static)
        if status.has_class("-error"):
            status.update("")
            status.remove_class("-error")

    @on(Input.Changed, "#starts, #ends, #description")
    def typed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        if event.value.strip():
            self.set_mode(key, 1)  # typing a value means "set it"
        if key in ("starts", "ends"):
            self.query_one(f"#{key}-hint", Static).update(
                normalised_hint(event.value, end_of_day=key == "ends", zone=self.zone)
            )

    @on(Select.Changed, "#team")
    def team_chosen(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.set_mode("team", 1)

    @on(Input.Changed, "#team-id")
    def team_typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.set_mode("team", 1)

    # -- submitting --------------------------------------------------------------------------

    def action_submit(self) -> None:
        from skipup_campaigns.bulk.form import bulk_edit_of

        choices = self.choices()
        checked = check_bulk(choices, self.zone)
        for key, api in (
            ("starts", "starts_at"),
            ("ends", "ends_at"),
            ("team", "team_id"),
            ("description", "description"),
        ):
            message = checked.errors.get(api, "")
            widget = self.query_one(f"#{key}-error", Static)
            widget.update(safe_text(message))
            widget.set_class(bool(message), "-shown")
        status = self.query_one("#bulk-edit-status", Static)
        if not checked.ok:
            status.update(
                safe_text(checked.errors.get("", "Fix the fields marked above; nothing was sent."))
            )
            status.add_class("-error")
            return
        self.dismiss(bulk_edit_of(checked, choices.team_name))

    def action_cancel(self) -> None:
        if any(select.expanded for select in self.query(Select)):
            return
        self.dismiss(None)

    @on(Button.Pressed, "#preview")
    def preview_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


def preview_text(
    items: Sequence[PreviewItem], limit: int = PREVIEW_LIMIT, zone: DisplayZone = UTC_ZONE
) -> Text:
    """Each campaign's name, then each changed field's before → after (server text made
    safe here; dates in `zone`); past `limit` campaigns, how many more. One line each, cut
    with … (a name can be 10,000 characters long)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for item in items[:limit]:
        start = len(text)
        text.append_text(safe_text(item.campaign.name))
        text.stylize("bold", start, len(text))
        if item.nothing_to_do:
            text.append(f"\n    {item.nothing_to_do}: nothing is sent")
        for change in item.changes:
            text.append(f"\n    {FIELD_NAMES.get(change.name, change.name)}: ")
            text.append_text(
                safe_text(
                    minute_time(change.before, zone)
                    if isinstance(change.before, datetime)
                    else change.before_text
                )
            )
            text.append(" → ")
            text.append_text(
                safe_text(
                    minute_time(change.after, zone)
                    if isinstance(change.after, datetime)
                    else change.after_text
                )
            )
        text.append("\n")
    if len(items) > limit:
        text.append(f"… and {len(items) - limit:,} more, the same change for each", style="italic")
    text.rstrip()
    return text


class BulkPreviewScreen(ModalScreen["str | None"]):
    """What a bulk action would send, before anything is: "apply", "anyway" (write even over
    campaigns changed on the server since they were loaded) or None (the default)."""

    CSS_PATH = sheets("bulk.tcss")

    HELP_TITLE = "Bulk preview"
    HELP_ORDER = 41
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="bulk_preview.cancel",
            tooltip="cancel: nothing is sent (the buttons apply)",
        ),
        Binding(
            "pageup",
            "scroll(-1)",
            "Page up",
            show=False,
            id="bulk_preview.page_up",
            tooltip="a page up or down through the campaigns",
        ),
        Binding(
            "pagedown",
            "scroll(1)",
            "Page down",
            show=False,
            id="bulk_preview.page_down",
            tooltip="a page up or down through the campaigns",
        ),
    ]

    def __init__(
        self,
        items: Sequence[PreviewItem],
        change: Change,
        *,
        undo: bool = False,
        hidden: int = 0,
        zone: DisplayZone = UTC_ZONE,
    ) -> None:
        super().__init__()
        self.zone = zone
        """The zone the preview's dates are shown in."""
        self.items = items
        self.change = change
        self.undo = undo
        self.hidden = hidden
        """How many of the campaigns (listed first) the list does not show now."""

    def compose(self) -> ComposeResult:
        from skipup_campaigns.bulk.engine import Deactivation

        deactivating = isinstance(self.change, Deactivation)
        to_change = sum(1 for item in self.items if item.changes)
        count = plural(len(self.items), "campaign")
        if self.undo:
            title = f"Undo the last bulk edit of {count}?"
        elif deactivating:
            title = f"Deactivate {count}?"
        else:
            title = f"{describe_change(self.change).capitalize()} of {count}?"
        with Vertical(id="bulk-preview-box"):
            yield Static(title, id="bulk-preview-title", markup=False)
            lines = [
                f"{to_change:,} to change"
                + (
                    f", {len(self.items) - to_change:,} already as asked"
                    if to_change < len(self.items)
                    else ""
                )
                + "."
            ]
            if self.hidden:
                lines.append(
                    f"{self.hidden:,} of them "
                    f"{'is' if self.hidden == 1 else 'are'} marked but hidden by the "
                    "filter or the active-only view: listed first."
                )
            if deactivating:
                lines.append("There is no way back: SkipUp cannot reactivate a campaign.")
            lines.append(
                "Each is read again first: one changed on the server since it was "
                "loaded is skipped, not overwritten (unless: apply anyway)."
            )
            yield Static("\n".join(lines), id="bulk-preview-explanation", markup=False)
            with VerticalScroll(id="bulk-preview-items"):
                yield Static(preview_text(self.items, zone=self.zone), id="bulk-preview-text")
            with Horizontal(classes="bulk-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                label = ("Deactivate " if deactivating else "Apply to ") + f"{to_change:,}"
                yield Button(
                    label, id="apply", compact=True, variant="error" if deactivating else "primary"
                )
                yield Button("Apply anyway", id="anyway", compact=True, variant="warning")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_scroll(self, direction: int) -> None:
        items = self.query_one("#bulk-preview-items", VerticalScroll)
        if direction > 0:
            items.scroll_page_down(animate=False)
        else:
            items.scroll_page_up(animate=False)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def apply_pressed(self) -> None:
        self.dismiss("apply")

    @on(Button.Pressed, "#anyway")
    def anyway_pressed(self) -> None:
        self.dismiss("anyway")


def estimate_text(progress: Progress) -> str:
    """ "17 of 40 · about 30 s left". The estimate comes from the server's rate-limit headers
    too, so it may be endless or absurd: past two days it is not a time worth showing."""
    try:
        left = float(progress.seconds_left)
    except OverflowError:
        left = math.inf
    if progress.done >= progress.total:
        when = "finishing"
    elif not left < MAX_ESTIMATE:  # also NaN
        when = "waiting for the rate limit"
    elif left < 1:
        when = "almost done"
    elif left < 90:
        when = f"about {round(left)} s left"
    elif left < 3 * 3600:
        when = f"about {round(left / 60)} min left"
    else:
        when = f"about {round(left / 3600)} h left"
    return f"{progress.done:,} of {progress.total:,} · {when}"


class BulkProgressScreen(ModalScreen[None]):
    """A bulk action running: a bar, "17 of 40" and an estimate; esc stops it at once (nothing
    more is sent; only the requests on the wire are awaited). Each second the estimate counts
    down and, while a request waits for the rate limit, a line says so with its countdown (a
    wait must not look like a hang). The flow calls `finish()` when the action ends; `closed`
    is set once the screen is gone."""

    CSS_PATH = sheets("bulk.tcss")

    HELP_TITLE = "A bulk action running"
    HELP_ORDER = 42
    BINDINGS = [
        Binding(
            "escape",
            "stop",
            "Stop",
            id="bulk_progress.stop",
            tooltip="stop: the requests not yet sent are not sent",
        )
    ]

    def __init__(
        self, title: str, total: int, stop: Any, workspace: Workspace | None = None
    ) -> None:
        super().__init__()
        self.title_text = title
        self.total = total
        self.stop = stop
        """Called once when the user asks to stop."""
        self.workspace = workspace
        """Where the rate-limit wait and the clock come from (None: no countdown)."""
        self.stopping = False
        self.finished = False
        self.closed = asyncio.Event()
        self.progress: Progress | None = None
        self._progress_at: datetime | None = None

    def finish(self) -> bool:
        """The action ended: close now if on top (True); under a dialog opened meanwhile
        (quit's question, help, the palette), close when that dialog does (dismiss would pop
        that dialog instead), and say False: `closed` tells when."""
        self.finished = True
        if not self.is_attached:
            self.closed.set()
        elif self.app.screen is self:
            self.dismiss()
        else:
            return False
        return True

    def on_screen_resume(self) -> None:
        if self.finished:
            self.dismiss()

    def on_unmount(self) -> None:
        self.closed.set()

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk-progress-box"):
            yield Static(self.title_text, id="bulk-progress-title", markup=False)
            yield ProgressBar(total=self.total, show_eta=False, id="bulk-progress-bar")
            yield Static(f"0 of {self.total:,}", id="bulk-progress-count", markup=False)
            yield RateLimitWaitLine(self.workspace, id="bulk-progress-wait")
            yield Static(
                "esc stops now (only requests on the wire are awaited)",
                id="bulk-progress-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.set_interval(1.0, self.redraw)
        self.redraw()

    def show(self, progress: Progress) -> None:
        self.progress = progress
        self._progress_at = self.workspace.clock() if self.workspace is not None else None
        if not self.is_mounted:
            return
        self.query_one(ProgressBar).update(progress=progress.done)
        self.redraw()

    def redraw(self) -> None:
        """The count with the estimate counted down since it was made (the wait for the rate
        limit has its own line)."""
        from skipup_campaigns.bulk.engine import Progress

        workspace, progress = self.workspace, self.progress
        now = workspace.clock() if workspace is not None else None
        floor = self.rate_limited_floor(progress.done if progress is not None else 0)
        if progress is None:
            if floor <= 0:
                return  # nothing known yet: "0 of 16" stands
            progress = Progress(0, self.total, floor)  # from the first campaign on
        elif now is not None and self._progress_at is not None:
            passed = (now - self._progress_at).total_seconds()
            progress = replace(progress, seconds_left=max(progress.seconds_left - passed, floor))
        self.query_one("#bulk-progress-count", Static).update(estimate_text(progress))

    def rate_limited_floor(self, done: int) -> float:
        """The least the campaigns left can take under the rate limit: the wait in progress,
        then their requests past the window's room at the stated rate (never sooner)."""
        from skipup_campaigns.bulk.engine import REQUESTS_PER_CAMPAIGN

        workspace = self.workspace
        if workspace is None:
            return 0.0
        now, waiting, status = workspace.clock(), workspace.rate_wait, workspace.rate_limit
        per_minute = (waiting.per_minute if waiting is not None else None) or (
            status.limit if status is not None else None
        )
        # While a request waits, the window has no room; else what the server last said.
        room = status.remaining if status is not None and waiting is None else 0
        return rate_limited_seconds(
            REQUESTS_PER_CAMPAIGN * max(self.total - done, 0),
            per_minute,
            room=room,
            waiting=float(waiting.seconds_left(now)) if waiting is not None else 0.0,
        )

    def action_stop(self) -> None:
        if not self.stopping:
            self.stopping = True
            self.stop()
            self.query_one("#bulk-progress-hint", Static).update(
                "Stopping: nothing more is sent; awaiting the requests on the wire…"
            )


class BulkResultsScreen(ModalScreen[None]):
    """The campaigns a bulk action did not do, each with why (they stay marked)."""

    CSS_PATH = sheets("bulk.tcss")

    HELP_TITLE = "Bulk results"
    HELP_ORDER = 43
    BINDINGS = [
        Binding(
            "escape,enter",
            "close",
            "Close",
            id="bulk_results.close",
            tooltip="close (the campaigns not done stay marked)",
        )
    ]

    def __init__(self, report: BulkReport, *, undo: bool = False) -> None:
        super().__init__()
        self.report = report
        self.undo = undo
        """The action was an undo: `u` on the list puts back the rest."""

    def compose(self) -> ComposeResult:
        from skipup_campaigns.bulk.engine import Outcome

        text = Text(no_wrap=True, overflow="ellipsis")  # a line per campaign
        for outcome in (Outcome.UNKNOWN, Outcome.FAILED, Outcome.SKIPPED, Outcome.NOT_STARTED):
            results = [r for r in self.report.results if r.outcome is outcome]
            if not results:
                continue
            text.append(f"{outcome.value.capitalize()} ({len(results):,})\n", style="bold")
            for result in results[:PREVIEW_LIMIT]:
                text.append("  ")
                text.append_text(safe_text(result.target.campaign.name))
                if result.reason:
                    text.append(": ")
                    text.append_text(safe_text(result.reason))
                text.append("\n")
            if len(results) > PREVIEW_LIMIT:
                text.append(f"  … and {len(results) - PREVIEW_LIMIT:,} more\n")
        with Vertical(id="bulk-results-box"):
            yield Static(self.report.summary(), id="bulk-results-title", markup=False)
            yield Static(
                "Not all put back: u on the list puts back the rest (each checked first)."
                if self.undo
                else "Those not done stay marked: e or d acts on them again.",
                classes="bulk-hint",
                markup=False,
            )
            with VerticalScroll(id="bulk-results-items"):
                yield Static(text, id="bulk-results-text")
            with Horizontal(classes="bulk-buttons"):
                yield Button("Close", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#close")
    def close_pressed(self) -> None:
        self.dismiss(None)


def default_export_name(fmt: Format) -> str:
    """The file an export writes when no name is typed."""
    return f"campaigns.{fmt}"


class ExportScreen(ModalScreen["tuple[str, Format] | None"]):
    """A file name and a format (from the name's extension, or chosen). An empty name is the
    default the placeholder shows (`campaigns.csv`, or `.json` with JSON chosen)."""

    CSS_PATH = sheets("bulk.tcss")

    HELP_TITLE = "Export"
    HELP_ORDER = 44
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel", tooltip="cancel")]

    def __init__(self, what: str, name: str = "") -> None:
        super().__init__()
        self.what = what
        """"5 marked campaigns", "the 37 shown campaigns"."""
        self.name_given = name
        """The name typed before (back from "Replace the file?"), to change or keep."""

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(f"Export {self.what}", id="export-title", markup=False)
            yield Static(
                "The fields and formats of list --csv / --json. A file that exists "
                "is not replaced without asking.",
                classes="bulk-hint",
                markup=False,
            )
            with Horizontal(classes="bulk-row"):
                yield Static("File", classes="bulk-label", markup=False)
                yield Input(
                    self.name_given,
                    id="export-file",
                    compact=True,
                    placeholder=default_export_name(FORMATS[0]),
                    select_on_focus=False,
                )
            with Horizontal(classes="bulk-row"):
                yield Static("Format", classes="bulk-label", markup=False)
                yield RadioSet(
                    *(Choice(fmt.upper(), value=i == 0) for i, fmt in enumerate(FORMATS)),
                    id="export-format",
                    compact=True,
                )
            yield Static("", classes="form-error", id="export-error")
            with Horizontal(classes="bulk-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", id="export", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-file", Input).focus()

    @on(Input.Changed, "#export-file")
    def named(self, event: Input.Changed) -> None:
        fmt = format_for(event.value)
        if fmt is not None:
            button = list(self.query_one("#export-format", RadioSet).query(RadioButton))[
                FORMATS.index(fmt)
            ]
            if not button.value:
                button.value = True

    @on(RadioSet.Changed, "#export-format")
    def format_chosen(self, event: RadioSet.Changed) -> None:
        self.query_one("#export-file", Input).placeholder = default_export_name(
            FORMATS[max(0, event.index)]
        )

    @on(Input.Submitted, "#export-file")
    @on(Button.Pressed, "#export")
    def submit(self) -> None:
        index = max(0, self.query_one("#export-format", RadioSet).pressed_index)
        name = self.query_one("#export-file", Input).value.strip()
        self.dismiss((name or default_export_name(FORMATS[index]), FORMATS[index]))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.dismiss(None)


SCREENS = (BulkEditScreen, BulkPreviewScreen, BulkProgressScreen, BulkResultsScreen, ExportScreen)
"""Their bindings belong in the keymap's ids."""

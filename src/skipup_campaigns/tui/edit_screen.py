"""One form to create a campaign or edit one. Nothing typed is ever lost: every failure leaves
the form exactly as typed and says what happened; esc asks before throwing changes away.

Dismisses with the server's answer (the created or updated campaign), or None if cancelled.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static, TextArea

from skipup_campaigns.display.campaign_form import (
    FIELD_LABELS,
    FormText,
    changed_fields,
    check,
    differences,
    is_dirty,
    merged,
    normalised_hint,
    show_value,
    touched,
)
from skipup_campaigns.display.dates import date_example, zone_name
from skipup_campaigns.display.safe_text import safe, safe_text
from skipup_campaigns.tui import actions
from skipup_campaigns.tui.dialogs import ConfirmDialog, ConflictChoice, ConflictDialog
from skipup_campaigns.tui.stylesheets import sheets
from skipup_campaigns.tui.widgets.key_bar import KeyBar
from skipup_campaigns.tui.widgets.team_picker import TeamPicker
from skipup_campaigns.tui.widgets.wait_line import RateLimitWaitLine
from skipup_campaigns.workspace.teams import FROM_CAMPAIGNS_NOTE
from skipup_campaigns.workspace.workspace import Conflict

if TYPE_CHECKING:
    from skipup_campaigns.api.errors import SkipUpError
    from skipup_campaigns.api.models import Campaign, Team
    from skipup_campaigns.workspace import Workspace

ERROR_FIELDS = ("name", "description", "team_id", "starts_at", "ends_at")


class EditScreen(Screen["Campaign | None"]):
    """Edit `campaign`, or create one when it is None."""

    CSS_PATH = sheets("edit.tcss")

    # Not priority bindings: those act the moment they arrive, while the keys typed before
    # them (fast, or in one packet over SSH) may still be on their way through the field, so
    # a save would miss them and a cancel think nothing had changed. As ordinary bindings they
    # take their turn behind those keys.
    HELP_TITLE = "The form"
    HELP_ORDER = 20
    WRITE_ACTIONS = ("save",)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="save (the Save button too)"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="cancel (asks first if anything changed)",
        ),
        # Textual's own keys, named here so the help and the key bar know them.
        Binding(
            "tab",
            "app.focus_next",
            "Next field",
            show=False,
            id="form.next_field",
            tooltip="next / previous field",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            show=False,
            id="form.previous_field",
            tooltip="next / previous field",
        ),
    ]

    def __init__(self, workspace: Workspace, campaign: Campaign | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.original = campaign
        """The campaign as it was when the form opened (None: creating)."""
        self.base = campaign
        """What the edit is compared with; moves forward when the user accepts a conflict."""
        self.zone = workspace.display_zone
        """The zone the date fields show and read times in."""
        self.start_text = FormText.of(campaign, self.zone) if campaign else FormText()
        self.saving = False
        self.teams_loaded = False
        """The picker holds the teams (or was replaced by a team id field)."""
        self._idempotency: tuple[str, str] | None = None

    @property
    def creating(self) -> bool:
        return self.original is None

    def compose(self) -> ComposeResult:
        title = "New campaign" if self.creating else "Edit campaign"
        yield Static(form_title(title, self.original), id="form-title")
        with VerticalScroll(id="form-fields"):
            with Horizontal(classes="form-row"):
                yield Static("Name", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input(
                        self.start_text.name,
                        id="name",
                        placeholder="required",
                        compact=True,
                        select_on_focus=False,
                    )
                    yield Static(classes="form-error", id="name-error")
            with Horizontal(classes="form-row"):
                yield Static("Description", classes="form-label")
                with Vertical(classes="form-field"):
                    yield TextArea(
                        self.start_text.description,
                        id="description",
                        soft_wrap=True,
                        show_line_numbers=False,
                        tab_behavior="focus",
                    )
                    yield Static(classes="form-error", id="description-error")
            with Horizontal(classes="form-row"):
                yield Static("Team", classes="form-label")
                with Vertical(classes="form-field", id="team-field"):
                    yield TeamPicker([], id="team", prompt="Loading teams…", compact=True)
                    yield Static(classes="form-note", id="team-note", markup=False)
                    yield Static(classes="form-error", id="team_id-error")
            now = self.workspace.clock()
            for key, label, raw, end in (
                ("starts", "Start", self.start_text.starts, False),
                ("ends", "End", self.start_text.ends, True),
            ):
                with Horizontal(classes="form-row"):
                    yield Static(label, classes="form-label")
                    with Vertical(classes="form-field"):
                        with Horizontal(classes="date-row"):
                            yield Input(
                                raw,
                                id=key,
                                compact=True,
                                select_on_focus=False,
                                placeholder=f"{date_example(now, end, self.zone)} "
                                f"({zone_name(self.zone, now)}), "
                                "empty for none",
                            )
                            yield Static(
                                normalised_hint(raw, end_of_day=end, zone=self.zone),
                                classes="date-hint",
                                id=f"{key}-hint",
                            )
                        yield Static(classes="form-error", id=f"{key}_at-error")
        yield Static(id="form-status", classes="-empty")
        # Saving or loading the teams may wait for the rate limit: the countdown, not a hang.
        yield RateLimitWaitLine(self.workspace, id="form-wait")
        with Horizontal(id="form-buttons"):
            yield Button("Cancel", id="cancel-button", compact=True)
            yield Button("Save (ctrl+s)", id="save-button", variant="primary", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#name", Input))
        self.cursor_to_end(self.query_one("#description", TextArea))
        self.load_teams()

    @staticmethod
    def cursor_to_end(area: TextArea) -> None:
        """Tabbing into Description continues its text, as in every other field."""
        area.move_cursor(area.document.end)

    # -- teams -----------------------------------------------------------------------------

    @work(exclusive=True, group="form-teams", exit_on_error=False)
    async def load_teams(self) -> None:
        """Active teams for the picker; without teams.read, a plain team id field."""
        from skipup_campaigns.api.errors import NotFoundError, PermissionDeniedError, SkipUpError

        select = self.query_one("#team", Select)
        try:
            teams = await self.workspace.load_teams()
        except (PermissionDeniedError, NotFoundError):  # and no campaign to gather them from
            await self._use_team_id_field()
            return
        except SkipUpError as exc:
            actions.report(self, "load the teams", exc)
            await self._use_team_id_field()
            return
        select.set_options(team_options(teams, self.original))
        select.prompt = "Choose a team"
        if self.start_text.team_id:
            select.value = self.start_text.team_id
        if self.workspace.teams_from_campaigns:
            note = self.query_one("#team-note", Static)
            note.update(FROM_CAMPAIGNS_NOTE)
            note.add_class("-shown")
        self.teams_loaded = True

    async def _use_team_id_field(self) -> None:
        field = self.query_one("#team-field", Vertical)
        await self.query_one("#team", Select).remove()
        await field.mount(
            Input(
                self.start_text.team_id,
                id="team-id",
                compact=True,
                select_on_focus=False,
                placeholder="team id, e.g. tm_01HQ…",
            ),
            before=0,
        )
        self.teams_loaded = True

    # -- reading the form ------------------------------------------------------------------

    def current_text(self) -> FormText:
        # Until the team list has arrived the picker is empty: the team is still the one the
        # form opened with (a quick ctrl+s must not read as "no team").
        team = "" if self.teams_loaded else self.start_text.team_id
        for select in self.query("#team").results(Select):
            if self.teams_loaded:
                team = "" if select.value is Select.NULL else str(select.value)
        for box in self.query("#team-id").results(Input):
            team = box.value
        return FormText(
            name=self.query_one("#name", Input).value,
            description=self.query_one("#description", TextArea).text,
            team_id=team,
            starts=self.query_one("#starts", Input).value,
            ends=self.query_one("#ends", Input).value,
        )

    def fill(self, text: FormText) -> None:
        """Put `text` into the fields (after "take theirs")."""
        self.query_one("#name", Input).value = text.name
        self.query_one("#description", TextArea).text = text.description
        self.cursor_to_end(self.query_one("#description", TextArea))
        for select in self.query("#team").results(Select):
            select.value = text.team_id
        for box in self.query("#team-id").results(Input):
            box.value = text.team_id
        self.query_one("#starts", Input).value = text.starts
        self.query_one("#ends", Input).value = text.ends

    @on(Input.Changed, "#starts, #ends")
    def date_typed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        hint = normalised_hint(event.value, end_of_day=key == "ends", zone=self.zone)
        self.query_one(f"#{key}-hint", Static).update(hint)
        self.show_errors(
            check(self.current_text(), self.zone).errors, only=(f"{key}_at", "ends_at")
        )

    @on(Input.Changed, "#name, #team-id")
    @on(TextArea.Changed, "#description")
    @on(Select.Changed, "#team")
    def field_changed(self, event: Input.Changed | TextArea.Changed | Select.Changed) -> None:
        """Re-check the field as it changes: a message goes once the text is right, and a
        new problem shows at once (as in the date fields)."""
        key = {
            "name": "name",
            "description": "description",
            "team": "team_id",
            "team-id": "team_id",
        }[event.control.id or ""]
        if key == "team_id" and not self.teams_loaded:
            return  # the picker filling itself is not the user's change
        self.show_errors(check(self.current_text(), self.zone).errors, only=(key,))

    def show_errors(self, errors: dict[str, str], only: tuple[str, ...] = ERROR_FIELDS) -> None:
        for key in only:
            widget = self.query_one(f"#{key}-error", Static)
            message = errors.get(key, "")
            widget.update(safe_text(message))
            widget.set_class(bool(message), "-shown")

    def focus_field(self, key: str) -> None:
        """Put the cursor in the field an error is about."""
        selector = {
            "name": "#name",
            "description": "#description",
            "starts_at": "#starts",
            "ends_at": "#ends",
            "team_id": "#team, #team-id",
        }[key]
        for widget in self.query(selector):
            self.set_focus(widget)
            return

    def status(self, message: str, *, error: bool = False) -> None:
        widget = self.query_one("#form-status", Static)
        widget.update(safe_text(message))
        widget.set_class(error, "-error")
        widget.set_class(not message, "-empty")

    # -- save ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and not self.workspace.writable:
            return False
        if action == "cancel" and any(select.expanded for select in self.query(Select)):
            return False  # esc closes the open team list first
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-button":
            self.action_save()
        elif event.button.id == "cancel-button":
            self.action_cancel()

    def action_save(self) -> None:
        if self.saving:
            return  # single flight: a second ctrl+s while saving does nothing
        self.saving = True
        self.save()

    @work(exclusive=True, group="form-save", exit_on_error=False)
    async def save(self) -> None:
        try:
            await self._save()
        finally:
            self.saving = False

    async def _save(self) -> None:
        from skipup_campaigns.api.errors import SkipUpError

        checked = check(self.current_text(), self.zone)
        self.show_errors(checked.errors)
        if not checked.ok:
            self.status("Fix the fields marked above; nothing was sent.", error=True)
            self.focus_field(next(key for key in ERROR_FIELDS if key in checked.errors))
            return
        self.status("Saving…")
        try:
            if self.creating:
                result: Campaign | None = await self._create(checked.values)
            else:
                result = await self._update(checked.values)
        except SkipUpError as exc:
            await self._save_failed(exc, checked.values)
            return
        if result is not None:
            self.dismiss(result)

    async def _save_failed(self, exc: SkipUpError, values: dict[str, Any]) -> None:
        """Say why nothing was saved, next to the form, which is kept as typed."""
        from skipup_campaigns.api.errors import (
            APIConnectionError,
            AuthenticationError,
            FieldValidationError,
            PermissionDeniedError,
        )
        from skipup_campaigns.checked_write import OutcomeUnknown
        from skipup_campaigns.display.messages import describe_error

        if isinstance(exc, OutcomeUnknown):
            self.status(
                f"{describe_error(exc, sentence=True)}. Your form is kept: look at the "
                "campaign before saving again.",
                error=True,
            )
        elif isinstance(exc, FieldValidationError):
            key = exc.field if exc.field in ERROR_FIELDS else None
            if key:
                self.show_errors({key: exc.message}, only=(key,))
                self.focus_field(key)
            self.status(f"The server refused it: {exc.message}", error=True)
        elif isinstance(exc, PermissionDeniedError):
            self.status(f"{describe_error(exc, sentence=True)}. Your form is kept.", error=True)
        elif isinstance(exc, AuthenticationError):
            self.status(
                f"{describe_error(exc, sentence=True)}. Set one with "
                "`skipup-campaigns config set-key` or SKIPUP_API_KEY; your form is "
                "kept.",
                error=True,
            )
        elif isinstance(exc, APIConnectionError) and not self.creating:
            await self._after_uncertain_failure(values)
        elif isinstance(exc, APIConnectionError):
            self.status(
                f"Not saved: {safe(str(exc.message))}. Your form is kept: ctrl+s "
                "retries (it cannot create two).",
                error=True,
            )
        else:
            self.status(
                f"Not saved: {describe_error(exc)}. Your form is kept: ctrl+s retries.", error=True
            )

    async def _create(self, values: dict[str, Any]) -> Campaign:
        body = {k: v for k, v in values.items() if v is not None}
        # One key per body: a retry of the same form cannot create twice; an edited form
        # is a new request.
        digest = hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()
        if self._idempotency is None or self._idempotency[0] != digest:
            self._idempotency = (digest, str(uuid.uuid4()))
        # The list says "created" (and whether its filter hides the new campaign).
        return await self.workspace.create(body, idempotency_key=self._idempotency[1])

    async def _update(self, values: dict[str, Any]) -> Campaign | None:
        assert self.base is not None
        text = self.current_text()
        mine = touched(self.start_text, text)
        changes = changed_fields(self.base, values, only=mine)
        if not changes:
            self.status("Nothing changed, so nothing was sent.")
            return None
        notes: list[str] = []
        result = await self.workspace.update(self.base, changes, notes=notes)
        if isinstance(result, Conflict):
            fresh = result.fresh
            rows = [
                (
                    FIELD_LABELS[key],
                    show_value(theirs, self.zone),
                    None if yours is None else show_value(yours, self.zone),
                )
                for key, theirs, yours in differences(
                    {k: values[k] for k in mine}, fresh, self.base
                )
            ]
            choice = await self.app.push_screen_wait(ConflictDialog(rows))
            # Whatever the choice, the form now builds on the server's version.
            self.base = fresh
            self.start_text = FormText.of(fresh, self.zone)
            if choice is ConflictChoice.TAKE_THEIRS:
                self.fill(self.start_text)
                self.status("Showing the server's version now; nothing was sent.")
                return None
            if choice is not ConflictChoice.OVERWRITE:
                self.fill(merged(fresh, text, keep=mine, zone=self.zone))
                self.status(
                    "Keep editing: their other changes are in the form now; your "
                    "fields are as you typed them."
                )
                return None
            changes = changed_fields(fresh, values, only=mine)
            if not changes:
                self.status("The server already has your values; nothing was sent.")
                return None
            result = await self.workspace.update(fresh, changes, overwriting=result, notes=notes)
            if isinstance(result, Conflict):
                self.base = result.fresh
                self.start_text = FormText.of(result.fresh, self.zone)
                self.status(
                    "It changed on the server again while you chose; nothing was "
                    "sent. Your fields are as you typed them: ctrl+s to try again.",
                    error=True,
                )
                return None
        self.notify(notes[0] if notes else "Saved.", markup=False)
        return result

    async def _after_uncertain_failure(self, values: dict[str, Any]) -> None:
        """The PATCH may or may not have landed: look, and say which, before anything else."""
        from skipup_campaigns.api.errors import SkipUpError

        assert self.base is not None
        changes = changed_fields(
            self.base, values, only=touched(self.start_text, self.current_text())
        )
        self.status("No answer in time: checking whether the change landed…")
        try:
            fresh = await self.workspace.fetch(self.base.id)
        except SkipUpError:
            self.status(
                "No answer, and the campaign could not be read back: the change may "
                "or may not have landed. Your form is kept; ctrl+s tries again.",
                error=True,
            )
            return
        landed = all(getattr(fresh, key) == value for key, value in changes.items())
        if landed:
            self.notify("The server was slow, but your change landed.", markup=False)
            self.dismiss(fresh)
            return
        self.base = fresh if fresh.updated_at == self.base.updated_at else self.base
        self.status(
            "The change did not land (checked on the server). Your form is kept: "
            "ctrl+s tries again.",
            error=True,
        )

    # -- cancel ----------------------------------------------------------------------------

    def has_changes(self) -> bool:
        return is_dirty(self.start_text, self.current_text())

    def action_cancel(self) -> None:
        if not self.has_changes():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard your changes?",
                self.current_text().name or "(unnamed campaign)",
                "What you typed in this form will be lost.",
                "Discard",
            ),
            answered,
        )


def form_title(title: str, campaign: Campaign | None) -> Any:
    text = safe_text(title)
    if campaign is not None:
        text.append(": ")
        text.append_text(safe_text(campaign.name))
    return text


def team_options(teams: list[Team], campaign: Campaign | None) -> list[tuple[Any, str]]:
    """Active teams by name, plus the campaign's own team if it has since been deactivated
    (so opening the form does not change it)."""
    from rich.text import Text

    options: list[tuple[Any, str]] = [
        (safe_text(t.name), t.id)
        for t in sorted(teams, key=lambda t: t.name.casefold())
        if t.active
    ]
    if campaign is not None and campaign.team_id not in {value for _, value in options}:
        label = safe_text(campaign.team_name)
        label.append_text(Text(" (deactivated)"))
        options.append((label, campaign.team_id))
    return options

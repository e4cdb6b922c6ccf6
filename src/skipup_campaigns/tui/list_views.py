"""The list's views: tabs with counts, `1`–`9` and `[`/`]` to switch, and what a filter that
cannot be read says under it. Mixed into `ListScreen`; the views themselves (and their
counts) are the workspace's (`workspace/views.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Input, Static

from skipup_campaigns.display.safe_text import safe_text
from skipup_campaigns.tui.widgets.view_tabs import ViewTabs
from skipup_campaigns.workspace.views import View, ViewError

if TYPE_CHECKING:
    from skipup_campaigns.tui.list_host import ListHost
    from skipup_campaigns.tui.profile_switch import ListPlace

VIEW_BINDINGS = [
    *(
        Binding(
            str(number),
            f"view({number})",
            f"View {number}",
            show=False,
            priority=True,
            id=f"views.{number}",
            tooltip="the view of that number (the tabs under the top bar)",
        )
        for number in range(1, 10)
    ),
    Binding(
        "left_square_bracket",
        "step_view(-1)",
        "Previous view",
        show=False,
        priority=True,
        id="views.previous",
        tooltip="the previous / next view",
    ),
    Binding(
        "right_square_bracket",
        "step_view(1)",
        "Next view",
        show=False,
        priority=True,
        id="views.next",
        tooltip="the previous / next view",
    ),
]
VIEW_ACTIONS = {"view", "step_view"}
"""Actions whose keys are text while the filter has focus."""
NO_VIEWS = (
    "No views yet: :view save NAME keeps what the list shows as one, or add [[views]] "
    "to the config file (see the README)."
)


class ListViews:
    """What `ListScreen` does with views (a mixin: it reads the screen's controls,
    typed against `ListHost`)."""

    def current_view_state(self: ListHost, name: str) -> View:
        """What the list shows now, as a view called `name`."""
        return View(
            name,
            self.filter_input.value.strip(),
            self.active_only,
            self.sort,
            self.reverse,
            self.table.chosen_columns,
        )

    def apply_view(self: ListHost, view: View) -> None:
        """Show `view`: its filter in the filter field, its toggle, sort and columns."""
        with self.prevent(Input.Changed):
            self.filter_input.value = view.filter
        self.active_only, self.sort, self.reverse = view.active_only, view.sort, view.reverse
        self.table.show_columns(view.columns)
        self.update_view()

    def action_view(self: ListHost, number: int) -> None:
        views = self.workspace.views
        if not views:
            self.notify(NO_VIEWS, markup=False)
            return
        if number > len(views):
            self.notify(
                f"There {'is' if len(views) == 1 else 'are'} {len(views)} "
                f"view{'' if len(views) == 1 else 's'}.",
                markup=False,
            )
            return
        self.apply_view(views.choose(views.views[number - 1].name))

    def action_step_view(self: ListHost, delta: int) -> None:
        view = self.workspace.views.step(delta)
        if view is None:
            self.notify(NO_VIEWS, markup=False)
            return
        self.apply_view(view)

    def on_view_tabs_chosen(
        self: ListHost,
        message: ViewTabs.Chosen,
    ) -> None:
        views = self.workspace.views
        if 0 <= message.index < len(views):
            self.apply_view(views.choose(views.views[message.index].name))

    def choose_view(self: ListHost, name: str) -> None:
        """Switch to the view called `name` (ViewError naming those there are)."""
        self.apply_view(self.workspace.views.choose(name))

    def start_in_last_view(self: ListHost) -> None:
        """The view the last session ended in (or the first), before the first frame."""
        view = self.workspace.views.starting_view()
        if view is None:
            self.table.show_columns(self.workspace.views.columns)
        else:
            try:
                self.workspace.views.choose(view.name)
            except ViewError:
                return
            with self.prevent(Input.Changed):
                self.filter_input.value = view.filter
            self.active_only, self.sort, self.reverse = (view.active_only, view.sort, view.reverse)
            self.table.show_columns(view.columns)

    def place(self: ListHost) -> ListPlace:
        """Where the list is now, for coming back to it (`:profile`)."""
        from skipup_campaigns.tui.profile_switch import ListPlace

        return ListPlace(
            self.current_view_state(""), self.workspace.views.current, self.table.cursor_id
        )

    def take_place(self: ListHost, place: ListPlace) -> None:
        """Put the controls back as `place` has them (before the first frame: no redraw)."""
        views, controls = self.workspace.views, place.controls
        views.current = place.current_view if views.get(place.current_view or "") else None
        with self.prevent(Input.Changed):
            self.filter_input.value = controls.filter
        self.active_only, self.sort, self.reverse = (
            controls.active_only,
            controls.sort,
            controls.reverse,
        )
        self.table.show_columns(controls.columns)

    def update_view_tabs(self: ListHost) -> None:
        """The tabs' counts, as the loaded list has them now (kept results: see views.py)."""
        views = self.workspace.views
        tabs = self.query_one(ViewTabs)
        if not views:
            tabs.show([], [], None)
            return
        current = views.current_view
        modified = current is not None and (
            current.filter != self.filter_input.value.strip()
            or (current.active_only, current.sort, current.reverse)
            != (self.active_only, self.sort, self.reverse)
        )
        tabs.show(
            [view.name for view in views.views],
            views.counts(self.workspace.clock()),
            views.index(views.current),
            modified=modified,
        )

    def show_filter_errors(self: ListHost, errors: tuple[str, ...]) -> None:
        """Under the filter, what in it cannot be read (those terms are left out; what was
        typed stays as typed)."""
        line = self.query_one("#filter-error", Static)
        shown = bool(errors)
        if shown:
            line.update(safe_text("⚠ " + "; ".join(errors)))
        if line.has_class("-shown") != shown:
            line.set_class(shown, "-shown")

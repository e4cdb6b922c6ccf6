"""The form's team picker: Textual's Select, except that ↑ and ↓ step through the teams in
place. A list that opens first and takes keys only once it is open loses the arrows typed
ahead of it (over SSH they come in one packet with the enter that opens it); stepping in place
answers each key as it comes. enter and space still open the whole list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Select


class TeamPicker(Select[str]):
    BINDINGS = [
        Binding(
            "enter,space",
            "show_overlay",
            "Show teams",
            show=False,
            id="team.show",
            tooltip="in Team: open the list of teams",
        ),
        Binding(
            "down",
            "step(1)",
            "Next team",
            show=False,
            id="team.next",
            tooltip="in Team: the next / previous team",
        ),
        Binding(
            "up",
            "step(-1)",
            "Previous team",
            show=False,
            id="team.previous",
            tooltip="in Team: the next / previous team",
        ),
    ]

    def watch_expanded(self, expanded: bool) -> None:
        if expanded:
            self.call_after_refresh(self._fit_list)

    def _fit_list(self) -> None:
        """Keep the open list inside the dialog it opens in (at 80x24 it ran over the bulk
        form's border): at most the rows left below the picker, scrolling for the rest. By
        the list's type name, so a Textual without it just leaves the list as it is."""
        box = next(
            (
                node
                for node in self.ancestors_with_self
                if isinstance(node, Widget) and node.parent is self.screen
            ),
            None,
        )
        if box is None:
            return
        room = box.content_region.bottom - self.region.bottom
        for overlay in self.query("SelectOverlay").results(Widget):
            overlay.styles.max_height = max(3, room)

    def action_step(self, delta: int) -> None:
        values = [value for _, value in self._options if value is not Select.NULL]
        if not values:
            return
        if self.value is Select.NULL or self.value not in values:
            self.value = values[0] if delta > 0 else values[-1]
        else:
            index = values.index(self.value) + delta
            self.value = values[max(0, min(len(values) - 1, index))]

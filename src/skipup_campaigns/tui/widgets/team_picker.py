"""The form's team picker: Textual's Select, except that ↑ and ↓ step through the teams in
place. A list that opens first and takes keys only once it is open loses the arrows typed
ahead of it (over SSH they come in one packet with the enter that opens it); stepping in place
answers each key as it comes. enter and space still open the whole list."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Select


class TeamPicker(Select[str]):
    BINDINGS = [
        Binding("enter,space", "show_overlay", "Show teams", show=False, id="team.show",
                tooltip="in Team: open the list of teams"),
        Binding("down", "step(1)", "Next team", show=False, id="team.next",
                tooltip="in Team: the next / previous team"),
        Binding("up", "step(-1)", "Previous team", show=False, id="team.previous",
                tooltip="in Team: the next / previous team"),
    ]

    def action_step(self, delta: int) -> None:
        values = [value for _, value in self._options if value is not Select.NULL]
        if not values:
            return
        if self.value is Select.NULL or self.value not in values:
            self.value = values[0] if delta > 0 else values[-1]
        else:
            index = values.index(self.value) + delta
            self.value = values[max(0, min(len(values) - 1, index))]

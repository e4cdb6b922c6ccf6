"""The key bar: the keys that act here and now, from the bindings in force, fitted to the width.

What it shows comes from the screen's bindings (their keys as remapped, their descriptions),
never from a list of its own: by default those marked `show`, in the order the focus chain
gives them (the focused widget's, the screen's, the app's). A screen whose useful keys depend
on its state says which binding ids matter now with `key_bar_ids()` (the list with marks: space
d e x u esc). Fitted to the width, a key is shown whole or not at all, and the way back out
(`?` and `q`) is the last to go.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

from skipup_campaigns.plain_record import FrozenRecord

KEPT_IDS = ("app.help", "app.quit")
"""Shown whatever the width (with any screen binding on `q`, the way back)."""
TRAILING_IDS = ("app.command_palette", "app.help", "app.quit")
"""The app's own keys, after the screen's."""


class BarItem(FrozenRecord):
    key: str
    """As displayed ("^s", "esc", "q")."""
    label: str
    action: str
    namespace: Any
    keep: bool = False

    @property
    def width(self) -> int:
        return cell_len(self.key) + cell_len(self.label) + 3  # " key label "


def fit(items: Sequence[BarItem], width: int) -> list[BarItem]:
    """The items to show in `width` cells, in their order: the kept ones first of all, then
    each other one that fits whole, most important (earliest) first."""
    chosen = [item for item in items if item.keep]
    used = sum(item.width for item in chosen)
    for item in items:
        if not item.keep and used + item.width <= width:
            chosen.append(item)
            used += item.width
    return [item for item in items if item in chosen]


def bar_items(screen: Any) -> list[BarItem]:
    """The key bar's items for `screen` as it is now (from its active bindings)."""
    app = screen.app
    keys_of: dict[object, list[str]] = {}
    first: dict[object, Any] = {}
    for key, active in screen.active_bindings.items():
        if not active.enabled:
            continue
        binding = active.binding
        ident = binding.id or (id(active.node), binding.action)
        keys_of.setdefault(ident, []).append(key)
        first.setdefault(ident, active)
    hider = getattr(screen, "key_bar_hidden_actions", None)
    hidden: set[str] = hider() if callable(hider) else set()
    for ident in [ident for ident, active in first.items() if active.binding.action in hidden]:
        del first[ident]
    wanted: Sequence[str] | None = None
    chooser = getattr(screen, "key_bar_ids", None)
    if callable(chooser):
        wanted = chooser()
    if wanted is None:
        idents = [
            ident
            for ident, active in first.items()
            if active.binding.show and ident not in TRAILING_IDS
        ]
    else:
        idents = [ident for ident in wanted if ident in first]
    idents += [
        ident
        for ident in TRAILING_IDS
        if ident in first and ident not in idents and first[ident].binding.show
    ]
    items = []
    for ident in idents:
        active = first[ident]
        binding = active.binding
        back_with_q = "q" in keys_of[ident]
        key = "q" if back_with_q else app.get_key_display(binding)
        items.append(
            BarItem(
                key,
                binding.description,
                binding.action,
                active.node,
                keep=ident in KEPT_IDS or back_with_q,
            )
        )
    # The kept keys close the bar, the screen's way back (q) before ? and quit.
    return [item for item in items if not item.keep] + [item for item in items if item.keep]


class KeyBar(Widget):
    """One line at the bottom: the keys that act here, fitted to the width."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        & > .key-bar--key { color: $footer-key-foreground; background: $footer-key-background;
                            text-style: bold; }
        & > .key-bar--label { color: $footer-description-foreground;
                              background: $footer-description-background; }
    }
    """
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--label"}

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, BarItem]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, _screen: object) -> None:
        self.refresh()

    def shown(self) -> list[BarItem]:
        """What the bar shows now (for tests and clicks)."""
        return fit(bar_items(self.screen), self.size.width)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        label_style = self.get_component_rich_style("key-bar--label")
        text = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for item in self.shown():
            start = text.cell_len
            text.append(f" {item.key} ", style=key_style)
            text.append(f"{item.label} ", style=label_style)
            self._spans.append((start, text.cell_len, item))
        return text

    async def on_click(self, event: events.Click) -> None:
        for start, end, item in self._spans:
            if start <= event.x < end:
                await self.app.run_action(item.action, item.namespace)
                return

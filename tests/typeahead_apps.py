"""Helpers for the typed-ahead tests: a plain three-field Textual app (with and without the
mixin), and a way to hand an app several keys at once, as one terminal read delivers them.

Run as a script it is the app itself, for the pseudo-terminal test: `python typeahead_apps.py
[plain]`; a line under the fields shows every value, and the app reports itself ready."""

from __future__ import annotations

import asyncio
import sys
from time import monotonic
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input, Static

from skipup_campaigns.tui.typeahead import TypeAheadMixin


class PlainThreeFields(App[None]):
    """Three fields and a line showing their values (`a=…|b=…|c=…`)."""

    def compose(self) -> ComposeResult:
        for name in "abc":
            yield Input(id=name, compact=True)
        yield Static(id="values")

    def on_mount(self) -> None:
        self.query_one("#values", Static).update("ready " + self.values())

    def values(self) -> str:
        return "|".join(f"{field.id}={field.value}" for field in self.query(Input))

    def on_input_changed(self) -> None:
        self.query_one("#values", Static).update("ready " + self.values())


class ThreeFields(TypeAheadMixin, PlainThreeFields):
    """The same app with keys typed ahead taken in order."""


def key_event(key: str) -> events.Key:
    """The event the terminal driver makes for `key` (a name, or one printable character)."""
    character = key if len(key) == 1 else {"space": " ", "enter": "\r", "tab": "\t"}.get(key)
    return events.Key(key, character)


def post_keys(app: App[Any], *keys: str) -> None:
    """Put the keys on the app's queue, all at once, and return at once."""
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)


async def type_at_once(pilot: Pilot[Any], *keys: str) -> None:
    """Put every key on the app's queue before it handles the first, as one read of a
    terminal does (Pilot's own press() pauses after each key, which hides the problem);
    then wait until they are all handled."""
    app = pilot.app
    post_keys(app, *keys)
    deadline = monotonic() + 10
    await pilot.pause()
    while not getattr(app, "keys_settled", True) and monotonic() < deadline:
        await asyncio.sleep(0.01)
    await pilot.pause()


if __name__ == "__main__":
    (PlainThreeFields if sys.argv[1:] == ["plain"] else ThreeFields)().run()

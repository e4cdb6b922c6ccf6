"""Esc followed by a key in one read (one SSH packet) acts as Esc, then the key.

A terminal has no byte for "the Esc key": it sends ESC, the byte that also starts every
escape sequence and that means Alt before a key. Textual's parser reads ESC and a key that
arrive together as one key: `ESC j` → alt+j (which an Input types as "j"), and some as an old
terminal's sequence with the ESC lost: `ESC Tab` → shift+tab, `ESC Enter` → enter,
`ESC space` → space. So `/Board` Esc `j` typed quickly filtered "Boardj".

Two parts:
- `EscapeBurstParser`, Textual's parser with one change: where ESC and a plain character
  arrive together it still yields what Textual would (so alt+key bindings keep working), but
  tags the event with the keys the character alone stands for.
- `split_escape_burst`, used by the app for each key: a tagged event, or an alt+key with no
  binding of its own, becomes Esc and then the key.

It leans on Textual's private `textual._xterm_parser.XTermParser` and on the Linux driver
making its parser by that module-level name (`PRIVATE_NAMES`; a test checks they exist). If
they are gone, `install` does nothing and keys arrive as plain Textual parses them (alt+key is
still split at the app; ESC Tab stays shift+tab). Remove this module when Textual reads a
lone ESC followed by a key as two keys.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from textual import events

logger = logging.getLogger(__name__)

ESC = "\x1b"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
SEQUENCE_STARTS = frozenset("[O]P_^X\x1b")
"""After ESC these begin an escape sequence (CSI, SS3, OSC, DCS, …), not a key."""
KEPT_WHEN_BOUND = frozenset({"ctrl+w", "ctrl+left", "ctrl+right"})
"""Readline's alt+backspace, alt+b, alt+f as Textual names them: a field's word keys."""
PRIVATE_NAMES = (
    ("textual._xterm_parser", "XTermParser"),
    ("textual.drivers.linux_driver", "XTermParser"),
)

_THEN = "_escape_then"
"""On an event read from ESC+character: the keys that character alone stands for."""


def burst_positions(data: str, pasting: bool) -> tuple[list[int], bool]:
    """Where in one read an ESC is followed by a plain character (not an escape sequence,
    not inside a bracketed paste); and whether a paste is still open at the end."""
    positions: list[int] = []
    at = data.find(ESC)
    while at != -1:
        if data.startswith(PASTE_START, at):
            pasting = True
        elif data.startswith(PASTE_END, at):
            pasting = False
        elif (
            not pasting
            and at + 1 < len(data)
            and data[at + 1] not in SEQUENCE_STARTS
            and (at == 0 or data[at - 1] != ESC)
        ):
            positions.append(at)
        at = data.find(ESC, at + 1)
    return positions, pasting


def _parse_alone(text: str) -> list[Any]:
    """What Textual's parser makes of `text` read on its own, to the end."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    return [*parser.feed(text), *parser.feed("")]


def _make_parser_class() -> type | None:
    try:
        from textual._xterm_parser import XTermParser
    except ImportError:
        return None

    class EscapeBurstParser(XTermParser):
        """Textual's parser, tagging ESC+character read together (see the module)."""

        _pasting = False

        def feed(self, data: str) -> Iterable[Any]:
            positions, self._pasting = burst_positions(data, self._pasting)
            if not positions:
                yield from super().feed(data)
                return
            start = 0
            for at in positions:
                if at > start:
                    yield from super().feed(data[start:at])
                burst, alone = _parse_alone(data[at : at + 2]), _parse_alone(data[at + 1])
                if len(burst) == 1 and isinstance(burst[0], events.Key):
                    setattr(burst[0], _THEN, alone)
                    yield burst[0]
                else:
                    yield events.Key("escape", ESC)
                    yield from alone
                start = at + 2
            if start < len(data):
                yield from super().feed(data[start:])

    return EscapeBurstParser


def install() -> bool:
    """Have Textual's Linux driver read keys with `EscapeBurstParser` (in this process).
    False, and nothing changed, when Textual's internals are not as expected."""
    try:
        from textual.drivers import linux_driver

        if not hasattr(linux_driver, "XTermParser"):
            raise AttributeError("textual.drivers.linux_driver.XTermParser")
        parser_class = _make_parser_class()
        if parser_class is None:
            raise ImportError("textual._xterm_parser.XTermParser")
        if linux_driver.XTermParser.__name__ != "EscapeBurstParser":
            setattr(linux_driver, "XTermParser", parser_class)  # noqa: B010 - a module's name
        return True
    except Exception as error:  # noqa: BLE001 - plain Textual parsing is the fallback
        logger.warning("Esc+key read together stays Textual's alt+key: %r", error)
        return False


def split_escape_burst(
    event: events.Event, is_bound: Callable[[str], bool]
) -> Sequence[events.Event] | None:
    """[Esc, key…] for a key read with an ESC before it that has no binding of its own as
    read (alt+j, or a field's ctrl+w/ctrl+left/ctrl+right); None to keep the event."""
    if not isinstance(event, events.Key):
        return None
    then: list[events.Event] | None = getattr(event, _THEN, None)
    key = event.key
    if then is None:  # read without the parser's tag (two reads close together): alt+x
        name = key.removeprefix("alt+")
        if name == key or event.character is None or len(event.character) != 1:
            return None
        if name.startswith("shift+"):
            name = name.removeprefix("shift+").upper()
        if len(name) != 1:
            return None
        then = [events.Key(name, event.character)]
    if (key.startswith("alt+") or key in KEPT_WHEN_BOUND) and is_bound(key):
        return None
    return [events.Key("escape", ESC), *then]

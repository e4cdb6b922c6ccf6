"""Keys by binding id: the defaults every screen declares, the config file's `[keymap]` laid
over them, and how a key list reads on the help screen. No Textual import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "space": "space",
    "tab": "tab",
    "enter": "enter",
    "plus": "+",
    "minus": "-",
    "comma": ",",
    "full_stop": ".",
    "asterisk": "*",
    "equals_sign": "=",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "colon": ":",
}


def key_label(keys: str) -> str:
    """`"up,k"` → `"↑ k"`; `"question_mark"` → `"?"`."""
    return " ".join(_NAMES.get(key.strip(), key.strip()) for key in keys.split(",") if key.strip())


def effective_keys(defaults: Mapping[str, str], keymap: Mapping[str, str]) -> dict[str, str]:
    """Each binding id's keys once the keymap has replaced those it names."""
    return {binding_id: keymap.get(binding_id, keys) for binding_id, keys in defaults.items()}


def unknown_ids(defaults: Iterable[str], keymap: Mapping[str, str]) -> list[str]:
    known = set(defaults)
    return sorted(binding_id for binding_id in keymap if binding_id not in known)

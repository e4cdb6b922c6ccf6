"""The cyclic garbage collector held off while the UI starts.

Starting the UI imports and builds some 90,000 long-lived objects (modules, classes, the
widgets and their styles): the collector walked them again and again on the way to the first
frame (one or two full collections of ~20 ms each on the development machine, twice a bare
Textual app's share). So `pause` stops it before the UI's imports, and `resume`, once the
list's first rows are on screen, moves what start-up built into the permanent generation
(`gc.freeze`) and starts it again: no later collection walks those objects either (a full
collection with 100,000 campaigns loaded then walks the campaigns, not the toolkit).

What this keeps: the few thousand objects start-up leaves in cycles (~2,500, a few hundred
kB, measured) stay frozen with the rest, once. Refcounting frees everything else as usual.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Hold the collector off until `resume` (the UI's start only)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what start-up built and start the collector again (nothing if not paused)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()

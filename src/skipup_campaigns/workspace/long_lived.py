"""Loaded campaigns kept out of the cyclic garbage collector's way.

100,000 loaded rows are some 140,000 objects that every full collection walks: ~70 ms on the
UI thread each time (a keystroke's p95 outlier), and ~0.2 s of a load. No row is ever part of
a cycle, so a large load moves what it keeps into the permanent generation (`gc.freeze`) as
it goes: after each merged page (the automatic young collections have freed nearly all that
page's garbage by then: a young collection before each freeze found ~0.5 object a page).
Its end makes one full collection, so a cycle frozen on the way (garbage that was already
old) is freed rather than kept, and freezes what is left alive: a second later, so the
screen says the load is over first (that collection walks the whole heap, ~0.1 s at
100,000). Refcounting still frees a frozen object the moment nothing refers to it (a dropped
row); only a cycle among objects alive at a load's end waits for the next load's end.

Below FREEZE_FROM rows none of this is done: there a full collection is cheap.
"""

from __future__ import annotations

import asyncio
import gc

FREEZE_FROM = 10_000
"""Loaded rows from which the load freezes what it keeps (a full collection ~7 ms below)."""


class LongLived:
    """The freezing policy of one workspace's loads (see the module docstring)."""

    def __init__(self, freeze_from: int = FREEZE_FROM, settle_after: float = 1.0) -> None:
        self.freeze_from = freeze_from
        self.settle_after = settle_after
        """Seconds from a load's end to its full collection."""
        self._froze = False

    def page_merged(self, loaded: int) -> None:
        """A page (or a cached chunk) is merged; `loaded` rows are in the collection."""
        if loaded >= self.freeze_from:
            # No young collection first: the automatic ones during the page have freed nearly
            # all its garbage (at 100,000 one found ~0.5 object a page, and cost ~55 µs: the
            # walk of the page's rows, ~0.05 s a load). What little is frozen is freed at
            # the load's end (`_settle`).
            gc.freeze()
            self._froze = True

    def load_ended(self) -> None:
        """The load is over: soon, free any cycle frozen on the way and freeze the rest."""
        if self._froze:
            self._froze = False
            try:
                asyncio.get_running_loop().call_later(self.settle_after, self._settle)
            except RuntimeError:  # no loop: now
                self._settle()

    @staticmethod
    def _settle() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()

"""Keys typed ahead act in the order typed, each on what the keys before it left behind.

Plain Textual forwards each key to the widget focused *when the key reaches the app*. A fast
typist's keys (or an SSH packet holding several) reach the app together, so `Tab hello`
forwards `hello` to the field being left: the Tab is still on its way through that field's
queue and only moves the focus afterwards. The same holds for a key that opens a screen, or
one whose effect arrives as a message (Enter in the filter hands the cursor to the rows only
once the field has handled it).

The mixin makes the app take one key at a time: a key is dispatched, and the keys behind it
wait until its consequences have been applied (every message it set off handled, a pushed or
popped screen mounted and focused); then the next one goes to whatever has the focus by then.
Keys that arrive one by one see no difference: by the time a key follows, the one before it
has long settled, and it is dispatched at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakSet

from textual import events
from textual.worker import WorkerState

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

_RELEASED = "_typeahead_released"
"""Set on a held key when it is posted back to the app for its turn."""

_RUNNING = (WorkerState.PENDING, WorkerState.RUNNING)


class TypeAheadMixin:
    """Mix into an App *before* `App` (`class MyApp(TypeAheadMixin, App)`)."""

    KEY_HOLDING_WORKER_GROUPS: ClassVar[frozenset[str]] = frozenset()
    """Worker groups whose work ends in a change of screen or focus (a save that closes the
    form, a deactivation that asks first): while one runs and its screen is on top, the keys
    after it wait for it (a dialog it opens takes them)."""

    TYPEAHEAD_PATIENCE: ClassVar[float] = 10.0
    """Seconds a key waits at most for the one before it to settle; after that it goes where
    plain Textual would send it, so nothing stuck can swallow the keyboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: deque[events.Event] = deque()
        self._key_settling = False
        """A key has been dispatched and its consequences are not all applied yet."""
        self._settle_task: asyncio.Task[None] | None = None
        self._outwaited: WeakSet[Any] = WeakSet()
        """Pumps and workers a key once waited on for all of its patience: not again while
        the keys held then drain (cleared once they have)."""

    @property
    def keys_settled(self) -> bool:
        """Every key received so far has been dispatched and its consequences applied."""
        return not self._key_settling and not self._held_keys

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        if not getattr(event, _RELEASED, False) and (self._key_settling or self._held_keys):
            self._held_keys.append(event)
            return
        self._key_settling = True
        try:
            await super().on_event(event)  # type: ignore[misc]
        finally:
            self._settle_task = asyncio.create_task(self._release_after_settling())

    async def _release_after_settling(self) -> None:
        """Wait for the last key's consequences, then give the next held key its turn (posted
        to the app's own queue, so it is handled exactly as a key from the terminal)."""
        try:
            await self._settled()
        except asyncio.CancelledError:
            return
        while self._held_keys:
            key = self._held_keys.popleft()
            setattr(key, _RELEASED, True)
            if self.post_message(key):  # type: ignore[attr-defined]
                return  # still settling: this key's own turn starts the next wait
        self._key_settling = False
        # The keys that waited have all gone: whatever outwaited them is waited for again
        # (a screen busy once must not lose its place in the key order for the session).
        self._outwaited.clear()

    async def _settled(self) -> None:
        """Return once the app has been quiet on two looks in a row (one look can fall
        between two steps of a chain), or when patience runs out: then whatever still held
        things up is not waited for again, so the keys behind do not each wait as long."""
        deadline = monotonic() + self.TYPEAHEAD_PATIENCE
        quiet_looks = 0
        looks = 0
        while quiet_looks < 2:
            # The first looks come at once (most keys settle within a few turns of the loop);
            # after that, a short sleep, so waiting on a save does not spin the CPU.
            await asyncio.sleep(0 if looks < 20 else 0.005)
            looks += 1
            blockers = self._blockers()
            quiet_looks = 0 if blockers else quiet_looks + 1
            if blockers and monotonic() > deadline:
                self._outwaited.update(blockers)
                app: Any = self
                app.log.warning(f"keys typed ahead go on without waiting for {blockers!r}")
                return

    def _blockers(self) -> list[Any]:
        """What could still move the focus or change what the next key would do: a message
        pump with work, a widget not mounted yet, a key-holding worker whose screen is on
        top. Empty when the next key may go."""
        app: Any = self
        if app._exit or app._closing:
            return []
        try:
            screen = app.screen
        except Exception:  # noqa: BLE001 - no screen yet, or the app is closing
            return []
        blockers: list[Any] = []
        if not _pump_idle(app):
            blockers.append(app)
        if screen._callbacks:
            blockers.append(screen)
        for node in (screen, *screen.walk_children(with_self=False)):
            if not node.is_mounted or not _pump_idle(node):
                blockers.append(node)
        for worker in app.workers:
            if worker.group in self.KEY_HOLDING_WORKER_GROUPS and worker.state in _RUNNING:
                node = worker.node
                owner = node if node is app else getattr(node, "screen", None)
                if owner is app or owner is screen:  # its screen is on top: the key's work
                    blockers.append(worker)
        return [blocker for blocker in blockers if blocker not in self._outwaited]

    async def _on_unmount(self, event: events.Unmount) -> None:
        if self._settle_task is not None:
            self._settle_task.cancel()


def _pump_idle(pump: MessagePump) -> bool:
    """Waiting for its next message: nothing queued, none being handled (its task sits in the
    queue's get()), no callback queued to run next. A pump that is closing counts as idle:
    it is on its way out of the DOM and takes no more keys."""
    if pump._closing or pump._closed:
        return True
    queue: Any = pump._message_queue
    if queue.qsize() or pump._pending_message is not None or pump._next_callbacks:
        return False
    getters = getattr(queue, "_getters", None)
    if getters is None:  # an asyncio without the attribute: queued-or-not is all we can see
        return True
    return any(not getter.done() for getter in getters)

"""Keys typed ahead act in the order typed, each on what the keys before it left behind.

The upstream behaviour worked around: plain Textual (8.x, `App.on_event` → `Screen.
_forward_event`) forwards each key to the widget focused *when the key reaches the app*. A fast
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

It fails open. Seeing "settled" needs private attributes of Textual and asyncio (listed in
`PRIVATE_ATTRIBUTES`; tests/tui/test_typeahead.py checks each exists in the installed Textual,
so raising the pin fails in CI first). Should reading them fail anyway, the failure is logged
once, every held key is released in the order typed, and from then on keys pass straight
through as plain Textual delivers them.

To remove it: when `test_plain_textual_types_ahead_into_the_field_being_left` fails (Textual
then dispatches a key only after the one before it has been handled), delete this module and
`TypeAheadMixin` from the app's bases; the "keys behind a save" rule (`KEY_HOLDING_WORK`)
would then need a home of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Mapping, Sequence
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakSet

from textual import events
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

logger = logging.getLogger(__name__)

_RELEASED = "_typeahead_released"
"""Set on a held key when it is posted back to the app for its turn."""

_RUNNING = (WorkerState.PENDING, WorkerState.RUNNING)

PRIVATE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("App", "_exit"),
    ("App", "_closing"),
    ("Screen", "_callbacks"),
    ("MessagePump", "_closing"),
    ("MessagePump", "_closed"),
    ("MessagePump", "_message_queue"),
    ("MessagePump", "_pending_message"),
    ("MessagePump", "_next_callbacks"),
    ("textual._queue.Queue", "ready_event"),
    ("asyncio.Event", "_waiters"),
)
"""(whose, attribute): every private name this module reads (on live objects)."""


class TypeAheadMixin:
    """Mix into an App *before* `App` (`class MyApp(TypeAheadMixin, App)`)."""

    KEY_HOLDING_WORK: ClassVar[Mapping[str, str]] = {}
    """Worker group → what it does ("the save"): work that ends in a change of screen or focus
    (a save that closes the form, a deactivation that asks first). While one runs and its
    screen is on top, the keys after it wait for it (a dialog it opens takes them). If it
    outlasts the patience, the keys typed meanwhile are dropped with a notice: they were meant
    for wherever it would have left the focus, never for the screen still waiting on it."""

    TYPEAHEAD_PATIENCE: ClassVar[float] = 10.0
    """Seconds a key waits at most for the one before it to settle; after that it goes where
    plain Textual would send it (or, behind key-holding work, is dropped), so nothing stuck can
    swallow the keyboard."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: deque[events.Event] = deque()
        self._key_settling = False
        """A key has been dispatched and its consequences are not all applied yet."""
        self._settle_task: asyncio.Task[None] | None = None
        self._outwaited: WeakSet[Any] = WeakSet()
        """Pumps and workers a key once waited on for all of its patience: not again while
        the keys held then drain (cleared once they have)."""
        self.typeahead_failed = False
        """Reading Textual's internals failed once: keys pass straight through since."""
        self._released_in_queue = 0
        """Keys released after a failure and not yet handled: later keys queue behind them."""
        self._first_screen_ready = asyncio.Event()
        """Textual's Ready: the first screen is composed, laid out and drawn. Keys typed before
        it (a user typing as the app starts) wait for it: sent on, they reached a screen
        whose widgets were not there yet, and were lost."""

    @property
    def keys_settled(self) -> bool:
        """Every key received so far has been dispatched and its consequences applied."""
        return not self._key_settling and not self._held_keys and not self._released_in_queue

    def keys_for(self, event: events.Event) -> Sequence[events.Event]:
        """The keys one event from the terminal stands for, in order (an app may split one,
        as Esc+key read as alt+key): by default the event itself."""
        return (event,)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        released = getattr(event, _RELEASED, False)
        if self.typeahead_failed:
            await self._pass_through(event, released)
            return
        if not released and not self._first_screen_ready.is_set():
            self._held_keys.append(typed_before_raw_mode(event))
            if not self._key_settling:
                self._key_settling = True
                self._settle_task = asyncio.create_task(self._release_when_ready())
            return
        if not released and (self._key_settling or self._held_keys):
            self._held_keys.append(event)
            return
        if not released and self._key_holding_work_on_top():
            # Typed while a save runs (after an earlier burst was dropped): it waits too.
            self._held_keys.append(event)
            self._key_settling = True
            self._settle_task = asyncio.create_task(self._release_after_settling())
            return
        first, *rest = self.keys_for(event)
        for key in reversed(rest):  # they take their turns next, each after settling
            setattr(key, _RELEASED, True)
            self._held_keys.appendleft(key)
        self._key_settling = True
        try:
            await super().on_event(first)  # type: ignore[misc]
        finally:
            self._settle_task = asyncio.create_task(self._release_after_settling())

    def _on_ready(self) -> None:
        """Textual's first frame: the keys typed before it may go (the app's own `on_ready`
        is called as well: Textual calls each class's handler)."""
        self._first_screen_ready.set()

    async def _release_when_ready(self) -> None:
        """The keys typed before the first screen was ready go once it is, in order; after the
        patience they go anyway (should Ready never come, the keyboard must not freeze)."""
        try:
            await asyncio.wait_for(self._first_screen_ready.wait(), self.TYPEAHEAD_PATIENCE)
        except TimeoutError:
            self._first_screen_ready.set()
        except asyncio.CancelledError:
            return
        await self._release_after_settling()

    async def _pass_through(self, event: events.Event, released: bool) -> None:
        """After a failure: as plain Textual, except that keys released from the hold still
        come before the keys typed after them."""
        if released:
            self._released_in_queue -= 1
        elif self._released_in_queue > 0:
            self._post_released(event)
            return
        for key in self.keys_for(event):
            await super().on_event(key)  # type: ignore[misc]

    def _post_released(self, key: events.Event) -> None:
        setattr(key, _RELEASED, True)
        self._released_in_queue += 1
        if not self.post_message(key):  # type: ignore[attr-defined]
            self._released_in_queue -= 1  # the app is closing: the key goes nowhere

    def _fail_open(self, error: BaseException) -> None:
        """Log once, release every held key in order, and pass keys straight through."""
        if not self.typeahead_failed:
            logger.warning(
                "typed-ahead keys: Textual's internals are not as expected (%r); "
                "keys now pass straight through",
                error,
            )
            app: Any = self
            app.log.error(f"typed-ahead keys fail open: {error!r}")
        self.typeahead_failed = True
        self._key_settling = False
        held = list(self._held_keys)
        self._held_keys.clear()
        for key in held:
            self._post_released(key)

    async def _release_after_settling(self) -> None:
        """Wait for the last key's consequences, then give the next held key its turn (posted
        to the app's own queue, so it is handled exactly as a key from the terminal)."""
        try:
            outwaited = await self._settled()
        except asyncio.CancelledError:
            return
        except Exception as error:  # noqa: BLE001 - whatever broke, the keyboard must not
            self._fail_open(error)
            return
        workers = [blocker for blocker in outwaited if isinstance(blocker, Worker)]
        if workers and self._held_keys:
            self._drop_held_keys(workers[0])
        while self._held_keys:
            key = self._held_keys.popleft()
            setattr(key, _RELEASED, True)
            if self.post_message(key):  # type: ignore[attr-defined]
                return  # still settling: this key's own turn starts the next wait
        self._key_settling = False
        # The keys that waited have all gone: whatever outwaited them is waited for again
        # (a screen busy once must not lose its place in the key order for the session).
        self._outwaited.clear()

    def _drop_held_keys(self, worker: Worker[Any]) -> None:
        """Key-holding work outlasted the patience: the keys typed behind it were meant for
        where it would leave the focus. Typed into the screen still waiting on it they would
        land in the wrong place (a form being saved), so they are dropped, and it is said."""
        count = len(self._held_keys)
        self._held_keys.clear()
        what = self.KEY_HOLDING_WORK.get(worker.group, "the work before them")
        app: Any = self
        app.notify(
            f"{count} key{'s' if count != 1 else ''} typed during {what} "
            f"{'were' if count != 1 else 'was'} dropped (it took over "
            f"{self.TYPEAHEAD_PATIENCE:g} s).",
            severity="warning",
            markup=False,
            timeout=10,
        )

    async def _settled(self) -> list[Any]:
        """Return once the app has been quiet on two looks in a row (one look can fall
        between two steps of a chain), or when patience runs out: then whatever still held
        things up is returned and not waited for again, so the keys behind do not each wait
        as long."""
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
                return blockers
        return []

    def _key_holding_work_on_top(self) -> bool:
        try:
            return any(isinstance(blocker, Worker) for blocker in self._blockers())
        except Exception as error:  # noqa: BLE001 - see _release_after_settling
            self._fail_open(error)
            return False

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
            if worker.group in self.KEY_HOLDING_WORK and worker.state in _RUNNING:
                node = worker.node
                owner = node if node is app else getattr(node, "screen", None)
                if owner is app or owner is screen:  # its screen is on top: the key's work
                    blockers.append(worker)
        return [blocker for blocker in blockers if blocker not in self._outwaited]

    async def _on_unmount(self, event: events.Unmount) -> None:
        if self._settle_task is not None:
            self._settle_task.cancel()


def typed_before_raw_mode(event: events.Event) -> events.Event:
    """A key typed as the app starts may have been typed before Textual took the terminal
    out of its line mode, which turns Enter's CR into LF (ICRNL): it reads as ctrl+j, which
    nothing here binds, so `/an⏎jj` left "anjj" in the filter. Before the first screen, a
    ctrl+j is taken for the Enter it was."""
    if not isinstance(event, events.Key) or event.key != "ctrl+j":
        return event
    return events.Key("enter", "\r")  # (made in the app's handler: the app sends it)


def _pump_idle(pump: MessagePump) -> bool:
    """Waiting for its next message: nothing queued, none being handled (its task sits in the
    queue's get()), no callback queued to run next. A pump that is closing counts as idle:
    it is on its way out of the DOM and takes no more keys."""
    if pump._closing or pump._closed:
        return True
    queue: Any = pump._message_queue
    if queue.qsize() or pump._pending_message is not None or pump._next_callbacks:
        return False
    # Textual's own Queue: its task sits in get() exactly when it awaits the ready event.
    return any(not waiter.done() for waiter in queue.ready_event._waiters)

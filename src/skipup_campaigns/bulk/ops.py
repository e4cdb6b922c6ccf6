"""The workspace's side of acting on many campaigns at once: a bulk action run by the bulk
engine (`skipup_campaigns.bulk`) with the collection, the marks and the undo log kept
right as each campaign finishes, and the undo of the last bulk edit as one step.

    targets = workspace.bulk.plan(BulkEdit(ends_at=new_end))   # the marked campaigns
    action = workspace.bulk.start(targets, on_progress=show)   # action.cancel() stops it
    report = await action.run()
    undo = workspace.bulk.start_undo()                         # the edit back, one step

A component of `Workspace` (`workspace.bulk`), typed against what it uses of it
(`workspace/parts.py`'s `WorkspaceCore`), so it never imports the workspace. No Textual; the
engine (pydantic, httpx) is imported only when a bulk action is made.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from skipup_campaigns.bulk.nothing_to_do import done_already
from skipup_campaigns.plain_record import Record, field
from skipup_campaigns.workspace.events import CampaignsChanged, UndoLogChanged
from skipup_campaigns.workspace.marks import MarkNote, marked_rows
from skipup_campaigns.workspace.undo import UndoEntry

if TYPE_CHECKING:
    from skipup_campaigns.api.errors import SkipUpError
    from skipup_campaigns.api.models import Campaign
    from skipup_campaigns.bulk.engine import (
        BulkReport,
        BulkRun,
        Change,
        ItemResult,
        Progress,
        Target,
    )
    from skipup_campaigns.workspace.collection import Row
    from skipup_campaigns.workspace.parts import WorkspaceCore


class BulkStep(Record):
    """One bulk action that changed something: what `u` on the list would undo."""

    report: BulkReport
    deactivation: bool
    entries: dict[str, UndoEntry] = field(default_factory=dict)
    """Campaign id → the undo log's entry for our change of it (edits only)."""

    @property
    def done(self) -> int:
        from skipup_campaigns.bulk.engine import Outcome

        return self.report.count(Outcome.DONE)


class BulkAction:
    """One bulk action against a workspace; made by `BulkOperations.start`. `run()` once;
    `cancel()` (any time, before or during) stops it after the requests in flight."""

    def __init__(
        self,
        bulk: BulkOperations,
        targets: Sequence[Target],
        *,
        apply_anyway: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        on_result: Callable[[ItemResult], None] | None = None,
        undoing: BulkStep | None = None,
        one_step: bool = True,
    ) -> None:
        self.bulk = bulk
        self.workspace = bulk.core
        self.targets = list(targets)
        self.apply_anyway = apply_anyway
        self.on_progress = on_progress
        self.on_result = on_result
        """Hears each campaign as it finishes, after the workspace has taken its result."""
        self.undoing = undoing
        """The step this action puts back (None: a new action)."""
        self.one_step = one_step
        """What it changes is one step for the list's `u` (not for a single campaign's change,
        whose undo is that campaign's own)."""
        self.report: BulkReport | None = None
        self.finished = asyncio.Event()
        self._cancelled = False
        self._run: BulkRun | None = None
        self._step_entries: dict[str, UndoEntry] = {}
        self._heard: list[ItemResult] = []

    @property
    def total(self) -> int:
        return len(self.targets)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        self._cancelled = True
        if self._run is not None:
            self._run.cancel()

    def abort(self) -> None:
        """Stop without awaiting the requests on the wire either (a second Ctrl-C): a change
        abandoned on its way is reported unknown."""
        self.cancel()
        if self._run is not None:
            self._run.abort()

    async def run(self) -> BulkReport:
        from skipup_campaigns.bulk.engine import BulkReport, BulkRun

        workspace, bulk = self.workspace, self.bulk
        if self.one_step:
            bulk.running = self
        try:
            client = await workspace.get_client()
            self._run = run = BulkRun(
                client,
                self.targets,
                apply_anyway=self.apply_anyway,
                on_result=self._result,
                on_progress=self.on_progress,
            )
            if self._cancelled:
                run.cancel()
            report = await run.run()
        except Exception:
            if self._run is not None:
                # Broken midway: what was done stays one step, so `u` can still put it back.
                self.report = BulkReport(list(self._heard), cancelled=True)
                bulk.record_step(self, self.report, self._step_entries)
            raise
        finally:
            if bulk.running is self:
                bulk.running = None
            self.finished.set()
        self.report = report
        self._note_not_started(report)
        bulk.record_step(self, report, self._step_entries)
        return report

    def _note_not_started(self, report: BulkReport) -> None:
        """Campaigns the run never reached (it was stopped) are not done: their marks say so
        (✗ with the reason), as a failed one's do. The engine does not hear them one by one."""
        from skipup_campaigns.bulk.engine import Outcome

        for result in report.results:
            if result.outcome is Outcome.NOT_STARTED:
                self.workspace.marks.note(
                    result.campaign_id,
                    MarkNote(result.outcome.value, result.reason or "stopped before its turn"),
                )

    def _result(self, result: ItemResult) -> None:
        """One campaign finished: the workspace takes it, then `on_result` hears it."""
        self._take(result)
        if self.on_result is not None:
            self.on_result(result)

    def _take(self, result: ItemResult) -> None:
        """The collection takes the server's answer, the marks and the undo log follow, and a
        refused write scope stops the rest (they would all fail)."""
        from skipup_campaigns.bulk.engine import BulkEdit, Outcome

        workspace = self.workspace
        campaign_id = result.campaign_id
        self._heard.append(result)
        if result.after is not None:
            workspace.collection.merge([result.after], workspace.clock())
            workspace.announce(CampaignsChanged(frozenset((campaign_id,))))
        if result.error is not None:
            workspace.note_error(result.error)
            if not workspace.writable:
                self.cancel()
        if result.outcome is Outcome.DONE or done_already(result.reason):
            workspace.marks.unmark((campaign_id,))
        elif result.reason:
            workspace.marks.note(campaign_id, MarkNote(result.outcome.value, result.reason))
        if self.undoing is not None:
            entry = self.undoing.entries.get(campaign_id)
            if entry is None or entry not in workspace.undo_log:
                return
            if (result.outcome is Outcome.DONE and result.after is not None) or done_already(
                result.reason
            ):
                # Put back, by us or already by someone else: nothing of ours is left to undo.
                workspace.undo_log.undone(entry)
            else:
                return
            workspace.announce(UndoLogChanged(campaign_id))
            return
        if result.outcome is not Outcome.DONE or result.after is None:
            return
        if isinstance(result.target.change, BulkEdit) and result.sent and result.before is not None:
            # The server's values our write replaced (read just before it), not the list's.
            before = {name: getattr(result.before, name) for name in result.sent}
            after = {name: getattr(result.after, name) for name in result.sent}
            entry = UndoEntry(campaign_id, before, after)
            workspace.undo_log.record(entry)
            self._step_entries[campaign_id] = entry
            workspace.announce(UndoLogChanged(campaign_id))


class BulkOperations:
    """Bulk actions on a workspace (`workspace.bulk`): the workspace (`core`) provides the
    client, the collection, the marks, the undo log and `announce`."""

    def __init__(self, core: WorkspaceCore) -> None:
        self.core = core
        self.steps: list[BulkStep] = []
        """Bulk actions that changed something, oldest first."""
        self.last_change: Change | None = None
        """The change the last bulk action (not an undo) made: what `:retry` makes again on
        the campaigns it left undone (their marks carry the note why)."""
        self.running: BulkAction | None = None
        """The bulk action running now (None: none): quitting asks first while there is one."""

    # -- what to act on ----------------------------------------------------------------------

    def plan(self, change: Change, rows: Sequence[Row] | None = None) -> list[Target]:
        """The change for each marked campaign (or each of `rows`), as loaded."""
        from skipup_campaigns.bulk.engine import plan as plan_targets

        chosen = marked_rows(self.core.marks, self.core.collection) if rows is None else rows
        return plan_targets([row.campaign for row in chosen], change)

    def start(
        self,
        targets: Sequence[Target],
        *,
        apply_anyway: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        on_result: Callable[[ItemResult], None] | None = None,
    ) -> BulkAction:
        """A bulk action of `targets`, to be `run()`: each campaign is read afresh and skipped
        if it changed since it was loaded (unless `apply_anyway`). `on_result` hears each
        campaign as it finishes (the workspace has taken it by then)."""
        return BulkAction(
            self, targets, apply_anyway=apply_anyway, on_progress=on_progress, on_result=on_result
        )

    async def deactivate(self, campaign: Campaign) -> ItemResult:
        """Deactivate one campaign as a bulk run of one: the engine's fresh read, its rules
        (`nothing_to_do`) and its checks, the workspace kept right as for many. Not a step of
        the list's `u` (a deactivation has no way back anyway)."""
        return (await self.start_deactivation(campaign).run()).results[0]

    def start_deactivation(self, campaign: Campaign) -> BulkAction:
        """`deactivate` as an action to `run()`, for a caller that may `cancel()` it (a wait
        for the rate limit ends; nothing is sent after)."""
        from skipup_campaigns.bulk.engine import Deactivation, Target

        return BulkAction(self, [Target(campaign, Deactivation())], one_step=False)

    async def load(
        self,
        ids: Sequence[str],
        *,
        on_loaded: Callable[[], None] | None = None,
        stop: asyncio.Event | None = None,
    ) -> list[Campaign | SkipUpError]:
        """Each campaign by id, read a few at a time, in the order given (an error in place of
        one that could not be read): what a bulk action is planned from (`engine.load`)."""
        from skipup_campaigns.bulk.engine import load

        client = await self.core.get_client()
        return await load(client, ids, on_loaded=on_loaded, stop=stop)

    # -- undo --------------------------------------------------------------------------------

    @property
    def last_step(self) -> BulkStep | None:
        return self.steps[-1] if self.steps else None

    def undo_targets(self) -> list[Target]:
        """The last bulk edit back: each campaign it changed (and not undone since on its own
        page) gets its values from before, checked against what our edit left. ValueError
        when the last bulk action was a deactivation (SkipUp has no way back) or there is
        none."""
        step = self.last_step
        if step is None:
            raise ValueError("no bulk edit to undo")
        if step.deactivation:
            raise ValueError("a deactivation cannot be undone: SkipUp has no way back")
        pending_ids = {key for key, entry in step.entries.items() if entry in self.core.undo_log}
        return [
            target for target in step.report.undo_targets() if target.campaign.id in pending_ids
        ]

    def start_undo(
        self, *, apply_anyway: bool = False, on_progress: Callable[[Progress], None] | None = None
    ) -> BulkAction:
        """The undo of the last bulk edit as one action (see `undo_targets`); with
        `apply_anyway`, also over campaigns changed on the server since our edit."""
        step = self.last_step
        targets = self.undo_targets()
        return BulkAction(
            self, targets, apply_anyway=apply_anyway, on_progress=on_progress, undoing=step
        )

    def record_step(
        self, action: BulkAction, report: BulkReport, entries: dict[str, UndoEntry]
    ) -> None:
        """`action` finished with `report`: what it changed becomes one step for `u` (an undo
        keeps only what is still ours to put back)."""
        from skipup_campaigns.bulk.engine import Deactivation, Outcome

        if not action.one_step:
            return
        step = action.undoing
        if step is None and action.targets:
            self.last_change = action.targets[0].change
        if step is not None:
            # What is still ours to put back stays one step; nothing left: the step is gone.
            step.entries = {
                key: entry for key, entry in step.entries.items() if entry in self.core.undo_log
            }
            if not step.entries and step in self.steps:
                self.steps.remove(step)
            return
        if not report.count(Outcome.DONE):
            return
        deactivation = any(isinstance(t.change, Deactivation) for t in action.targets)
        self.steps.append(BulkStep(report, deactivation, dict(entries)))

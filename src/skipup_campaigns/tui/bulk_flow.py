"""The list's flows for acting on many campaigns at once: bulk edit and deactivation of the
marked campaigns (form → preview → progress → results) and the undo of the last bulk edit
(export is in `export_flow`). Each runs inside a worker of the list (they wait for dialogs);
the workspace does the work and keeps the collection, the marks and the undo log right as each
campaign finishes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from skipup_campaigns.tui.bulk_screens import (
    BulkEditScreen,
    BulkPreviewScreen,
    BulkProgressScreen,
    BulkResultsScreen,
    plural,
)

if TYPE_CHECKING:
    from textual.screen import Screen

    from skipup_campaigns.bulk.engine import BulkReport, Change, Progress
    from skipup_campaigns.bulk.ops import BulkAction
    from skipup_campaigns.workspace import Workspace
    from skipup_campaigns.workspace.collection import Row


def _busy(screen: Screen[Any], workspace: Workspace) -> bool:
    if workspace.bulk.running is not None:
        screen.notify("A bulk action is running; wait for it, or stop it with esc.", markup=False)
        return True
    return False


async def edit_marked(
    screen: Screen[Any], workspace: Workspace, shown: Collection[str] | None = None
) -> None:
    """The bulk edit form, then the preview and the run. `shown`: the ids the list shows."""
    if _busy(screen, workspace):
        return
    change = await screen.app.push_screen_wait(BulkEditScreen(workspace, len(workspace.marks)))
    if change is not None:
        await confirm_and_run(screen, workspace, change, shown)


async def deactivate_marked(
    screen: Screen[Any], workspace: Workspace, shown: Collection[str] | None = None
) -> None:
    from skipup_campaigns.bulk.engine import Deactivation

    if not _busy(screen, workspace):
        await confirm_and_run(screen, workspace, Deactivation(), shown)


async def confirm_and_run(
    screen: Screen[Any],
    workspace: Workspace,
    change: Change,
    shown: Collection[str] | None = None,
    rows: Sequence[Row] | None = None,
) -> None:
    """Preview the change on every marked campaign (or `rows`: `:retry`'s ✗ ones; nothing
    sent), then run it on yes. The marked ones the list does not show now (the filter, the
    active-only view) come first, counted: nobody should change a campaign they cannot see
    without being told."""
    from skipup_campaigns.bulk.engine import Deactivation, preview

    targets = workspace.bulk.plan(change, rows)
    if not targets:
        screen.notify("None of the marked campaigns is loaded: refresh (r) first.", markup=False)
        return
    hidden = 0
    if shown is not None:
        out_of_view = [t for t in targets if t.campaign.id not in shown]
        hidden = len(out_of_view)
        targets = out_of_view + [t for t in targets if t.campaign.id in shown]
    items = preview(targets)
    choice = await screen.app.push_screen_wait(
        BulkPreviewScreen(items, change, hidden=hidden, zone=workspace.display_zone)
    )
    if choice is None:
        screen.notify("Nothing was sent.", markup=False)
        return
    verb = "Deactivating" if isinstance(change, Deactivation) else "Changing"
    await run_with_progress(
        screen,
        workspace,
        f"{verb} {plural(len(targets), 'campaign')}",
        lambda show: workspace.bulk.start(
            targets, apply_anyway=choice == "anyway", on_progress=show
        ),
    )


async def undo_last(screen: Screen[Any], workspace: Workspace) -> None:
    """`u` on the list: the last bulk edit back, as one step (after a preview)."""
    from skipup_campaigns.bulk.engine import preview

    if _busy(screen, workspace):
        return
    step = workspace.bulk.last_step
    if step is None:
        screen.notify("No bulk edit to undo in this session.", markup=False)
        return
    if step.deactivation:
        screen.notify(
            f"The last bulk action deactivated {plural(step.done, 'campaign')}: "
            "SkipUp has no way back, so it cannot be undone.",
            severity="warning",
            markup=False,
            timeout=8,
        )
        return
    targets = workspace.bulk.undo_targets()
    if not targets:
        screen.notify("Every campaign of the last bulk edit was already put back.", markup=False)
        return
    change = targets[0].change
    choice = await screen.app.push_screen_wait(
        BulkPreviewScreen(preview(targets), change, undo=True, zone=workspace.display_zone)
    )
    if choice is None:
        screen.notify("Nothing was sent.", markup=False)
        return
    await run_with_progress(
        screen,
        workspace,
        f"Undoing the edit of {plural(len(targets), 'campaign')}",
        lambda show: workspace.bulk.start_undo(apply_anyway=choice == "anyway", on_progress=show),
        undo=True,
    )


async def run_with_progress(
    screen: Screen[Any],
    workspace: Workspace,
    title: str,
    make: Callable[[Callable[[Progress], None]], BulkAction],
    *,
    undo: bool = False,
) -> BulkReport | None:
    """Run the action `make(on_progress)` makes under a progress dialog, then say how it
    went: a toast, and the campaigns not done with their reasons (for an `undo`, that `u`
    takes it up again)."""
    from skipup_campaigns.api.errors import SkipUpError
    from skipup_campaigns.bulk.engine import Outcome
    from skipup_campaigns.bulk.nothing_to_do import done_already
    from skipup_campaigns.tui.actions import report as report_failure

    holder: list[BulkAction] = []
    progress = BulkProgressScreen(
        title, 0, lambda: holder[0].cancel() if holder else None, workspace
    )
    action = make(progress.show)
    holder.append(action)
    progress.total = action.total
    await screen.app.push_screen(progress)
    try:
        report = await action.run()
    except SkipUpError as exc:  # the client could not be made
        report_failure(screen, "start the bulk action", exc)
        return None
    except Exception as exc:  # a bug of ours: no more is sent; what was done can be undone
        report_failure(screen, "finish the bulk action", exc)
        return None
    finally:
        closed_now = progress.finish()
    if not closed_now:
        await progress.closed.wait()  # a dialog opened over it is answered first
    not_done = [
        r for r in report.results if r.outcome is not Outcome.DONE and not done_already(r.reason)
    ]
    screen.notify(
        report.summary(),
        severity="warning" if not_done else "information",
        markup=False,
        timeout=8 if not_done else 5,
    )
    if not_done:
        await screen.app.push_screen_wait(BulkResultsScreen(report, undo=undo))
    return report

"""A large load keeps its rows out of the cyclic collector's way, and leaves no garbage frozen."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from skipup_campaigns.workspace import Workspace
from skipup_campaigns.workspace.long_lived import LongLived


class Cyclic:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test process is not ours to keep


async def test_a_large_load_freezes_its_rows_and_frees_the_cycles_frozen_on_the_way(
    workspace: Workspace,
) -> None:
    workspace.long_lived = LongLived(freeze_from=1, settle_after=0.05)  # few rows: "large"
    leaked: list[weakref.ref[Cyclic]] = []
    merge = workspace.collection.merge

    def merge_leaving_garbage(*args: object, **kwargs: object) -> None:
        merge(*args, **kwargs)  # type: ignore[arg-type]
        garbage = Cyclic()
        leaked.append(weakref.ref(garbage))
        gc.collect(1)
        gc.freeze()  # as if it had grown old before the page's freeze

    workspace.collection.merge = merge_leaving_garbage  # type: ignore[method-assign]
    await workspace.load()
    assert leaked and all(ref() is not None for ref in leaked)  # the screen first, then:
    await asyncio.sleep(0.2)
    assert all(ref() is None for ref in leaked)  # the load's end freed them
    frozen = gc.get_freeze_count()
    assert frozen >= len(workspace.collection)  # a full collection does not walk the rows
    gc.collect()
    assert gc.get_freeze_count() == frozen


async def test_a_small_load_leaves_the_collector_alone(workspace: Workspace) -> None:
    gc.unfreeze()
    await workspace.load()
    assert len(workspace.collection) < workspace.long_lived.freeze_from
    assert gc.get_freeze_count() == 0

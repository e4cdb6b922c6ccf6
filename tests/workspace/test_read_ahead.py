"""Pages read one ahead: the same pages in order, an error where it happened, and stopping
early closes the source (no fetching left running)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from skipup_campaigns.workspace.workspace import read_ahead


class Source:
    def __init__(self, pages: int, fail_after: int | None = None) -> None:
        self.pages, self.fail_after = pages, fail_after
        self.fetched: list[int] = []
        self.closed = False

    async def __call__(self) -> AsyncIterator[int]:
        try:
            for n in range(self.pages):
                if self.fail_after is not None and n == self.fail_after:
                    raise ValueError(f"page {n}")
                await asyncio.sleep(0)
                self.fetched.append(n)
                yield n
        finally:
            self.closed = True


async def test_every_page_in_order_with_the_next_one_fetched_ahead() -> None:
    source = Source(5)
    seen = []
    async for page in read_ahead(source()):
        for _ in range(20):  # the caller's work, yielding: the next page is fetched meanwhile
            await asyncio.sleep(0)
        assert len(source.fetched) >= min(5, page + 2)
        seen.append(page)
    assert seen == [0, 1, 2, 3, 4] and source.closed


async def test_an_error_comes_after_the_pages_before_it() -> None:
    source = Source(5, fail_after=3)
    seen = []
    with pytest.raises(ValueError, match="page 3"):
        async for page in read_ahead(source()):
            seen.append(page)
    assert seen == [0, 1, 2]


async def test_stopping_early_stops_the_fetching() -> None:
    source = Source(1000)
    pages = read_ahead(source())
    async for page in pages:
        if page == 2:
            break
    await pages.aclose()
    assert source.closed and len(source.fetched) <= 4

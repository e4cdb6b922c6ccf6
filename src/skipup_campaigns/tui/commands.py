"""The app's own commands in the command palette (ctrl+p), including jump-to-campaign."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


MAX_CAMPAIGN_HITS = 30


class CampaignCommands(Provider):
    """Refresh, toggle active/all, sort, and jump to any loaded campaign by name."""

    def _list_screen(self):  # noqa: ANN202 - ListScreen, imported lazily to avoid a cycle
        from skipup_campaigns.tui.list_screen import ListScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, ListScreen):
                return screen
        return None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = self._list_screen()
        if screen is None:
            return []
        toggle = "Show all campaigns" if screen.active_only else "Show active campaigns only"
        return [
            ("Refresh campaigns", screen.action_refresh, "Fetch the list again (r)"),
            (toggle, screen.action_toggle_active, "Toggle active only / all (a)"),
            ("Sort by next column", screen.action_cycle_sort, "Cycle the sort (s)"),
            ("Reverse sort", screen.action_reverse_sort, "Reverse the sort (S)"),
            ("Filter campaigns", screen.action_focus_filter, "Focus the filter (/)"),
        ]

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
        screen = self._list_screen()
        needle = query.strip().casefold()
        if screen is None or not needle:
            return
        hits = 0
        for row in screen.collection.view_all_by_name():
            if needle in row.name_key:
                # Server text: shown as plain Content, never through the markup-parsing
                # highlighter.
                label = Content("Go to ") + Content(row.name)  # already made safe
                score = 0.9 if row.name_key.startswith(needle) else 0.6
                yield Hit(score, label, partial(screen.select_campaign, row.id),
                          text=f"Go to {row.name}")
                hits += 1
                if hits >= MAX_CAMPAIGN_HITS:
                    return
